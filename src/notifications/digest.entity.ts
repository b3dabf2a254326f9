import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { DigestState } from '../vocabulary/notification.vocabulary';

/**
 * One email to one person, carrying every notification of its window. UNIQUE (recipient, window)
 * makes it idempotent; its id is the Message-ID, so a resend after a crash is recognisably the
 * same message. Claimed by lease: an instance that dies leaves a lease that expires.
 */
@Entity('digest')
@Unique(['recipientId', 'windowKey'])
@Index(['state', 'dueAt'])
// The admins' outbox view: a coalition's emails, newest first.
@Index(['coalitionId', 'id'])
export class Digest {
  @PrimaryGeneratedColumn()
  id: number;

  /** A person of accounts' app_user, named by table: notifications imports nothing of accounts. */
  @Column({ type: 'integer' })
  @ForeignKey('app_user', { onDelete: 'CASCADE' })
  recipientId: number;

  /** The recipient's coalition (a person belongs to one), kept here so the outbox lists a coalition's emails itself. */
  @Column({ type: 'integer' })
  coalitionId: number;

  /** "at:2026-11-30T14:00" for immediate emails, "daily:2026-11-30" for a daily digest. */
  @Column({ type: 'varchar', length: 120 })
  windowKey: string;

  @Column({ type: Date })
  dueAt: Date;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  state: DigestState;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: Date, nullable: true })
  firstAttemptAt: Date | null;

  @Column({ type: Date, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  leaseOwner: string | null;

  @Column({ type: Date, nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  toAddress: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  messageId: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;
}
