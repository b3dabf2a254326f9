import { Column, CreateDateColumn, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { Recommendation } from './recommendation.entity';
import type { ImplementationStatus } from '../vocabulary/recommendation.vocabulary';

/**
 * One entry of a recommendation's history. Rows are only ever inserted: the history is the record
 * the coalition relies on, so no code path updates or deletes them.
 */
@Entity('status_change')
@Index(['recommendationId', 'id'])
export class StatusChange {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  recommendationId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  @Column({ type: 'integer' })
  changedById: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'changed_by_id' })
  changedBy?: User;

  @Column({ type: 'varchar', length: 30 })
  fromStatus: ImplementationStatus;

  @Column({ type: 'varchar', length: 30 })
  toStatus: ImplementationStatus;

  @Column({ type: 'text' })
  note: string;

  /** The coordinator marked the note fit for the cycle's public ledger (the default is private). */
  @Column({ type: 'boolean', default: false })
  notePublic: boolean;

  @CreateDateColumn()
  createdAt: Date;
}

/** The evidence cited by a status change. */
@Entity('status_change_evidence')
export class StatusChangeEvidence {
  @PrimaryColumn({ type: 'integer' })
  statusChangeId: number;

  /**
   * Evidence cited in the history cannot be deleted on its own. The foreign key names the evidence
   * table rather than its entity: evidence sits above recommendations (an evidence item belongs to a
   * recommendation), so this file cannot import it, and nothing reads the evidence through here.
   */
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey('evidence', { onDelete: 'RESTRICT' })
  evidenceId: number;

  @ManyToOne(() => StatusChange, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'status_change_id' })
  statusChange?: StatusChange;
}
