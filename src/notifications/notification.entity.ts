import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationKind, NotificationState } from '../vocabulary/notification.vocabulary';

/**
 * The outbox: one row per thing one person must be told, written in the same transaction as the
 * change that causes it. `key` is deterministic (e.g. reminder:<deadline>:<version>:<offset>:<user>)
 * and UNIQUE, so planning the same thing twice never yields two rows.
 */
@Entity('notification')
// The dispatcher's question: what is pending, due, and not yet in an email? By time, then by recipient
// (migration 1795970610000).
@Index('IDX_notification_unassigned_due', ['state', 'digestId', 'dueAt', 'recipientId'])
@Index(['digestId'])
@Index(['deadlineId'])
export class Notification {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200, unique: true })
  key: string;

  @Column({ type: 'integer' })
  coalitionId: number;

  /** A person of accounts' app_user, named by table: notifications imports nothing of accounts. */
  @Index()
  @Column({ type: 'integer' })
  @ForeignKey('app_user', { onDelete: 'CASCADE' })
  recipientId: number;

  @Column({ type: 'varchar', length: 30 })
  kind: NotificationKind;

  /** When it should go out (UTC). */
  @Column({ type: Date })
  dueAt: Date;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  state: NotificationState;

  /** Set for deadline notices: the version they were planned for; a newer version makes them stale. */
  @Column({ type: 'integer', nullable: true })
  deadlineId: number | null;

  @Column({ type: 'integer', nullable: true })
  deadlineVersion: number | null;

  @Column({ type: 'integer', nullable: true })
  recommendationId: number | null;

  /** Critical notices go out even when the recipient turned that kind off. */
  @Column({ type: 'boolean', default: false })
  critical: boolean;

  /** What the email says, fixed when the change happened (JSON; never confidential content). */
  @Column({ type: 'text' })
  payload: string;

  /** The email that carries it, once assigned. */
  @Column({ type: 'integer', nullable: true })
  digestId: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  outcome: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;
}
