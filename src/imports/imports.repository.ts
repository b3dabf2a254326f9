import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { RecommendationTag } from '../recommendations/recommendation-tag.entity';
import { Recommendation } from '../recommendations/recommendation.entity';

/** The reads of an import: the cycles it may land in and what they hold (the writes are the owners'). */
@Injectable()
export class ImportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findCycles(coalitionId: number, states: string[], manager: EntityManager): Promise<ReviewCycle[]> {
    if (states.length === 0) return Promise.resolve([]);
    return manager.find(ReviewCycle, { where: { coalitionId, mechanism: 'upr', stateUnderReview: In(states) }, order: { id: 'ASC' } });
  }

  /** What a cycle already holds, with its descriptors, keyed the way the import matches. */
  async loadExisting(cycleId: number, manager: EntityManager): Promise<{ recommendations: Recommendation[]; tags: RecommendationTag[] }> {
    const recommendations = await manager.find(Recommendation, { where: { cycleId } });
    if (recommendations.length === 0) return { recommendations, tags: [] };
    const tags = await manager
      .createQueryBuilder(RecommendationTag, 't')
      .innerJoin(Recommendation, 'r', 'r.id = t.recommendation_id')
      .where('r.cycle_id = :cycleId', { cycleId })
      .orderBy('t.recommendation_id')
      .addOrderBy('t.kind')
      .addOrderBy('t.position')
      .getMany();
    return { recommendations, tags };
  }


}
