import {
  Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn,
} from 'typeorm';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import type { ImplementationStatus, RecommendationKind, RecommendationOrigin, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';

@Entity('recommendation')
// Listing always filters by coalition first; these cover the common filters at 100,000 rows.
@Index(['coalitionId', 'cycleId', 'id'])
// Natural keys of imports: (cycle, paragraph), else (cycle, normalised text).
@Index('IDX_recommendation_cycle_paragraph', ['cycleId', 'paragraph'])
@Index('IDX_recommendation_cycle_text_key', ['cycleId', 'textKey'])
@Index(['coalitionId', 'status', 'id'])
@Index(['coalitionId', 'response', 'id'])
// The first page without filters, and the tenancy probe of every id-set filter (theme, State, text).
@Index(['coalitionId', 'id'])
// The cycle report's counts of received recommendations by kind, response, status and action category, from the index alone.
@Index('IDX_recommendation_report_counts', ['coalitionId', 'cycleId', 'origin', 'kind', 'response', 'status', 'actionCategory'])
// The start of the report's recurring chains: only the recommendations that have a predecessor (migration 1795970700000).
@Index('IDX_recommendation_successors', ['coalitionId', 'cycleId', 'origin', 'predecessorId'], { where: '"predecessor_id" IS NOT NULL' })
// Full-text search is made by its own migration (FTS5 on SQLite, a GIN index on PostgreSQL).
export class Recommendation {
  @PrimaryGeneratedColumn()
  id: number;

  /** Copied from the cycle so that every tenancy check is one indexed comparison. */
  @Column({ type: 'integer' })
  coalitionId: number;

  @Column({ type: 'integer' })
  cycleId: number;

  @ManyToOne(() => ReviewCycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id' })
  cycle?: ReviewCycle;

  /** The outcome document's paragraph, e.g. "26.49"; absent for some sources. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  paragraph: string | null;

  @Column({ type: 'text' })
  text: string;

  /** Hash of the text with white space collapsed: the natural key of imports when there is no paragraph. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  textKey: string | null;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  response: RecommendationResponse;

  /** A recommendation made to the State, or a voluntary pledge of the State itself (no recommending State, no response). */
  @Column({ type: 'varchar', length: 20, default: 'recommendation' })
  kind: RecommendationKind;

  @Column({ type: 'varchar', length: 30, default: 'not_assessed' })
  status: ImplementationStatus;

  /** UPR Info action category, 1 (minimal action) to 5 (specific action). */
  @Column({ type: 'integer', nullable: true })
  actionCategory: number | null;

  /**
   * received: made to the State in this cycle. carried: a copy an earlier cycle close made before
   * carry-over kept recommendations whole (see CarriedRecommendation); counted apart, never as received.
   */
  @Column({ type: 'varchar', length: 20, default: 'received' })
  origin: RecommendationOrigin;

  /** The same recommendation in an earlier cycle. */
  @Index()
  @Column({ type: 'integer', nullable: true })
  predecessorId: number | null;

  @ManyToOne(() => Recommendation, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'predecessor_id' })
  predecessor?: Recommendation | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
