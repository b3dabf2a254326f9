import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { Deadline } from '../deadlines/deadline.entity';
import { placeholder, sqlTime } from '../database/sql-values';
import { Recommendation } from '../recommendations/recommendation.entity';
import { type ImplementationStatus, type RecommendationKind, type RecommendationResponse, TAG_KINDS, type TagKind } from '../vocabulary/recommendation.vocabulary';

export interface GroupCount {
  kind: RecommendationKind;
  response: RecommendationResponse;
  status: ImplementationStatus;
  actionCategory: number | null;
  count: number;
}

/** Carried into the cycle, by current status and whether a recurring recommendation superseded them. */
export interface CarriedCount {
  status: ImplementationStatus;
  superseded: boolean;
  count: number;
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface EvidenceTotals {
  items: number;
  recommendationsWithEvidence: number;
}

export interface OverdueDeadlineRow {
  deadline: Deadline;
  paragraph: string | null;
}

export interface RecurringRow {
  id: number;
  paragraph: string | null;
  text: string;
  status: ImplementationStatus;
  /** Cycle numbers of its predecessors, nearest first. */
  earlierCycles: number[];
}

export interface TestimonyExcerptRow {
  recommendationId: number;
  paragraph: string | null;
  excerpt: string;
}

/** One line of the CSV and XLSX list, cell by cell, in the order of LIST_CELLS. */
export interface ListCells {
  id: number;
  paragraph: string | null;
  text: string;
  recommending_states: string | null;
  response: string;
  kind: string;
  status: string;
  themes: string | null;
  affected_persons: string | null;
  sdgs: string | null;
  action_category: number | null;
  evidence_count: number;
  predecessor_id: number | null;
  last_status_note: string | null;
  last_status_changed_at: string | null;
  /** The alpha-3 codes of the recommending States, in their order ("" for a name that is no State). */
  recommending_state_codes: string | null;
  /** Set by ReportsService: the cycle's State under review and its code, on every row. */
  state_under_review?: string;
  state_under_review_code?: string | null;
}

/** The columns of the CSV export and of the XLSX list sheet, in order. */
export const LIST_CELLS: (keyof ListCells)[] = [
  'id', 'paragraph', 'text', 'recommending_states', 'response', 'kind', 'status', 'themes', 'affected_persons', 'sdgs', 'action_category',
  'evidence_count', 'predecessor_id', 'last_status_note', 'last_status_changed_at',
  // Added with issue 12, after the columns readers already had, so that none of theirs moves.
  'recommending_state_codes', 'state_under_review', 'state_under_review_code',
];

/** Rows per read of the list: memory stays flat however large the cycle. */
export const LIST_CHUNK = 2000;
const MAX_CHAIN = 50;

/**
 * The report's figures are counted by the database (GROUP BY), never by loading rows; the list is
 * read in id order in ranges of LIST_CHUNK rows, so a cycle of 100,000 recommendations streams.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  private p(n: number): string {
    return placeholder(this.dataSource, n);
  }

  /** One pass over the cycle gives the counts by kind, status, response, action category and the implementation rates. */
  async countByResponseStatusCategory(coalitionId: number, cycleId: number): Promise<GroupCount[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT r.kind, r.response, r.status, r.action_category, COUNT(*) AS count FROM recommendation r
       WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received'
       GROUP BY r.kind, r.response, r.status, r.action_category`,
      [coalitionId, cycleId],
    );
    return rows.map((row) => ({
      kind: row.kind as RecommendationKind,
      response: row.response as RecommendationResponse,
      status: row.status as ImplementationStatus,
      actionCategory: row.action_category === null ? null : Number(row.action_category),
      count: Number(row.count),
    }));
  }

  /**
   * Recommendations per theme or per recommending State, most first. (One query per kind: a single
   * query for both kinds cost SQLite more than the two together, grouping on the longer key.) The
   * tags are read in value order from IDX_recommendation_tag_coalition_value and kept when their
   * recommendation is in the cycle (a semi-join), so the groups come out already in order: joining
   * from the recommendations instead made SQLite sort every tag row of the cycle first, five times
   * slower at 100,000 recommendations (0.75 s against 0.15 s per kind).
   */
  async countByTag(coalitionId: number, cycleId: number, kind: TagKind): Promise<ValueCount[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${kind === 'theme' ? themeLabelSql('t.value') : 't.value'} AS value, COUNT(*) AS count FROM recommendation_tag t
       WHERE t.coalition_id = ${this.p(1)} AND t.kind = ${this.p(2)}
         AND t.recommendation_id IN (SELECT r.id FROM recommendation r WHERE r.coalition_id = ${this.p(3)} AND r.cycle_id = ${this.p(4)} AND r.origin = 'received')
       GROUP BY t.value ORDER BY COUNT(*) DESC, t.value`,
      [coalitionId, kind, coalitionId, cycleId],
    );
    return rows.map((row) => ({ value: String(row.value), count: Number(row.count) }));
  }

  /** What closes carried into the cycle, counted apart from what it received. */
  async countCarried(coalitionId: number, cycleId: number): Promise<CarriedCount[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT r.status, CASE WHEN k.superseded_by_id IS NULL THEN 0 ELSE 1 END AS superseded, COUNT(*) AS count
       FROM carried_recommendation k JOIN recommendation r ON r.id = k.recommendation_id
       WHERE k.coalition_id = ${this.p(1)} AND k.cycle_id = ${this.p(2)}
       GROUP BY r.status, CASE WHEN k.superseded_by_id IS NULL THEN 0 ELSE 1 END`,
      [coalitionId, cycleId],
    );
    return rows.map((row) => ({ status: row.status as ImplementationStatus, superseded: Number(row.superseded) === 1, count: Number(row.count) }));
  }

  async evidenceTotals(coalitionId: number, cycleId: number): Promise<EvidenceTotals> {
    const [row]: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT COUNT(*) AS items, COUNT(DISTINCT e.recommendation_id) AS recommendations
       FROM evidence e JOIN recommendation r ON r.id = e.recommendation_id
       WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received' AND e.removed_at IS NULL`,
      [coalitionId, cycleId],
    );
    return { items: Number(row.items), recommendationsWithEvidence: Number(row.recommendations) };
  }

  /** Open deadlines of the cycle (or of its recommendations) that were due before `now`, oldest first. */
  async findOverdueDeadlines(coalitionId: number, cycleId: number, now: Date): Promise<OverdueDeadlineRow[]> {
    const { entities, raw } = await this.dataSource.manager
      .createQueryBuilder(Deadline, 'd')
      .leftJoin(Recommendation, 'r', 'r.id = d.recommendation_id')
      .addSelect('r.paragraph', 'paragraph')
      .where('d.coalition_id = :coalitionId', { coalitionId })
      .andWhere('d.cycle_id = :cycleId', { cycleId })
      .andWhere("d.state = 'open'")
      .andWhere('d.due_at < :now', { now: sqlTime(this.dataSource, now) })
      .orderBy('d.due_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getRawAndEntities();
    return entities.map((deadline, i) => ({ deadline, paragraph: (raw[i]?.paragraph as string | null) ?? null }));
  }

  /**
   * The cycle's recommendations that have predecessors, with the cycle numbers of the whole chain:
   * one recursive query for all of them (the same SQL on SQLite and PostgreSQL). Received ones only,
   * and only the cycles a link of the chain was received in: a copy an old close made (origin
   * carried) is counted with the carried items, never as recurring, and its cycle is not one the
   * recommendation was "made in".
   */
  async findRecurring(coalitionId: number, cycleId: number): Promise<RecurringRow[]> {
    const chainRows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH RECURSIVE chain (start_id, id, depth) AS (
         SELECT r.id, r.predecessor_id, 1 FROM recommendation r
         WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received' AND r.predecessor_id IS NOT NULL
         UNION ALL
         SELECT chain.start_id, p.predecessor_id, chain.depth + 1 FROM chain JOIN recommendation p ON p.id = chain.id
         WHERE p.predecessor_id IS NOT NULL AND chain.depth < ${MAX_CHAIN}
       )
       SELECT chain.start_id, c.number FROM chain
       JOIN recommendation a ON a.id = chain.id JOIN review_cycle c ON c.id = a.cycle_id
       WHERE a.origin = 'received'
       ORDER BY chain.start_id, chain.depth`,
      [coalitionId, cycleId],
    );
    if (chainRows.length === 0) return [];
    const earlier = new Map<number, number[]>();
    for (const row of chainRows) {
      const id = Number(row.start_id);
      let list = earlier.get(id);
      if (!list) earlier.set(id, (list = []));
      list.push(Number(row.number));
    }
    const recommendations = await this.dataSource.manager.find(Recommendation, {
      where: { coalitionId, cycleId, origin: 'received', predecessorId: Not(IsNull()) },
      select: { id: true, paragraph: true, text: true, status: true, predecessorId: true },
      order: { id: 'ASC' },
    });
    return recommendations
      .filter((r) => earlier.has(r.id))
      .map((r) => ({ id: r.id, paragraph: r.paragraph, text: r.text, status: r.status, earlierCycles: earlier.get(r.id)! }));
  }

  /**
   * The anonymised excerpts of testimonies linked to the cycle's recommendations (issue 13): the
   * coordinator's excerpt only, never the testimony, and only while the person's consent allows
   * quoting (anonymised or public) and the testimony was not withdrawn.
   */
  async findTestimonyExcerpts(coalitionId: number, cycleId: number): Promise<TestimonyExcerptRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT DISTINCT r.id AS "recommendationId", r.paragraph, t.id AS "testimonyId", t.excerpt
       FROM evidence e JOIN recommendation r ON r.id = e.recommendation_id JOIN testimony t ON t.id = e.testimony_id AND t.coalition_id = r.coalition_id
       WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND e.kind = 'testimony' AND e.removed_at IS NULL
         AND t.excerpt IS NOT NULL AND t.withdrawn_at IS NULL AND t.consent IN ('anonymised', 'public')
       ORDER BY r.id, t.id`,
      [coalitionId, cycleId],
    );
    return rows.map((row) => ({ recommendationId: Number(row.recommendationId), paragraph: (row.paragraph as string | null) ?? null, excerpt: String(row.excerpt) }));
  }

  /**
   * The list, LIST_CHUNK rows at a time in id order, each row already as the JSON text of a
   * ReportRecommendation (same keys, same order). The database builds the JSON: at 100,000
   * recommendations that costs SQLite about 1.2 s of CPU, where fetching the values and building
   * objects and JSON in JavaScript cost about 2.9 s. Per row, its tags (in their given order, from
   * IDX_recommendation_tag_order), the number of evidence items (a count: nothing of confidential
   * evidence is read) and the last status change are index lookups in the same statement.
   */
  async *listJson(coalitionId: number, cycleId: number): AsyncGenerator<string[]> {
    const sql = this.isPostgres ? this.postgresListSql() : this.sqliteListSql();
    for await (const rows of this.chunks<{ row: string }>(sql, coalitionId, cycleId)) yield rows.map((r) => r.row);
  }

  /**
   * The list as the spreadsheet cells of the CSV and XLSX exports (keys: LIST_CELLS), LIST_CHUNK
   * rows at a time: several values in one cell are joined with "; " by the database.
   */
  async *listCells(coalitionId: number, cycleId: number): AsyncGenerator<ListCells[]> {
    const postgres = this.isPostgres;
    const tags = (kind: TagKind) => postgres
      ? `g.${kind}s`
      : kind === 'sdg'
        ? `(SELECT group_concat(t.value, '; ' ORDER BY ${sqliteSdgGoal('t.value')}, t.position) FROM recommendation_tag t WHERE t.recommendation_id = r.id AND t.kind = 'sdg')`
        : `(SELECT group_concat(value, '; ') FROM (${sqliteTagsInOrder(kind)}))`;
    const changedAt = postgres ? this.postgresIso('s.created_at', 5) : "strftime('%Y-%m-%dT%H:%M:%fZ', s.created_at)";
    const sql = `SELECT r.id, r.paragraph, r.text, ${tags('recommending_state')} AS recommending_states, r.response, r.kind, r.status,
        ${tags('theme')} AS themes, ${tags('affected_person')} AS affected_persons, ${tags('sdg')} AS sdgs, r.action_category,
        CAST((SELECT COUNT(*) FROM evidence e WHERE e.recommendation_id = r.id AND e.removed_at IS NULL) AS integer) AS evidence_count, r.predecessor_id,
        s.note AS last_status_note, ${changedAt} AS last_status_changed_at,
        ${postgres ? 'g.recommending_state_codes' : `(SELECT group_concat(COALESCE(${sqliteStateCode('v.value')}, ''), '; ') FROM (${sqliteTagsInOrder('recommending_state')}) v)`} AS recommending_state_codes
      ${this.listFrom(postgres ? this.postgresTagsJoin('string_agg') : '')}`;
    yield* this.chunks<ListCells>(sql, coalitionId, cycleId);
  }

  /**
   * Runs a list statement over the cycle's recommendations in id ranges of LIST_CHUNK rows, in id
   * order. The ranges are known up front, so the next one is fetched while the current one is being
   * sent: on PostgreSQL two chunks are computed at once, on two cores. (SQLite answers one at a
   * time whatever is asked.)
   */
  private async *chunks<T>(sql: string, coalitionId: number, cycleId: number): AsyncGenerator<T[]> {
    const bounds = await this.chunkBounds(coalitionId, cycleId);
    // PostgreSQL's timestamp columns hold this process's local wall time (as node-postgres writes and reads Dates).
    const extra = this.isPostgres ? [Intl.DateTimeFormat().resolvedOptions().timeZone] : [];
    const fetch = (i: number): Promise<T[]> => {
      const rows: Promise<T[]> = this.dataSource.query(sql, [coalitionId, cycleId, bounds[i], bounds[i + 1], ...extra]);
      // Awaited below; a reader that stops early must not leave its failure unhandled.
      rows.catch(() => undefined);
      return rows;
    };
    let next = bounds.length > 1 ? fetch(0) : null;
    for (let i = 0; next; i++) {
      const current = next;
      next = i + 2 < bounds.length ? fetch(i + 1) : null;
      yield await current;
    }
  }

  /** The first id of every chunk of the cycle, and one past its last id: one index-only pass. */
  private async chunkBounds(coalitionId: number, cycleId: number): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM (SELECT r.id, ROW_NUMBER() OVER (ORDER BY r.id) AS n FROM recommendation r
         WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received') numbered
       WHERE (n - 1) % ${LIST_CHUNK} = 0 ORDER BY id`,
      [coalitionId, cycleId],
    );
    if (rows.length === 0) return [];
    const [{ last }]: { last: number }[] = await this.dataSource.query(
      `SELECT MAX(r.id) AS last FROM recommendation r WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received'`,
      [coalitionId, cycleId],
    );
    return [...rows.map((row) => Number(row.id)), Number(last) + 1];
  }

  /** A PostgreSQL timestamp (this process's local wall time) as UTC ISO text, like Date.toISOString(). */
  private postgresIso(column: string, timeZoneParameter: number): string {
    return `to_char((${column} AT TIME ZONE ${this.p(timeZoneParameter)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }

  private sqliteListSql(): string {
    const tags = (kind: TagKind) =>
      `json((SELECT json_group_array(value) FROM (${sqliteTagsInOrder(kind)})))`;
    return `SELECT r.id, json_object(
        'id', r.id, 'paragraph', r.paragraph, 'text', r.text, 'recommendingStates', ${tags('recommending_state')},
        'recommendingStateCodes', json((SELECT json_group_array(${sqliteStateCode('v.value')}) FROM (${sqliteTagsInOrder('recommending_state')}) v)),
        'response', r.response, 'kind', r.kind, 'status', r.status, 'themes', ${tags('theme')}, 'affectedPersons', ${tags('affected_person')},
        'sdgs', json((SELECT json_group_array(goal ORDER BY goal) FROM (SELECT DISTINCT ${sqliteSdgGoal('t.value')} AS goal FROM recommendation_tag t WHERE t.recommendation_id = r.id AND t.kind = 'sdg'))),
        'sdgTargets', json((SELECT json_group_array(t.value ORDER BY t.position) FROM recommendation_tag t WHERE t.recommendation_id = r.id AND t.kind = 'sdg' AND t.value LIKE '%.%')),
        'actionCategory', r.action_category, 'predecessorId', r.predecessor_id,
        'evidenceCount', (SELECT COUNT(*) FROM evidence e WHERE e.recommendation_id = r.id AND e.removed_at IS NULL),
        'lastStatusNote', s.note, 'lastStatusChangedAt', strftime('%Y-%m-%dT%H:%M:%fZ', s.created_at)) AS row
      ${this.listFrom()}`;
  }

  private postgresListSql(): string {
    return `SELECT json_build_object(
        'id', r.id, 'paragraph', r.paragraph, 'text', r.text, 'recommendingStates', COALESCE(g.recommending_states, '[]'),
        'recommendingStateCodes', COALESCE(g.recommending_state_codes, '[]'),
        'response', r.response, 'kind', r.kind, 'status', r.status, 'themes', COALESCE(g.themes, '[]'), 'affectedPersons', COALESCE(g.affected_persons, '[]'),
        'sdgs', COALESCE(g.sdgs, '[]'), 'sdgTargets', COALESCE(g.sdg_targets, '[]'), 'actionCategory', r.action_category, 'predecessorId', r.predecessor_id,
        'evidenceCount', (SELECT COUNT(*) FROM evidence e WHERE e.recommendation_id = r.id AND e.removed_at IS NULL),
        'lastStatusNote', s.note, 'lastStatusChangedAt', ${this.postgresIso('s.created_at', 5)})::text AS row
      ${this.listFrom(this.postgresTagsJoin('json_agg'))}`;
  }

  /**
   * PostgreSQL: one pass over a recommendation's tags gives all four lists (a subquery per kind,
   * as on SQLite, cost PostgreSQL a quarter more); json_agg for the JSON rows, string_agg for the
   * spreadsheet cells.
   */
  private postgresTagsJoin(aggregate: 'json_agg' | 'string_agg'): string {
    const list = (kind: TagKind) => {
      // SDG tags are goals ("5") and targets ("5.1"): the JSON's sdgs are the goals of both, once each
      // (a target counts under its goal), its sdgTargets the targets; the cell lists both by goal.
      if (kind === 'sdg' && aggregate === 'json_agg') {
        return `json_agg(DISTINCT ${POSTGRES_SDG_GOAL} ORDER BY ${POSTGRES_SDG_GOAL}) FILTER (WHERE t.kind = 'sdg') AS sdgs, ` +
          `json_agg(t.value ORDER BY t.position) FILTER (WHERE t.kind = 'sdg' AND t.value LIKE '%.%') AS sdg_targets`;
      }
      const value = kind === 'theme' ? themeLabelSql('t.value') : 't.value';
      const order = kind === 'sdg' ? `${POSTGRES_SDG_GOAL}, t.position` : 't.position';
      return `${aggregate}(${value}${aggregate === 'string_agg' ? ", '; '" : ''} ORDER BY ${order}) FILTER (WHERE t.kind = '${kind}') AS ${kind}s`;
    };
    // The recommending States' codes come from the same pass: the canonical name is state.name_en (unique, indexed).
    const codes = aggregate === 'json_agg'
      ? "json_agg(st.code ORDER BY t.position) FILTER (WHERE t.kind = 'recommending_state') AS recommending_state_codes"
      : "string_agg(COALESCE(st.code, ''), '; ' ORDER BY t.position) FILTER (WHERE t.kind = 'recommending_state') AS recommending_state_codes";
    return `LEFT JOIN LATERAL (SELECT ${TAG_KINDS.map(list).join(', ')}, ${codes} FROM recommendation_tag t
      LEFT JOIN state st ON t.kind = 'recommending_state' AND st.name_en = t.value WHERE t.recommendation_id = r.id) g ON true`;
  }

  /** One chunk (ids from $3 to before $4) through the (coalition_id, cycle_id, id) index, with the last status change. */
  private listFrom(join = ''): string {
    return `FROM recommendation r ${join}
      LEFT JOIN status_change s ON s.id = (SELECT MAX(s2.id) FROM status_change s2 WHERE s2.recommendation_id = r.id)
      WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received' AND r.id >= ${this.p(3)} AND r.id < ${this.p(4)}
      ORDER BY r.id`;
  }
}

/**
 * SQLite: a recommendation's tags of one kind in their given order, to aggregate. An ORDER BY inside
 * the aggregate made SQLite open a sorter for every row of the list; this ordered subquery is read
 * straight from IDX_recommendation_tag_order, already in order, and SQLite never flattens a subquery
 * with ORDER BY into an aggregate, so the rows reach the aggregate in that order.
 */
/** SQLite: the alpha-3 code of a canonical State name (state.name_en is unique, so this is an index lookup), or NULL. */
function sqliteStateCode(name: string): string {
  return `(SELECT st.code FROM state st WHERE st.name_en = ${name})`;
}

/**
 * The goal of a stored SDG tag, "5" or a target "5.1" / "16.a" (issue 12): the digits before the dot.
 * A cast of the whole value would fail on PostgreSQL for a target; NULL for a value with no number.
 */
const POSTGRES_SDG_GOAL = `CAST(substring(t.value from '^[0-9]+') AS integer)`;

/** SQLite: CAST reads the leading digits ("16.a" is 16). */
function sqliteSdgGoal(column: string): string {
  return `CAST(${column} AS INTEGER)`;
}

function sqliteTagsInOrder(kind: TagKind): string {
  return `SELECT ${kind === 'theme' ? `${themeLabelSql('t.value')} AS value` : 't.value'} FROM recommendation_tag t WHERE t.recommendation_id = r.id AND t.kind = '${kind}' ORDER BY t.position`;
}

/**
 * A stored theme code as reports show it, "D23 Death penalty" (issue 12): the code and the name from
 * the shipped `theme` table (read only), or the value as written when it is no code (kept from before).
 */
function themeLabelSql(value: string): string {
  return `COALESCE((SELECT th.code || ' ' || th.name FROM theme th WHERE th.code = ${value}), ${value})`;
}
