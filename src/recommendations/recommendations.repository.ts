import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { User } from '../accounts/user.entity';
import { readSqlTime } from '../database/sql-values';
import { RecommendationFollower, RecommendationOwner } from './recommendation-person.entity';
import { RecommendationTag } from './recommendation-tag.entity';
import { Recommendation } from './recommendation.entity';
import type { ImplementationStatus, RecommendationResponse, TagKind } from './recommendation.vocabulary';
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

/** What a listing shows of a recommendation itself (its tags and owners are loaded beside it). */
export type RecommendationSummary = Pick<
  Recommendation, 'id' | 'cycleId' | 'paragraph' | 'text' | 'response' | 'status' | 'actionCategory' | 'predecessorId' | 'createdAt' | 'updatedAt'
>;

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlStatement {
  sql: string;
  params: (string | number)[];
}

/** A listing row as the drivers answer it: see readSqlTime for the datetimes. */
interface SummaryRow {
  id: number;
  cycle_id: number;
  paragraph: string | null;
  text: string;
  response: RecommendationResponse;
  status: ImplementationStatus;
  action_category: number | null;
  predecessor_id: number | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const SUMMARY_COLUMNS =
  'r.id, r.cycle_id, r.paragraph, r.text, r.response, r.status, r.action_category, r.predecessor_id, r.created_at, r.updated_at';

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

  /**
   * Replaces the values of the given kinds; kinds not given are left alone (a PATCH changes only
   * what it names). Each tag carries its recommendation's coalition (see RecommendationTag).
   */
  async replaceTags(
    recommendation: Pick<Recommendation, 'id' | 'coalitionId'>, tags: Partial<Record<TagKind, string[]>>, manager: EntityManager,
  ): Promise<void> {
    const { id: recommendationId, coalitionId } = recommendation;
    for (const [kind, values] of Object.entries(tags) as [TagKind, string[] | undefined][]) {
      if (values === undefined) continue;
      await manager.delete(RecommendationTag, { recommendationId, kind });
      if (values.length > 0) {
        await manager.insert(RecommendationTag, values.map((value, position) => ({ recommendationId, coalitionId, kind, value, position })));
      }
    }
  }

  async replaceOwners(recommendationId: number, userIds: number[], manager: EntityManager): Promise<void> {
    await manager.delete(RecommendationOwner, { recommendationId });
    if (userIds.length > 0) await manager.insert(RecommendationOwner, userIds.map((userId) => ({ recommendationId, userId })));
  }

  // The listing's queries below are hand-written SQL read as plain rows: building them with the
  // query builder and hydrating entities cost about 2 ms of CPU a request, more than the SQL itself
  // (docs/benchmarks.md). Every value is bound, so one prepared statement serves each shape.

