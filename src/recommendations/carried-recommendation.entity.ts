import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { Recommendation } from './recommendation.entity';

/**
 * A recommendation followed up in a later cycle than its own: a cycle close carries each unfinished
 * one into the next cycle. The recommendation itself is not copied: it keeps its identity, response,
 * status, evidence, owners, followers and history, one continuous chain, and is worked on from the
 * next cycle while the link is active. The next cycle counts it apart from the recommendations it
 * received. A recurring recommendation of that cycle linked to it (predecessorId) supersedes it:
 * the follow-up goes on there.
 */
@Entity('carried_recommendation')
@Unique(['cycleId', 'recommendationId'])
@Index(['coalitionId', 'cycleId'])
@Index(['recommendationId'])
export class CarriedRecommendation {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  /** The cycle it is carried into. */
  @Column({ type: 'integer' })
  cycleId: number;

  @ManyToOne(() => ReviewCycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id' })
  cycle?: ReviewCycle;

  @Column({ type: 'integer' })
  recommendationId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  /** The closed cycle it came from (its own cycle, or one it had been carried into before). */
  @Column({ type: 'integer' })
  fromCycleId: number;

  @Column({ type: Date })
  carriedAt: Date;

  /** The recurring recommendation of this cycle that continues it (its predecessorId is this one); null while it is followed here. */
  @Column({ type: 'integer', nullable: true })
  supersededById: number | null;

  @ManyToOne(() => Recommendation, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'superseded_by_id' })
  supersededBy?: Recommendation | null;
}
