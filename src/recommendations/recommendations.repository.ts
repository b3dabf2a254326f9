import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Not } from 'typeorm';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { EntityColumns, PreparedFindOne } from '../database/prepared-find';
import { placeholder, readSqlTime, returnedRows, sqlTime } from '../database/sql-values';
import { RecommendationFollower, RecommendationOwner } from './recommendation-person.entity';
import { RecommendationTag } from './recommendation-tag.entity';
import { Recommendation } from './recommendation.entity';
import type { ImplementationStatus, RecommendationKind, RecommendationOrigin, RecommendationResponse, TagKind } from '../vocabulary/recommendation.vocabulary';
import { StatusChange, StatusChangeEvidence } from './status-change.entity';

export interface RecommendationFilters {
  coalitionId: number;
  cycleId?: number;
  status?: ImplementationStatus;
  response?: string;
  kind?: string;
  /** true: the recommendations carried into the cycle (or into any cycle); false: only those received in their cycle. */
  carried?: boolean;
  /** Stored theme codes, any of which matches (a code and those beneath it, or an alias's codes). */
  theme?: string[];
  /** Stored group names, any of which matches. */
  affectedPerson?: string[];
  /** Stored SDG values ("5", "5.1"), any of which matches. */
  sdg?: string[];
  recommendingState?: string;
  /** The cycle's State under review, as stored (canonical). */
  stateUnderReview?: string;
  ownerId?: number;
  q?: string;
}

export type TagsById = Map<number, Record<TagKind, string[]>>;

/** What a listing shows of a recommendation itself (its tags and owners are loaded beside it). */
export type RecommendationSummary = Pick<
  Recommendation, 'id' | 'cycleId' | 'paragraph' | 'text' | 'response' | 'kind' | 'origin' | 'status' | 'actionCategory' | 'predecessorId' | 'createdAt' | 'updatedAt'
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
  kind: RecommendationKind;
  origin: RecommendationOrigin;
  status: ImplementationStatus;
  action_category: number | null;
  predecessor_id: number | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const SUMMARY_COLUMNS =
  'r.id, r.cycle_id, r.paragraph, r.text, r.response, r.kind, r.origin, r.status, r.action_category, r.predecessor_id, r.created_at, r.updated_at';

/** A history entry as the drivers answer it. */
interface HistoryQueryRow {
  id: number;
  recommendation_id: number;
  changed_by_id: number;
  from_status: ImplementationStatus;
  to_status: ImplementationStatus;
  note: string;
  /** PostgreSQL answers a boolean, SQLite 0 or 1. */
  note_public: boolean | number;
  created_at: Date | string;
  changed_by_name: string | null;
}

export interface HistoryRow {
  change: StatusChange;
  changedByName: string;
  evidenceIds: number[];
}

/** A recommendation with its cycle and what its carries say, as a change needs them (see findWithCycle). */
export interface RecommendationWithCycle {
  recommendation: Recommendation;
  /** Null when the cycle is not the coalition's (never in practice: the caller answers 404). */
  cycle: ReviewCycle | null;
  /** When the cycle is closed: the open cycle a close carried it into, where it is still followed (see findOpenCarry). */
  openCarry: number | null;
  /** Whether a close ever carried it into a later cycle: when not, its detail has no carries to read. */
  everCarried: boolean;
}

/**
 * The people of a recommendation, as a status change needs them: to tell them (notices) and for its
 * answer (owners, followers). Owners in id order, as loadOwners answers them.
 */
export interface RecommendationPeople {
  ownerIds: number[];
  followerIds: number[];
  /** Those of the owners and followers whose account is active (only they are told of changes). */
  activeIds: ReadonlySet<number>;
}

/** Ids per IN list: well under SQLite's 32,766 bound parameters. */
const IN_LIST_CHUNK = 500;

/** An unfinished recommendation of a closed cycle that already had a successor in the next cycle (predecessorId = fromId). */
export interface CarriedPair {
  fromId: number;
  toId: number;
}

