import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { Recommendation } from './recommendation.entity';

/** A user responsible for a recommendation. */
@Entity('recommendation_owner')
@Index(['userId', 'recommendationId'])
export class RecommendationOwner {
  @PrimaryColumn({ type: 'integer' })
  recommendationId: number;

  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}

/** A user who wants to hear about changes to a recommendation. */
@Entity('recommendation_follower')
@Index(['userId', 'recommendationId'])
export class RecommendationFollower {
  @PrimaryColumn({ type: 'integer' })
  recommendationId: number;

  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @CreateDateColumn()
  createdAt: Date;
}
