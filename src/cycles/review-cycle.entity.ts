import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Coalition } from '../accounts/coalition.entity';
import type { CycleState, Mechanism, Participation } from '../vocabulary/cycle.vocabulary';

/** One review of one State by one mechanism, e.g. UPR cycle 3, United States, session 36. */
@Entity('review_cycle')
@Index(['coalitionId', 'stateUnderReview'])
export class ReviewCycle {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  @ManyToOne(() => Coalition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coalition_id' })
  coalition?: Coalition;

  @Column({ type: 'varchar', length: 40 })
  mechanism: Mechanism;

  /** The mechanism's cycle number (UPR: 1 to 4). */
  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'varchar', length: 200 })
  stateUnderReview: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  session: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  documentSymbol: string | null;

  @Column({ type: 'date', nullable: true })
  stakeholderSubmissionDate: string | null;

  @Column({ type: 'date', nullable: true })
  reviewDate: string | null;

  @Column({ type: 'date', nullable: true })
  adoptionDate: string | null;

  @Column({ type: 'date', nullable: true })
  midTermReportDate: string | null;

  @Column({ type: 'date', nullable: true })
  closeDate: string | null;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  state: CycleState;

  /** Whether the State took part; did_not_participate: every recommendation of the cycle has no response. */
  @Column({ type: 'varchar', length: 30, default: 'participated' })
  participation: Participation;

  /** When the cycle was closed (POST /cycles/:id/close); null while open. */
  @Column({ type: Date, nullable: true })
  closedAt: Date | null;

  /**
   * The cycle its unfinished recommendations were carried into. No foreign key: SQLite can add one
   * only by rebuilding review_cycle, which deletes every recommendation with it (ON DELETE
   * CASCADE); cycles are never deleted one by one, only with their coalition.
   */
  @Column({ type: 'integer', nullable: true })
  nextCycleId: number | null;

  /** What the close did (JSON of CloseSummary), so that closing again answers exactly the same. */
  @Column({ type: 'text', nullable: true })
  closeSummary: string | null;

  /** When an admin published the cycle's public ledger; null while it is not public. */
  @Column({ type: Date, nullable: true })
  publishedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
