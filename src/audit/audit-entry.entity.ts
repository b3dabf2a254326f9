import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditedEntity } from '../vocabulary/audit.vocabulary';

/**
 * One change to one tracked thing: who, when, what, before and after. Append-only, and not by
 * convention: the migration adds triggers that refuse UPDATE and DELETE (and TRUNCATE on
 * PostgreSQL), so not even a bug or a hand-typed statement rewrites the record. No foreign keys:
 * the log outlives what it describes; the actor's name is kept as it was at the time.
 */
@Entity('audit_entry')
@Index(['coalitionId', 'entity', 'entityId', 'id'])
@Index(['coalitionId', 'id'])
// A recommendation's timeline: its own entries and those of its evidence, deadlines and lineage.
@Index('IDX_audit_entry_recommendation', ['coalitionId', 'recommendationId', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  @Column({ type: Date })
  at: Date;

  /** Null for the command line and the system (e.g. a scheduled close). */
  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  actorName: string | null;

  @Column({ type: 'varchar', length: 30 })
  entity: AuditedEntity;

  @Column({ type: 'integer', nullable: true })
  entityId: number | null;

  /**
   * The recommendation the change concerns, for its timeline: itself, or the one its evidence,
   * deadline or lineage decision belongs to; null for cycles, people and the like (and for entries
   * written before the column existed).
   */
  @Column({ type: 'integer', nullable: true })
  recommendationId: number | null;

  /** What happened, e.g. "updated", "status_changed", "added", "published", "invited". */
  @Column({ type: 'varchar', length: 40 })
  action: string;

  /** The changed fields as they were (JSON), or null when the thing is new. Never confidential content. */
  @Column({ type: 'text', nullable: true })
  before: string | null;

  /** The changed fields as they are now (JSON), or null when the thing is gone. */
  @Column({ type: 'text', nullable: true })
  after: string | null;
}
