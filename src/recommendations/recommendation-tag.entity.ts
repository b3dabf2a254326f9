import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Recommendation } from './recommendation.entity';
import type { TagKind } from './recommendation.vocabulary';

/** One recommending State, theme, affected-person group or SDG goal of a recommendation. */
@Entity('recommendation_tag')
// Serves the theme and recommendingState filters: find recommendations by value.
@Index(['kind', 'value', 'recommendationId'])
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

  /** Keeps the order in which the values were given (recommending States are listed in order). */
  @Column({ type: 'integer', default: 0 })
  position: number;
}
