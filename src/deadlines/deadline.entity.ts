import {
  Column, CreateDateColumn, DeleteDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn,
} from 'typeorm';
import { User } from '../accounts/user.entity';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { DeadlineKind, DeadlineState } from '../vocabulary/deadline.vocabulary';

/**
 * Something due on a local date (and optional local time) in an IANA time zone, for one
 * recommendation or a whole cycle. `dueAt` is the same moment in UTC, computed when saved.
 */
@Entity('deadline')
@Index(['coalitionId', 'dueAt'])
export class Deadline {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  @Index()
  @Column({ type: 'integer', nullable: true })
  recommendationId: number | null;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation | null;

  /** Always set: the recommendation's cycle, or the cycle the deadline is for. */
  @Index()
  @Column({ type: 'integer' })
  cycleId: number;

  @ManyToOne(() => ReviewCycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id' })
  cycle?: ReviewCycle;

  @Column({ type: 'varchar', length: 40 })
  kind: DeadlineKind;

  @Column({ type: 'varchar', length: 300, nullable: true })
  title: string | null;

  @Column({ type: 'date' })
  dueDate: string;

  /** Local wall-clock time, HH:MM; absent means the end of the day (23:59). */
  @Column({ type: 'varchar', length: 5, nullable: true })
  dueTime: string | null;

  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: Date })
  dueAt: Date;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  state: DeadlineState;

  /** Raised on every edit, so reminders planned for an older version can be recognised as stale. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'integer' })
  createdById: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: User;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;

  /** Deadlines are deleted softly: reminders already planned must be able to see they were cancelled. */
  @DeleteDateColumn()
  deletedAt: Date | null;
}

@Entity('deadline_assignee')
@Index(['userId', 'deadlineId'])
export class DeadlineAssignee {
  @PrimaryColumn({ type: 'integer' })
  deadlineId: number;

  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @ManyToOne(() => Deadline, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deadline_id' })
  deadline?: Deadline;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
