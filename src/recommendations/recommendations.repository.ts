import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { User } from '../accounts/user.entity';
import { RecommendationFollower, RecommendationOwner } from './recommendation-person.entity';
import { RecommendationTag } from './recommendation-tag.entity';
import { Recommendation } from './recommendation.entity';
import type { ImplementationStatus, TagKind } from './recommendation.vocabulary';
import { StatusChange, StatusChangeEvidence } from './status-change.entity';

export interface RecommendationFilters {
  coalitionId: number;
  cycleId?: number;
  status?: ImplementationStatus;
  response?: string;
  theme?: string;
  recommendingState?: string;
  ownerId?: number;
  q?: string;
}

export type TagsById = Map<number, Record<TagKind, string[]>>;

export interface HistoryRow {
  change: StatusChange;
  changedByName: string;
  evidenceIds: number[];
}

@Injectable()
export class RecommendationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  findInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<Recommendation | null> {
    return manager.findOneBy(Recommendation, { id, coalitionId });
  }

  save(recommendation: Recommendation, manager: EntityManager): Promise<Recommendation> {
    return manager.save(Recommendation, recommendation);
  }

  /** Moves the status only if nobody changed it since it was read; false means a concurrent change won. */
  async updateStatusIfUnchanged(id: number, from: ImplementationStatus, to: ImplementationStatus, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(Recommendation, { id, status: from }, { status: to, updatedAt: at });
    return (result.affected ?? 0) === 1;
  }

  /** Replaces the values of the given kinds; kinds not given are left alone (a PATCH changes only what it names). */
  async replaceTags(recommendationId: number, tags: Partial<Record<TagKind, string[]>>, manager: EntityManager): Promise<void> {
    for (const [kind, values] of Object.entries(tags) as [TagKind, string[] | undefined][]) {
      if (values === undefined) continue;
      await manager.delete(RecommendationTag, { recommendationId, kind });
      if (values.length > 0) {
        await manager.insert(RecommendationTag, values.map((value, position) => ({ recommendationId, kind, value, position })));
      }
    }
  }

  async replaceOwners(recommendationId: number, userIds: number[], manager: EntityManager): Promise<void> {
    await manager.delete(RecommendationOwner, { recommendationId });
    if (userIds.length > 0) await manager.insert(RecommendationOwner, userIds.map((userId) => ({ recommendationId, userId })));
  }

  async loadTags(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<TagsById> {
    const byId: TagsById = new Map(ids.map((id) => [id, { recommending_state: [], theme: [], affected_person: [], sdg: [] }]));
    if (ids.length === 0) return byId;
    const rows = await manager.find(RecommendationTag, {
      where: { recommendationId: In(ids) },
      order: { recommendationId: 'ASC', kind: 'ASC', position: 'ASC' },
    });
    for (const row of rows) byId.get(row.recommendationId)?.[row.kind].push(row.value);
    return byId;
  }

  async loadOwners(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<Map<number, number[]>> {
    const byId = new Map<number, number[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows = await manager.find(RecommendationOwner, { where: { recommendationId: In(ids) }, order: { userId: 'ASC' } });
    for (const row of rows) byId.get(row.recommendationId)?.push(row.userId);
    return byId;
  }

  /** One page of recommendations matching the filters, in id order, and how many match in all. */
  async search(filters: RecommendationFilters, offset: number, limit: number): Promise<{ rows: Recommendation[]; total: number }> {
    const query = this.filtered(filters);
    const [rows, total] = await Promise.all([
      query.clone().orderBy('r.id', 'ASC').offset(offset).limit(limit).getMany(),
      query.clone().getCount(),
    ]);
    return { rows, total };
  }

  private filtered(filters: RecommendationFilters): SelectQueryBuilder<Recommendation> {
    const query = this.dataSource.manager
      .createQueryBuilder(Recommendation, 'r')
      .where('r.coalition_id = :coalitionId', { coalitionId: filters.coalitionId });
    if (filters.cycleId !== undefined) query.andWhere('r.cycle_id = :cycleId', { cycleId: filters.cycleId });
    if (filters.status) query.andWhere('r.status = :status', { status: filters.status });
    if (filters.response) query.andWhere('r.response = :response', { response: filters.response });
    // Every filter that is a set of ids goes into ONE `r.id IN (… INTERSECT …)`, never one IN per
    // filter: given two `r.id IN` terms beside an indexed equality (e.g. status + theme + q),
    // SQLite probes the index for every pair of ids from the two lists, seconds at 100,000 rows.
    // One list is probed id by id, in id order, through the (coalition_id, id) index, so the first
    // page stops after 50 rows. (IN rather than EXISTS: the planner can start from the sets.)
    const idSets: string[] = [];
    if (filters.theme) {
      idSets.push("SELECT t1.recommendation_id FROM recommendation_tag t1 WHERE t1.kind = 'theme' AND t1.value = :theme");
      query.setParameter('theme', filters.theme);
    }
    if (filters.recommendingState) {
      idSets.push("SELECT t2.recommendation_id FROM recommendation_tag t2 WHERE t2.kind = 'recommending_state' AND t2.value = :recommendingState");
      query.setParameter('recommendingState', filters.recommendingState);
    }
    if (filters.ownerId !== undefined) {
      idSets.push('SELECT o.recommendation_id FROM recommendation_owner o WHERE o.user_id = :ownerId');
      query.setParameter('ownerId', filters.ownerId);
    }
    if (filters.q) this.addTextSearch(query, idSets, filters.q);
    if (idSets.length > 0) query.andWhere(`r.id IN (${idSets.join(' INTERSECT ')})`);
    return query;
  }

  /** PostgreSQL: a condition on the row, served by the GIN index. SQLite: one more id set, from FTS5. */
  private addTextSearch(query: SelectQueryBuilder<Recommendation>, idSets: string[], q: string): void {
    if (this.isPostgres) {
      // Same expression as the GIN index of the migration, so the index is used.
      query.andWhere(`to_tsvector('english', r.text) @@ websearch_to_tsquery('english', :q)`, { q });
      return;
    }
    const match = toFtsMatch(q);
    if (!match) {
      query.andWhere('1 = 0');
      return;
    }
    idSets.push('SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH :match');
    query.setParameter('match', match);
  }

  async history(recommendationId: number): Promise<HistoryRow[]> {
    const changes = await this.dataSource.manager.find(StatusChange, { where: { recommendationId }, order: { id: 'ASC' } });
    if (changes.length === 0) return [];
    const [links, users] = await Promise.all([
      this.dataSource.manager.find(StatusChangeEvidence, { where: { statusChangeId: In(changes.map((c) => c.id)) }, order: { evidenceId: 'ASC' } }),
      this.dataSource.manager.find(User, { where: { id: In([...new Set(changes.map((c) => c.changedById))]) }, select: { id: true, name: true } }),
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    return changes.map((change) => ({
      change,
      changedByName: names.get(change.changedById) ?? '',
      evidenceIds: links.filter((l) => l.statusChangeId === change.id).map((l) => l.evidenceId),
    }));
  }

  insertStatusChange(change: Partial<StatusChange>, manager: EntityManager): Promise<StatusChange> {
    return manager.save(manager.create(StatusChange, change));
  }

  async linkEvidence(statusChangeId: number, evidenceIds: number[], manager: EntityManager): Promise<void> {
    if (evidenceIds.length > 0) await manager.insert(StatusChangeEvidence, evidenceIds.map((evidenceId) => ({ statusChangeId, evidenceId })));
  }

  isFollowing(recommendationId: number, userId: number): Promise<boolean> {
    return this.dataSource.manager.existsBy(RecommendationFollower, { recommendationId, userId });
  }

  countFollowers(recommendationId: number): Promise<number> {
    return this.dataSource.manager.countBy(RecommendationFollower, { recommendationId });
  }

  /** Idempotent: following twice is one follow. */
  async follow(recommendationId: number, userId: number): Promise<void> {
    await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(RecommendationFollower)
      .values({ recommendationId, userId })
      .orIgnore()
      .execute();
  }

  async unfollow(recommendationId: number, userId: number): Promise<void> {
    await this.dataSource.manager.delete(RecommendationFollower, { recommendationId, userId });
  }
}

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax error: every word becomes a
 * quoted term and all must match. (Raw input such as `"death penalty` or `a:b` would make FTS5 throw.)
 */
export function toFtsMatch(q: string): string {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.slice(0, 20).map((word) => `"${word}"`).join(' ');
}
