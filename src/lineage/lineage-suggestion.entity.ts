import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../accounts/user.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { LineageState } from '../vocabulary/lineage.vocabulary';

/**
 * A recommendation of an earlier cycle that may be the same recommendation made again, with how
 * alike the texts are, and what a coordinator decided about it. A rejected pair stays, so it is
 * never suggested again.
 */
@Entity('lineage_suggestion')
@Unique(['recommendationId', 'candidateId'])
export class LineageSuggestion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  recommendationId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  /** The likely predecessor, in an earlier cycle of the same State under Review. */
  @Index()
  @Column({ type: 'integer' })
  candidateId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'candidate_id' })
  candidate?: Recommendation;

  /** Text similarity, 0 to 1, rounded to three decimals. */
  @Column({ type: 'real' })
  score: number;

  @Column({ type: 'varchar', length: 10, default: 'suggested' })
  state: LineageState;

  @Column({ type: 'integer', nullable: true })
  decidedById: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by_id' })
  decidedBy?: User | null;

  @Column({ type: Date, nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
