import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, MoreThanOrEqual } from 'typeorm';
import type { CitedEvidence } from '../recommendations/evidence-citations';
import { Evidence } from './evidence.entity';

@Injectable()
export class EvidenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  insert(evidence: Partial<Evidence>, manager: EntityManager): Promise<Evidence> {
    return manager.save(manager.create(Evidence, evidence));
  }

  /** Oldest first; confidential items only when the reader may see them; never removed ones. */
  listForRecommendation(recommendationId: number, includeConfidential: boolean): Promise<Evidence[]> {
    return this.dataSource.manager.find(Evidence, {
      where: includeConfidential ? { recommendationId, removedAt: IsNull() } : { recommendationId, confidential: false, removedAt: IsNull() },
      order: { id: 'ASC' },
    });
  }

  async pageForRecommendation(recommendationId: number, includeConfidential: boolean, window: { skip: number; take: number }): Promise<{ rows: Evidence[]; total: number }> {
    const [rows, total] = await this.dataSource.manager.findAndCount(Evidence, {
      where: includeConfidential ? { recommendationId, removedAt: IsNull() } : { recommendationId, confidential: false, removedAt: IsNull() },
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
      where: { id: In(ids), recommendationId, removedAt: IsNull() },
      select: { id: true, title: true, confidential: true },
      order: { id: 'ASC' },
    });
  }

  /** The evidence item if it belongs to a recommendation of this coalition and was not removed. */
  findInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<Evidence | null> {
    return manager
      .createQueryBuilder(Evidence, 'e')
      .innerJoin('e.recommendation', 'r')
      .where('e.id = :id AND r.coalition_id = :coalitionId AND e.removed_at IS NULL', { id, coalitionId })
      .getOne();
  }

  /** Ids of the recommendation's removed items (its history still cites them). */
  async findRemovedIds(recommendationId: number): Promise<number[]> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(Evidence, 'e')
      .select('e.id', 'id')
      .where('e.recommendation_id = :recommendationId AND e.removed_at IS NOT NULL', { recommendationId })
      .getRawMany<{ id: number }>();
    return rows.map((row) => Number(row.id));
  }

  existsForRecommendationSince(recommendationId: number, since: Date): Promise<boolean> {
    return this.dataSource.manager.existsBy(Evidence, { recommendationId, createdAt: MoreThanOrEqual(since), removedAt: IsNull() });
  }

  update(id: number, values: Pick<Evidence, 'kind' | 'title' | 'url' | 'confidential'>, manager: EntityManager): Promise<unknown> {
    return manager.update(Evidence, { id }, values);
  }

  /**
   * Leaves a tombstone: the status history cites evidence by id (insert-only, foreign key RESTRICT),
   * so the row stays with its id, kind and confidentiality; what it said and its file are erased.
   */
  async markRemoved(id: number, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(
      Evidence,
      { id, removedAt: IsNull() },
      { removedAt: at, title: '', url: null, fileName: null, mimeType: null, sizeBytes: null, sha256: null },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Whether any evidence item (of any coalition: files are shared by content) still refers to the file. */
  isFileReferenced(sha256: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(Evidence, { sha256 });
  }
}
