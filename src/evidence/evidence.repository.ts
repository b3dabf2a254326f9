import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThanOrEqual } from 'typeorm';
import type { CitedEvidence } from '../recommendations/evidence-citations';
import { Evidence } from './evidence.entity';

@Injectable()
export class EvidenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  insert(evidence: Partial<Evidence>, manager: EntityManager): Promise<Evidence> {
    return manager.save(manager.create(Evidence, evidence));
  }

  /** Oldest first; confidential items only when the reader may see them. */
  listForRecommendation(recommendationId: number, includeConfidential: boolean): Promise<Evidence[]> {
    return this.dataSource.manager.find(Evidence, {
      where: includeConfidential ? { recommendationId } : { recommendationId, confidential: false },
      order: { id: 'ASC' },
    });
  }

  async pageForRecommendation(recommendationId: number, includeConfidential: boolean, window: { skip: number; take: number }): Promise<{ rows: Evidence[]; total: number }> {
    const [rows, total] = await this.dataSource.manager.findAndCount(Evidence, {
      where: includeConfidential ? { recommendationId } : { recommendationId, confidential: false },
      order: { id: 'ASC' },
      ...window,
    });
    return { rows, total };
  }

  /**
   * Those of the given items that belong to the recommendation, in id order, with what a status
   * change checks and its notices name: one query, in the status change's transaction.
   */
  findCitable(recommendationId: number, ids: number[], manager: EntityManager): Promise<CitedEvidence[]> {
    return manager.find(Evidence, {
      where: { id: In(ids), recommendationId },
      select: { id: true, title: true, confidential: true },
      order: { id: 'ASC' },
    });
  }

  /** The evidence item if it belongs to a recommendation of this coalition. */
  findInCoalition(coalitionId: number, id: number): Promise<Evidence | null> {
    return this.dataSource.manager
      .createQueryBuilder(Evidence, 'e')
      .innerJoin('e.recommendation', 'r')
      .where('e.id = :id AND r.coalition_id = :coalitionId', { id, coalitionId })
      .getOne();
  }

  existsForRecommendationSince(recommendationId: number, since: Date): Promise<boolean> {
    return this.dataSource.manager.existsBy(Evidence, { recommendationId, createdAt: MoreThanOrEqual(since) });
  }
}