/** A recommendation a cycle close carried into the next cycle: the recommendation itself, in its own cycle. */
export interface CarriedItem {
  recommendationId: number;
  /** The recommendation's own cycle (the closed one, or an earlier one it had been carried from). */
  cycleId: number;
}

/** A recommendation's carry into a later cycle. */
export interface CarryLink {
  cycleId: number;
  fromCycleId: number;
  carriedAt: Date;
  supersededById: number | null;
}

@Injectable()
export class RecommendationsRepository {
  private readonly byIdInCoalition: PreparedFindOne<Recommendation, 'id' | 'coalitionId'>;
  private withCycle?: { sql: string; recommendation: EntityColumns<Recommendation>; cycle: EntityColumns<ReviewCycle> };

  constructor(private readonly dataSource: DataSource) {
    this.byIdInCoalition = new PreparedFindOne(dataSource, Recommendation, ['id', 'coalitionId']);
  }

  private get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  findInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<Recommendation | null> {
    return this.byIdInCoalition.find(manager, { id, coalitionId });
  }

  /**
   * The coalition's recommendation, its cycle (hydrated as findInCoalition and the cycles'
   * findInCoalition hydrate them), the open cycle it is carried into when its own is closed, and
   * whether it was ever carried: what every change first asks, in one statement instead of up to
   * three (the carry subqueries run on the carried_recommendation index; the open carry only when
   * the cycle is closed).
   */
  async findWithCycle(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<RecommendationWithCycle | null> {
    const built = (this.withCycle ??= this.buildWithCycle());
    const [row]: Record<string, unknown>[] = await manager.query(built.sql, [id, coalitionId]);
    if (!row) return null;
    return {
      recommendation: built.recommendation.hydrate(row),
      cycle: row.c_id === null || row.c_id === undefined ? null : built.cycle.hydrate(row),
      openCarry: row.open_carry === null || row.open_carry === undefined ? null : Number(row.open_carry),
      everCarried: Number(row.ever_carried) > 0 || row.ever_carried === true,
    };
  }

  private buildWithCycle(): { sql: string; recommendation: EntityColumns<Recommendation>; cycle: EntityColumns<ReviewCycle> } {
    const recommendation = new EntityColumns(this.dataSource, Recommendation, 'r_');
    const cycle = new EntityColumns(this.dataSource, ReviewCycle, 'c_');
    if (recommendation.metadata.deleteDateColumn || cycle.metadata.deleteDateColumn) throw new Error('findWithCycle reads no soft-deleted entities');
    const p = (n: number) => placeholder(this.dataSource, n);
    const sql =
      `SELECT ${recommendation.select('r')}, ${cycle.select('c')}, ` +
      "CASE WHEN c.state = 'closed' THEN (SELECT k.cycle_id FROM carried_recommendation k JOIN review_cycle o ON o.id = k.cycle_id " +
      "WHERE k.recommendation_id = r.id AND k.superseded_by_id IS NULL AND o.state = 'open' ORDER BY k.id DESC LIMIT 1) END AS open_carry, " +
      'CASE WHEN EXISTS (SELECT 1 FROM carried_recommendation e WHERE e.recommendation_id = r.id) THEN 1 ELSE 0 END AS ever_carried ' +
      `FROM recommendation r LEFT JOIN review_cycle c ON c.id = r.cycle_id AND c.coalition_id = r.coalition_id WHERE r.id = ${p(1)} AND r.coalition_id = ${p(2)} LIMIT 1`;
    return { sql, recommendation, cycle };
  }

  save(recommendation: Recommendation, manager: EntityManager): Promise<Recommendation> {
    return manager.save(Recommendation, recommendation);
  }

  /** Moves the status only if nobody changed it since it was read; false means a concurrent change won. */
  async updateStatusIfUnchanged(id: number, from: ImplementationStatus, to: ImplementationStatus, at: Date, manager: EntityManager): Promise<boolean> {
    // Hand-written: the path that runs most pays for no query building.
    const p = (n: number) => placeholder(this.dataSource, n);
    const rows = returnedRows(await manager.query(
      `UPDATE recommendation SET status = ${p(1)}, updated_at = ${p(2)} WHERE id = ${p(3)} AND status = ${p(4)} RETURNING id`,
      [to, sqlTime(this.dataSource, at), id, from],
    ));
    return rows.length === 1;
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

  /** Adds owners a recommendation does not have yet; answers how many were added. */
  async addOwners(recommendationId: number, userIds: number[], manager: EntityManager): Promise<number> {
    const existing = new Set((await manager.find(RecommendationOwner, { where: { recommendationId }, select: { userId: true } })).map((o) => o.userId));
    const added = userIds.filter((userId) => !existing.has(userId));
    if (added.length > 0) await manager.insert(RecommendationOwner, added.map((userId) => ({ recommendationId, userId })));
    return added.length;
  }

  // The listing's queries below are hand-written SQL read as plain rows: building them with the
  // query builder and hydrating entities cost about 2 ms of CPU a request, more than the SQL itself
  // (docs/benchmarks.md). Every value is bound, so one prepared statement serves each shape.

  /**
   * Owners and followers, and which of them are active, in one statement (it reads accounts'
   * app_user.active as the history reads their names): a status change tells them and answers with
   * them, where separate reads of owners, followers, the active ones and the follower count took four.
   */
  async peopleOf(recommendationId: number, manager: EntityManager): Promise<RecommendationPeople> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const rows: { role: 'owner' | 'follower'; user_id: number; active: number | string }[] = await manager.query(
      "SELECT 'owner' AS role, o.user_id, CASE WHEN u.active = TRUE THEN 1 ELSE 0 END AS active FROM recommendation_owner o " +
        `LEFT JOIN app_user u ON u.id = o.user_id WHERE o.recommendation_id = ${p(1)} ` +
        "UNION ALL SELECT 'follower', f.user_id, CASE WHEN u.active = TRUE THEN 1 ELSE 0 END FROM recommendation_follower f " +
        `LEFT JOIN app_user u ON u.id = f.user_id WHERE f.recommendation_id = ${p(2)}`,
      [recommendationId, recommendationId],
    );
    const people: RecommendationPeople = { ownerIds: [], followerIds: [], activeIds: new Set() };
    const active = new Set<number>();
    for (const row of rows) {
      const userId = Number(row.user_id);
      (row.role === 'owner' ? people.ownerIds : people.followerIds).push(userId);
      if (Number(row.active) === 1) active.add(userId);
    }
    people.ownerIds.sort((a, b) => a - b);
    return { ...people, activeIds: active };
  }

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

  /** The cycles each recommendation was carried into by closes, oldest first. */
  async loadCarried(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<Map<number, CarryLink[]>> {
    const byId = new Map<number, CarryLink[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows: { id: number; cycle_id: number; from_cycle_id: number; carried_at: Date | string; superseded_by_id: number | null }[] = await manager.query(
      `SELECT k.recommendation_id AS id, k.cycle_id, k.from_cycle_id, k.carried_at, k.superseded_by_id FROM carried_recommendation k
       WHERE k.recommendation_id IN (${this.placeholders(ids.length)}) ORDER BY k.recommendation_id, k.id`,
      ids,
    );
    for (const row of rows) {
      byId.get(Number(row.id))?.push({
        cycleId: Number(row.cycle_id), fromCycleId: Number(row.from_cycle_id), carriedAt: readSqlTime(row.carried_at),
        supersededById: row.superseded_by_id === null ? null : Number(row.superseded_by_id),
      });
    }
    return byId;
  }

  /**
   * The open cycle a recommendation of a closed cycle is followed in: carried there by a close and
   * not superseded by a recurring recommendation of that cycle. Null: nothing carries it on.
   */
  async findOpenCarry(recommendationId: number, manager: EntityManager = this.dataSource.manager): Promise<number | null> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const [row]: { cycle_id: number }[] = await manager.query(
      `SELECT k.cycle_id FROM carried_recommendation k JOIN review_cycle c ON c.id = k.cycle_id
       WHERE k.recommendation_id = ${p(1)} AND k.superseded_by_id IS NULL AND c.state = 'open' ORDER BY k.id DESC LIMIT 1`,
      [recommendationId],
    );
    return row ? Number(row.cycle_id) : null;
  }

  /**
   * A recurring recommendation linked to its predecessor (or unlinked: null) supersedes the carried
   * item of that predecessor in its own cycle: the follow-up goes on in the new one. Whatever it
   * superseded before is followed again.
   */
  async supersedeCarried(successorId: number, predecessorId: number | null, manager: EntityManager): Promise<void> {
    const p = (n: number) => placeholder(this.dataSource, n);
    await manager.query(`UPDATE carried_recommendation SET superseded_by_id = NULL WHERE superseded_by_id = ${p(1)}`, [successorId]);
    if (predecessorId === null) return;
    await manager.query(
      `UPDATE carried_recommendation SET superseded_by_id = ${p(1)}
       WHERE recommendation_id = ${p(2)} AND superseded_by_id IS NULL AND cycle_id = (SELECT r.cycle_id FROM recommendation r WHERE r.id = ${p(3)})`,
      [successorId, predecessorId, successorId],
    );
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

  /**
   * A recommendation's history, oldest first, with who made each change and the evidence it cited.
   * Hand-written because every detail and every status change answers with it (the entity queries it
   * replaced cost three round trips and the hydration). One statement: a change citing several
   * evidence items comes once per item, in evidence id order, and is folded back into one entry.
   */
  async history(recommendationId: number): Promise<HistoryRow[]> {
    const rows: (HistoryQueryRow & { evidence_id: number | null })[] = await this.dataSource.query(
      'SELECT c.id, c.recommendation_id, c.changed_by_id, c.from_status, c.to_status, c.note, c.note_public, c.created_at, u.name AS changed_by_name, ' +
        'l.evidence_id FROM status_change c LEFT JOIN app_user u ON u.id = c.changed_by_id ' +
        `LEFT JOIN status_change_evidence l ON l.status_change_id = c.id WHERE c.recommendation_id = ${this.placeholders(1)} ORDER BY c.id, l.evidence_id`,
      [recommendationId],
    );
    const history: HistoryRow[] = [];
    for (const row of rows) {
      const id = Number(row.id);
      let entry = history[history.length - 1];
      if (entry?.change.id !== id) {
        entry = {
          change: Object.assign(new StatusChange(), {
            id,
            recommendationId: Number(row.recommendation_id),
            changedById: Number(row.changed_by_id),
            fromStatus: row.from_status,
            toStatus: row.to_status,
            note: row.note,
            notePublic: Boolean(row.note_public),
            createdAt: readSqlTime(row.created_at),
          }),
          changedByName: row.changed_by_name ?? '',
          evidenceIds: [],
        };
        history.push(entry);
      }
      if (row.evidence_id !== null) entry.evidenceIds.push(Number(row.evidence_id));
    }
    return history;
  }

  /** Writes a history entry and answers its id (one INSERT … RETURNING, not a save and a reload). */
  async insertStatusChange(
    change: Pick<StatusChange, 'recommendationId' | 'changedById' | 'fromStatus' | 'toStatus' | 'note' | 'notePublic' | 'createdAt'>, manager: EntityManager,
  ): Promise<number> {
    const [row] = returnedRows<{ id: number }>(await manager.query(
      'INSERT INTO status_change (recommendation_id, changed_by_id, from_status, to_status, note, note_public, created_at) ' +
        `VALUES (${this.placeholders(7)}) RETURNING id`,
      // 1/0: better-sqlite3 binds no booleans, and PostgreSQL reads '1'/'0' as a boolean.
      [change.recommendationId, change.changedById, change.fromStatus, change.toStatus, change.note, change.notePublic ? 1 : 0, sqlTime(this.dataSource, change.createdAt)],
    ));
    return Number(row.id);
  }

  async linkEvidence(statusChangeId: number, evidenceIds: number[], manager: EntityManager): Promise<void> {
    if (evidenceIds.length > 0) await manager.insert(StatusChangeEvidence, evidenceIds.map((evidenceId) => ({ statusChangeId, evidenceId })));
  }

  /** How many follow the recommendation, and whether `userId` is one of them: one query. */
  async followers(recommendationId: number, userId: number): Promise<{ following: boolean; followerCount: number }> {
    const p = (n: number) => (this.isPostgres ? `$${n}` : '?');
    const [row]: { n: number | string; mine: number | string | null }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN f.user_id = ${p(1)} THEN 1 ELSE 0 END) AS mine FROM recommendation_follower f WHERE f.recommendation_id = ${p(2)}`,
      [userId, recommendationId],
    );
    return { following: Number(row.mine ?? 0) > 0, followerCount: Number(row.n) };
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

  /** Recommendations the person owns, most recently changed first, with their cycle, and the total (the dashboard). */
  async findOwnedBy(coalitionId: number, userId: number, limit: number): Promise<{ rows: Recommendation[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(Recommendation, 'r')
      .innerJoinAndSelect('r.cycle', 'c')
      .where('r.coalition_id = :coalitionId', { coalitionId })
      .andWhere('r.id IN (SELECT o.recommendation_id FROM recommendation_owner o WHERE o.user_id = :userId)', { userId });
    const [rows, total] = await Promise.all([
      query.clone().orderBy('r.updated_at', 'DESC').addOrderBy('r.id', 'DESC').take(limit).getMany(),
      query.clone().getCount(),
    ]);
    return { rows, total };
  }

  /** The coalition's latest status changes with their recommendation and who made them (notes are not read). */
  findRecentStatusChanges(coalitionId: number, limit: number): Promise<StatusChange[]> {
    return this.dataSource.manager
      .createQueryBuilder(StatusChange, 's')
      .innerJoinAndSelect('s.recommendation', 'r')
      .innerJoinAndSelect('s.changedBy', 'u')
      .where('r.coalition_id = :coalitionId', { coalitionId })
      .orderBy('s.id', 'DESC')
      .take(limit)
      .getMany();
  }

  async countByStatusInCycle(coalitionId: number, cycleId: number): Promise<Map<ImplementationStatus, number>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(Recommendation, 'r')
      .select('r.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('r.coalition_id = :coalitionId AND r.cycle_id = :cycleId', { coalitionId, cycleId })
      .groupBy('r.status')
      .getRawMany<{ status: ImplementationStatus; count: string | number }>();
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }
  /**
   * The State did not participate: every recommendation of the cycle has no response. Answers each
   * recommendation that changed with its response before (for its audit entry and notices): the rows
   * are read, then one UPDATE for the whole cycle, in the caller's transaction. (Pledges have
   * no_response already.)
   */
  async setNoResponseInCycle(cycle: { coalitionId: number; id: number }, at: Date, manager: EntityManager): Promise<{ recommendation: Recommendation; from: RecommendationResponse }[]> {
    const before = await manager.find(Recommendation, { where: { coalitionId: cycle.coalitionId, cycleId: cycle.id, response: Not('no_response') }, order: { id: 'ASC' } });
    if (before.length === 0) return [];
    const p = (n: number) => placeholder(this.dataSource, n);
    const rows = returnedRows<{ id: number }>(await manager.query(
      `UPDATE recommendation SET response = 'no_response', updated_at = ${p(1)}
       WHERE coalition_id = ${p(2)} AND cycle_id = ${p(3)} AND response <> 'no_response' RETURNING id`,
      [sqlTime(this.dataSource, at), cycle.coalitionId, cycle.id],
    ));
    const changed = new Set(rows.map((row) => Number(row.id)));
    return before.filter((r) => changed.has(r.id)).map((recommendation) => {
      const from = recommendation.response;
      recommendation.response = 'no_response';
      return { recommendation, from };
    });
  }

  countFullyImplemented(cycle: { coalitionId: number; id: number }, manager: EntityManager): Promise<number> {
    return manager.countBy(Recommendation, { coalitionId: cycle.coalitionId, cycleId: cycle.id, status: 'fully_implemented' });
  }

  /**
   * Cycle close: carries every unfinished recommendation (status other than fully_implemented) that
   * `from` follows into `to`, as a link (carried_recommendation), never as a copy: the recommendation
   * keeps its identity, response, status, tags, owners, followers, evidence and history, and `to`
   * counts it apart from what it received. `from` follows its own recommendations and those carried
   * into it and not superseded. One that already has a successor in `to` (an import linked by
   * lineage) is not carried: it is answered in `already`. Set-based: one INSERT … SELECT per chunk.
   */
  async carryInto(from: { coalitionId: number; id: number }, to: { id: number }, at: Date, manager: EntityManager): Promise<{ carried: CarriedItem[]; already: CarriedPair[] }> {
    // SQLite binds its "?" in order of appearance: every statement below numbers its parameters
    // in the order they appear in the text, and uses each once.
    const p = (n: number) => placeholder(this.dataSource, n);
    const followed: Record<string, unknown>[] = await manager.query(
      `SELECT o.id, o.cycle_id FROM recommendation o
       WHERE o.coalition_id = ${p(1)} AND o.status <> 'fully_implemented'
         AND (o.cycle_id = ${p(2)} OR o.id IN (SELECT k.recommendation_id FROM carried_recommendation k WHERE k.cycle_id = ${p(3)} AND k.superseded_by_id IS NULL))
       ORDER BY o.id`,
      [from.coalitionId, from.id, from.id],
    );
    const successors: Record<string, unknown>[] = await manager.query(
      `SELECT s.predecessor_id AS from_id, MIN(s.id) AS to_id FROM recommendation s WHERE s.cycle_id = ${p(1)} AND s.predecessor_id IS NOT NULL GROUP BY s.predecessor_id`,
      [to.id],
    );
    const successorOf = new Map(successors.map((row) => [Number(row.from_id), Number(row.to_id)]));
    const already: CarriedPair[] = [];
    const carried: CarriedItem[] = [];
    for (const row of followed) {
      const id = Number(row.id);
      const successor = successorOf.get(id);
      if (successor !== undefined) already.push({ fromId: id, toId: successor });
      else carried.push({ recommendationId: id, cycleId: Number(row.cycle_id) });
    }
    const time = sqlTime(this.dataSource, at);
    for (let i = 0; i < carried.length; i += IN_LIST_CHUNK) {
      const chunk = carried.slice(i, i + IN_LIST_CHUNK).map((c) => c.recommendationId);
      await manager.query(
        `INSERT INTO carried_recommendation (coalition_id, cycle_id, recommendation_id, from_cycle_id, carried_at)
         SELECT o.coalition_id, ${p(1)}, o.id, ${p(2)}, ${p(3)} FROM recommendation o WHERE o.id IN (${chunk.map((_, j) => p(j + 4)).join(', ')}) ORDER BY o.id`,
        [to.id, from.id, time, ...chunk],
      );
    }
    return { carried, already };
  }

  /** The predecessor a coordinator confirmed (lineage), or none. */
  async setPredecessor(recommendationId: number, predecessorId: number | null, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(Recommendation, { id: recommendationId }, { predecessorId, updatedAt: at });
    await this.supersedeCarried(recommendationId, predecessorId, manager);
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
 * A filter that is a set of ids. Tags and the full-text indexes (PostgreSQL's recommendation_search,
 * SQLite's FTS5 table) carry the coalition, so their sets hold the coalition's recommendations
 * only; a set of owned or carried recommendations does not.
 */
type IdSet = TagSet | { source: 'owner'; userId: number } | { source: 'text'; match: string }
  | { source: 'carried'; cycleId?: number } | { source: 'document'; query: string; tags: TagSet[] };

type TagSet = { source: 'tag'; kind: TagKind; values: string[] };

/**
 * The tsquery of tag sets on PostgreSQL's stored tags (migration 1795970200000): each set one of its
 * lexemes ('theme D25'), every set at once. Written as quoted lexemes, which keep any value as it
 * is (a quote doubled, a backslash escaped), rather than parsed into words.
 */
export function tagsTsquery(sets: { kind: TagKind; values: string[] }[]): string {
  const lexeme = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return sets.map((set) => `(${set.values.map((value) => lexeme(`${set.kind} ${value}`)).join(' | ')})`).join(' & ');
}

/** A page (`slice` given) or the count (`slice` null) of the listing. */
function listingStatement(dialect: SqlDialect, f: RecommendationFilters, slice: { offset: number; limit: number } | null): SqlStatement {
  const params: (string | number)[] = [];
  // Values are bound as the text is written, left to right, so that SQLite's "?" line up: every
  // piece below is a function, called in the order it appears in the statement.
  const bind = (value: string | number) => {
    params.push(value);
    return dialect === 'postgres' ? `$${params.length}` : '?';
  };
  const tagCondition = (alias: string, set: { kind: TagKind; values: string[] }) =>
    `${alias}.coalition_id = ${bind(f.coalitionId)} AND ${alias}.kind = '${set.kind}' AND ` +
    (set.values.length === 1 ? `${alias}.value = ${bind(set.values[0])}` : `${alias}.value IN (${set.values.map((v) => bind(v)).join(', ')})`);
  // Each document holds its coalition as the lexeme 'coalition <id>' (migration 1795970000000), so
  // the GIN index finds the coalition's matches alone. The text's query must have a word in it:
  // an empty one (only stop words) would leave the coalition's lexeme alone, matching everything.
  // The tag sets given beside the text are lexemes of the same row's tags (migration 1795970200000):
  // the GIN index over both columns finds the rows that have both in one scan.
  const documentCondition = (alias: string, set: { query: string; tags: TagSet[] }) => {
    const query = `websearch_to_tsquery('english', ${bind(set.query)})`;
    const tags = set.tags.length > 0 ? ` AND ${alias}.tags @@ ${bind(tagsTsquery(set.tags))}::tsquery` : '';
    return `${alias}.document @@ (${query} && ${bind(`'coalition ${f.coalitionId}'`)}::tsquery)${tags} AND numnode(${query}) > 0`;
  };
  const rowConditions: (() => string)[] = [];
  // carried=true lists the recommendations carried into the cycle, which belong to earlier cycles.
  if (f.cycleId !== undefined && f.carried !== true) rowConditions.push(() => `r.cycle_id = ${bind(f.cycleId!)}`);
  if (f.carried === false) rowConditions.push(() => "r.origin = 'received'");
  if (f.status) rowConditions.push(() => `r.status = ${bind(f.status!)}`);
  if (f.response) rowConditions.push(() => `r.response = ${bind(f.response!)}`);
  if (f.stateUnderReview) {
    rowConditions.push(() => `r.cycle_id IN (SELECT c.id FROM review_cycle c WHERE c.coalition_id = ${bind(f.coalitionId)} AND c.state_under_review = ${bind(f.stateUnderReview!)})`);
  }
  if (f.kind) rowConditions.push(() => `r.kind = ${bind(f.kind!)}`);
  const sets: IdSet[] = [];
  if (f.theme) sets.push({ source: 'tag', kind: 'theme', values: f.theme });
  if (f.affectedPerson) sets.push({ source: 'tag', kind: 'affected_person', values: f.affectedPerson });
  if (f.sdg) sets.push({ source: 'tag', kind: 'sdg', values: f.sdg });
  if (f.recommendingState) sets.push({ source: 'tag', kind: 'recommending_state', values: [f.recommendingState] });
  if (f.ownerId !== undefined) sets.push({ source: 'owner', userId: f.ownerId });
  if (f.carried === true) sets.push({ source: 'carried', cycleId: f.cycleId });
  if (f.q && dialect === 'postgres') {
    // The tag sets become conditions on the document's row (its tags), so that one GIN scan gives
    // the few ids that match the text and the tags: joined to a tag set instead, the search read
    // every match of the text, or every row of the tag (status + theme + q at 1,000,000: 13,000
    // pages of recommendation_search for 230 rows).
    const tags = sets.filter((set): set is TagSet => set.source === 'tag');
    const others = sets.filter((set) => set.source !== 'tag');
    sets.splice(0, sets.length, ...others);
    const query = f.q;
    if (others.length === 0) {
      // The stored documents (migration 1795970000000), found by their GIN index: no to_tsvector per row.
      sets.push({ source: 'document', query, tags });
    } else {
      // Beside an owner or carried set, the search is a condition on each row, never one more set
      // to INTERSECT: given both sets, the planner walked recommendation in id order until the
      // intersection (which it had to build whole first) gave a page. As a condition it joins the
      // document matches to the other set and reads recommendation only for the ids both hold, or
      // checks the document of each row the other set gives.
      rowConditions.push(() => `EXISTS (SELECT 1 FROM recommendation_search s WHERE s.recommendation_id = r.id AND ${documentCondition('s', { query, tags })})`);
    }
  } else if (f.q) {
    // Input with no word in it matches nothing.
    // The coalition is a column of the FTS5 index (migration 1795970000000): FTS5 finds the
    // coalition's matches by itself instead of the query probing recommendation for each match.
    const match = toFtsMatch(f.q);
    if (match) sets.push({ source: 'text', match: `coalition_id : "${Number(f.coalitionId)}" AND text : (${match})` });
    else rowConditions.push(() => '1 = 0');
  }
  const onRow = () => [`r.coalition_id = ${bind(f.coalitionId)}`, ...rowConditions.map((c) => c())];

  // A single set drives the query: it is walked in id order and each of its ids looked up in
  // recommendation, so the first page stops after 50 rows instead of first gathering the whole set.
  // CROSS JOIN makes SQLite (which has no statistics: the application never runs ANALYZE) start
  // from the set; PostgreSQL treats it as any inner join.
  // A tag set of several values (a theme and those beneath it) may match a recommendation twice:
  // it goes through the IN below, which counts each once.
  if (!slice && sets.length === 0 && rowConditions.length === 0) {
    // No filter: the count the triggers keep (migration 1795970100000), not the coalition's rows.
    return { sql: `SELECT COALESCE((SELECT c.n FROM coalition_recommendation_count c WHERE c.coalition_id = ${bind(f.coalitionId)}), 0) AS total`, params };
  }
  const [only] = sets.length === 1 && !(sets[0].source === 'tag' && sets[0].values.length > 1) ? sets : [];
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
  } else if (only?.source === 'document') {
    // As a tag set: the documents carry the coalition, so a count without conditions on the row
    // never reads recommendation.
    if (!slice && rowConditions.length === 0) {
      return { sql: `SELECT COUNT(*) AS total FROM recommendation_search s WHERE ${documentCondition('s', only)}`, params };
    }
    // A page does not ask recommendation for the coalition: the lexeme already holds the matches to
    // it, and the planner takes the two as independent, counting the coalition's share twice. That
    // underestimate (at 1,000,000 over four coalitions, 277 rows expected for q=death penalty's
    // 16,700) made it gather every match and sort them rather than walk in id order (480 ms against
    // 2 ms). A count keeps it: with a row condition it reads the (coalition_id, status) index.
    from = 'recommendation_search s JOIN recommendation r ON r.id = s.recommendation_id';
    where = [documentCondition('s', only), ...(slice ? rowConditions.map((c) => c()) : onRow())];
    // With tags, the index gives few ids (theme + q at 1,000,000: 1,074 of the text's 16,700), and
    // sorting them is always cheaper than walking recommendation_search in id order until 50 pass
    // (50,000 rows read for theme + q, and the whole table when a tag is rare): "+ 0" keeps the
    // planner off the primary key's order.
    order = only.tags.length > 0 ? 's.recommendation_id + 0' : 's.recommendation_id';
  } else if (only?.source === 'text' && !slice && rowConditions.length === 0) {
    // The index alone counts its matches; it never reads recommendation.
    return { sql: `SELECT COUNT(*) AS total FROM recommendation_fts WHERE recommendation_fts MATCH ${bind(only.match)}`, params };
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
      if (set.source === 'carried') {
        return `SELECT k.recommendation_id FROM carried_recommendation k WHERE k.coalition_id = ${bind(f.coalitionId)}${set.cycleId === undefined ? '' : ` AND k.cycle_id = ${bind(set.cycleId)}`}`;
      }
      if (set.source === 'document') return `SELECT s${i}.recommendation_id FROM recommendation_search s${i} WHERE ${documentCondition(`s${i}`, set)}`;
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
    kind: row.kind,
    origin: row.origin,
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
