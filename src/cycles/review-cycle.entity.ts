import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Coalition } from '../accounts/coalition.entity';
import type { CycleState, Mechanism } from './cycle.vocabulary';

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

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
