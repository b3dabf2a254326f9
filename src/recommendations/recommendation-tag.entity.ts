import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Recommendation } from './recommendation.entity';
import type { TagKind } from '../vocabulary/recommendation.vocabulary';

/** One recommending State, theme, affected-person group or SDG goal of a recommendation. */
@Entity('recommendation_tag')
// Serves the theme and recommendingState filters: a coalition's recommendations by value, in id
// order, with the tenancy check in the index itself (see coalitionId below).
@Index('IDX_recommendation_tag_coalition_value', ['coalitionId', 'kind', 'value', 'recommendationId'])
// A recommendation's tags in their given order, read from the index alone (no table lookup):
// halves the cost of the cycle report's list at 100,000 recommendations (see bench/report.bench.ts).
@Index('IDX_recommendation_tag_order', ['recommendationId', 'kind', 'position', 'value'])
export class RecommendationTag {
  @PrimaryColumn({ type: 'integer' })
  recommendationId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  kind: TagKind;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  value: string;

  /**
   * The recommendation's coalition, copied here (as it is from the cycle onto the recommendation)
   * so that a listing by theme or State counts its matches in this table's index alone, instead of
   * looking every match up in recommendation: 0.3 ms instead of 5-9 ms for 6,500 matches at
   * 100,000 recommendations (docs/benchmarks.md). Every insert must set it; it never changes.
   */
  @Column({ type: 'integer' })
  coalitionId: number;

  /** Keeps the order in which the values were given (recommending States are listed in order). */
  @Column({ type: 'integer', default: 0 })
  position: number;
}