  async loadTags(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<TagsById> {
    const byId: TagsById = new Map(ids.map((id) => [id, { recommending_state: [], theme: [], affected_person: [], sdg: [] }]));
    if (ids.length === 0) return byId;
    const rows: { id: number; kind: TagKind; value: string }[] = await manager.query(
      `SELECT t.recommendation_id AS id, t.kind, t.value FROM recommendation_tag t WHERE t.recommendation_id IN (${this.placeholders(ids.length)}) ` +
        'ORDER BY t.recommendation_id, t.kind, t.position',
      ids,
    );
    for (const row of rows) byId.get(Number(row.id))?.[row.kind].push(row.value);
    return byId;
  }

  async loadOwners(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<Map<number, number[]>> {
    const byId = new Map<number, number[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows: { id: number; user_id: number }[] = await manager.query(
      `SELECT o.recommendation_id AS id, o.user_id FROM recommendation_owner o WHERE o.recommendation_id IN (${this.placeholders(ids.length)}) ` +
        'ORDER BY o.user_id',
      ids,
    );
    for (const row of rows) byId.get(Number(row.id))?.push(Number(row.user_id));
    return byId;
  }

  /**
   * One page of recommendations matching the filters, in id order, and how many match in all. A
   * page that is not full tells the total by itself, so the count runs only when it cannot.
   */
  async search(filters: RecommendationFilters, offset: number, limit: number): Promise<{ rows: RecommendationSummary[]; total: number }> {
    const rows = await this.listPage(filters, offset, limit);
    const total = rows.length < limit && (rows.length > 0 || offset === 0) ? offset + rows.length : await this.countMatching(filters);
    return { rows, total };
  }

  /** The recommendations matching the filters, in id order, from `offset`, at most `limit`. */
  async listPage(filters: RecommendationFilters, offset: number, limit: number): Promise<RecommendationSummary[]> {
    const { sql, params } = listingStatement(this.dialect, filters, { offset, limit });
    const rows: SummaryRow[] = await this.dataSource.query(sql, params);
    return rows.map(toSummary);
  }

  /** How many recommendations match the filters. */
  async countMatching(filters: RecommendationFilters): Promise<number> {
    const { sql, params } = listingStatement(this.dialect, filters, null);
    const [row]: { total: number | string }[] = await this.dataSource.query(sql, params);
    return Number(row.total);
  }

  private get dialect(): SqlDialect {
    return this.isPostgres ? 'postgres' : 'sqlite';
  }

  private placeholders(count: number): string {
    return Array.from({ length: count }, (_, i) => (this.isPostgres ? `$${i + 1}` : '?')).join(', ');
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
 * The SQL of a listing: its page and its count, over the same conditions. Exported for the
 * benchmark, which times exactly this SQL on the driver alone (bench/scenarios.ts).
 */
export function listingSql(dialect: SqlDialect, filters: RecommendationFilters, offset: number, limit: number): { page: SqlStatement; count: SqlStatement } {
  return { page: listingStatement(dialect, filters, { offset, limit }), count: listingStatement(dialect, filters, null) };
}

/**
 * A filter that is a set of ids. Tags carry the coalition, so a tag set holds the coalition's
 * recommendations only; a set of owned recommendations or of text matches (SQLite's FTS5) does not.
 */
type IdSet = { source: 'tag'; kind: TagKind; value: string } | { source: 'owner'; userId: number } | { source: 'text'; match: string };

/** A page (`slice` given) or the count (`slice` null) of the listing. */
function listingStatement(dialect: SqlDialect, f: RecommendationFilters, slice: { offset: number; limit: number } | null): SqlStatement {
  const params: (string | number)[] = [];
  // Values are bound as the text is written, left to right, so that SQLite's "?" line up: every
  // piece below is a function, called in the order it appears in the statement.
  const bind = (value: string | number) => {
    params.push(value);
    return dialect === 'postgres' ? `$${params.length}` : '?';
  };
  const rowConditions: (() => string)[] = [];
  if (f.cycleId !== undefined) rowConditions.push(() => `r.cycle_id = ${bind(f.cycleId!)}`);
  if (f.status) rowConditions.push(() => `r.status = ${bind(f.status!)}`);
  if (f.response) rowConditions.push(() => `r.response = ${bind(f.response!)}`);
  const sets: IdSet[] = [];
  if (f.theme) sets.push({ source: 'tag', kind: 'theme', value: f.theme });
  if (f.recommendingState) sets.push({ source: 'tag', kind: 'recommending_state', value: f.recommendingState });
  if (f.ownerId !== undefined) sets.push({ source: 'owner', userId: f.ownerId });
  if (f.q && dialect === 'postgres') {
    // A condition on the row, served by the GIN index (the same expression as the migration's).
    rowConditions.push(() => `to_tsvector('english', r.text) @@ websearch_to_tsquery('english', ${bind(f.q!)})`);
  } else if (f.q) {
    // Input with no word in it matches nothing.
    const match = toFtsMatch(f.q);
    if (match) sets.push({ source: 'text', match });
    else rowConditions.push(() => '1 = 0');
  }
  const tagCondition = (alias: string, set: { kind: TagKind; value: string }) =>
    `${alias}.coalition_id = ${bind(f.coalitionId)} AND ${alias}.kind = '${set.kind}' AND ${alias}.value = ${bind(set.value)}`;
  const onRow = () => [`r.coalition_id = ${bind(f.coalitionId)}`, ...rowConditions.map((c) => c())];

  // A single set drives the query: it is walked in id order and each of its ids looked up in
  // recommendation, so the first page stops after 50 rows instead of first gathering the whole set.
  // CROSS JOIN makes SQLite (which has no statistics: the application never runs ANALYZE) start
  // from the set; PostgreSQL treats it as any inner join.
  const [only] = sets.length === 1 ? sets : [];
  let from: string;
  let where: string[];
  let order: string;
  if (only?.source === 'tag') {
    // The (coalition_id, kind, value, recommendation_id) index is in id order, and holds the
    // coalition: a count without conditions on the row never leaves it.
    if (!slice && rowConditions.length === 0) {
      return { sql: `SELECT COUNT(*) AS total FROM recommendation_tag d WHERE ${tagCondition('d', only)}`, params };
    }
    from = 'recommendation_tag d CROSS JOIN recommendation r';
    where = [tagCondition('d', only), 'r.id = d.recommendation_id', ...onRow()];
    order = 'd.recommendation_id';
  } else if (only?.source === 'text' && slice) {
    // FTS5 hands its matches over in rowid (= id) order. (The count is cheaper as below.)
    from = 'recommendation_fts f CROSS JOIN recommendation r';
    where = [`f.recommendation_fts MATCH ${bind(only.match)}`, 'r.id = f.rowid', ...onRow()];
    order = 'f.rowid';
  } else {
    // Every set goes into ONE `r.id IN (… INTERSECT …)`, never one IN per set: given two `r.id IN`
    // terms beside an indexed equality (e.g. status + theme + q), SQLite probes the index for
    // every pair of ids from the two lists, seconds at 100,000 rows. One list is probed id by id,
    // in id order, through the (coalition_id, id) index, so the first page stops after 50 rows.
    // (IN rather than EXISTS: the planner can start from the sets.)
    from = 'recommendation r';
    where = onRow();
    const queries = sets.map((set, i) => {
      if (set.source === 'tag') return `SELECT t${i}.recommendation_id FROM recommendation_tag t${i} WHERE ${tagCondition(`t${i}`, set)}`;
      if (set.source === 'owner') return `SELECT o.recommendation_id FROM recommendation_owner o WHERE o.user_id = ${bind(set.userId)}`;
      return `SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH ${bind(set.match)}`;
    });
    if (queries.length > 0) where.push(`r.id IN (${queries.join(' INTERSECT ')})`);
    order = 'r.id';
  }
  const conditions = where.join(' AND ');
  if (!slice) return { sql: `SELECT COUNT(*) AS total FROM ${from} WHERE ${conditions}`, params };
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM ${from} WHERE ${conditions} ORDER BY ${order} LIMIT ${bind(slice.limit)} OFFSET ${bind(slice.offset)}`,
    params,
  };
}

function toSummary(row: SummaryRow): RecommendationSummary {
  return {
    id: row.id,
    cycleId: row.cycle_id,
    paragraph: row.paragraph,
    text: row.text,
    response: row.response,
    status: row.status,
    actionCategory: row.action_category,
    predecessorId: row.predecessor_id,
    createdAt: readSqlTime(row.created_at),
    updatedAt: readSqlTime(row.updated_at),
  };
}

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax error: every word becomes a
 * quoted term and all must match. (Raw input such as `"death penalty` or `a:b` would make FTS5 throw.)
 */
export function toFtsMatch(q: string): string {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.slice(0, 20).map((word) => `"${word}"`).join(' ');
}
