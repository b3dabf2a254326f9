import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { Deadline } from '../deadlines/deadline.entity';
import { SQLITE_BUSY_TIMEOUT_MS } from '../database/data-source-options';
import { bindNamed, placeholder, sqlTime } from '../database/sql-values';
import { SqliteReadWorker } from '../database/sqlite-read-worker';
import { Recommendation } from '../recommendations/recommendation.entity';
import { type ImplementationStatus, type RecommendationKind, type RecommendationResponse, type TagKind } from '../vocabulary/recommendation.vocabulary';
import { type ListCells, postgresListCells, postgresListCsv, postgresListJson, sqliteListCells, sqliteListCsv, sqliteListJson, themeLabelSql } from './report-list-sql';

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

export { LIST_CELLS, type ListCells } from './report-list-sql';

export interface TestimonyExcerptRow {
  recommendationId: number;
  paragraph: string | null;
  excerpt: string;
}

/** Rows per read of the list: memory stays flat however large the cycle. */
export const LIST_CHUNK = 2000;
/** Chunks read ahead of the reader on SQLite (about 1.3 MB of JSON each): the worker keeps going while the figures are counted. */
const LIST_AHEAD = 8;
const MAX_CHAIN = 50;

/**
 * The report's figures are counted by the database (GROUP BY), never by loading rows; the list is
 * read in id order in ranges of LIST_CHUNK rows, so a cycle of 100,000 recommendations streams.
 */
@Injectable()
export class ReportsRepository implements OnModuleDestroy {
  /** Made at the first list read; null when the list is read on the application's connection. */
  private worker: SqliteReadWorker | null | undefined;

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
    // The chains start from IDX_recommendation_successors (only recommendations with a predecessor);
    // CROSS JOIN keeps SQLite reading the chain first and each link by id, where it chose to scan the
    // coalition's recommendations for the links (7 ms at 100,000, for no chain at all).
    const chainRows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH RECURSIVE chain (start_id, id, depth) AS (
         SELECT r.id, r.predecessor_id, 1 FROM recommendation r
         WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received' AND r.predecessor_id IS NOT NULL
         UNION ALL
         SELECT chain.start_id, p.predecessor_id, chain.depth + 1 FROM chain JOIN recommendation p ON p.id = chain.id
         WHERE p.predecessor_id IS NOT NULL AND chain.depth < ${MAX_CHAIN}
       )
       SELECT chain.start_id, c.number FROM chain
       CROSS JOIN recommendation a JOIN review_cycle c ON c.id = a.cycle_id
       WHERE a.id = chain.id AND a.origin = 'received'
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
   * objects and JSON in JavaScript cost about 2.9 s. How each chunk is read: report-list-sql.ts.
   */
  listJson(coalitionId: number, cycleId: number): AsyncIterable<string[]> {
    const sql = this.isPostgres ? postgresListJson() : sqliteListJson();
    return this.chunks(sql, coalitionId, cycleId, (text, values) => this.readList<{ row: string }>(text, values).then((rows) => rows.map((r) => r.row)));
  }

  /** The same rows as listJson, each chunk's joined with "," into one text (the JSON writer's form). */
  listJsonText(coalitionId: number, cycleId: number): AsyncIterable<string> {
    return this.chunks(this.isPostgres ? postgresListJson() : sqliteListJson(), coalitionId, cycleId, (text, values) => this.readJoined(text, values, ','));
  }

  /**
   * The list as the spreadsheet cells of the XLSX export (keys: LIST_CELLS), LIST_CHUNK rows at a
   * time: several values in one cell are joined with "; " by the database.
   */
  listCells(coalitionId: number, cycleId: number): AsyncIterable<ListCells[]> {
    return this.chunks(this.isPostgres ? postgresListCells() : sqliteListCells(), coalitionId, cycleId, (text, values) => this.readList<ListCells>(text, values));
  }

  /**
   * The list as CSV, each chunk's lines (written by the database in LIST_CELLS' order up to the State
   * under review) joined with `lineEnd`, which the caller makes of the State under review (the same
   * on every line) and the line break; without the last line's.
   */
  listCsvText(coalitionId: number, cycleId: number, lineEnd: string): AsyncIterable<string> {
    return this.chunks(this.isPostgres ? postgresListCsv() : sqliteListCsv(), coalitionId, cycleId, (text, values) => this.readJoined(text, values, lineEnd));
  }

  /**
   * Reads a list statement over the cycle's recommendations in id ranges of LIST_CHUNK rows, in id
   * order, and starts at once: the ranges are read ahead of the reader (LIST_AHEAD of them), so on
   * SQLite the read workers fill them, two at a time, while the caller counts the report's figures on the main
   * connection and sends what it has, and PostgreSQL computes two at once on two cores.
   */
  private chunks<T>(sql: string, coalitionId: number, cycleId: number, read: (text: string, values: unknown[]) => Promise<T>): AsyncIterable<T> {
    // PostgreSQL's timestamp columns hold this process's local wall time (as node-postgres writes and reads Dates).
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // Ahead on the application's own connection (PostgreSQL's pool, or SQLite without a file), the reads
    // would only delay the figures: measured, a SQLite report's first byte came 0.3 s later with 8 ahead.
    const ahead = this.readWorker() ? LIST_AHEAD : 2;
    const requested = new Map<number, Promise<T>>();
    const request = (bounds: number[], i: number) => {
      if (i + 1 >= bounds.length || requested.has(i)) return;
      const [text, values] = bindNamed(this.dataSource, sql, { coalition: coalitionId, cycle: cycleId, from: bounds[i], to: bounds[i + 1], zone });
      const rows = read(text, values);
      // Awaited below; a reader that stops early must not leave its failure unhandled.
      rows.catch(() => undefined);
      requested.set(i, rows);
    };
    const bounds = this.chunkBounds(coalitionId, cycleId).then((found) => {
      for (let i = 0; i < ahead; i++) request(found, i);
      return found;
    });
    bounds.catch(() => undefined);
    return (async function* readInOrder() {
      const found = await bounds;
      for (let i = 0; i + 1 < found.length; i++) {
        request(found, i);
        request(found, i + ahead);
        const rows = await requested.get(i)!;
        requested.delete(i);
        yield rows;
      }
    })();
  }

  /** The first id of every chunk of the cycle, and one past its last id: one index-only pass. */
  private async chunkBounds(coalitionId: number, cycleId: number): Promise<number[]> {
    const rows = await this.readList<{ id: number; last: number }>(
      `SELECT id, last FROM (SELECT r.id, ROW_NUMBER() OVER (ORDER BY r.id) AS n, MAX(r.id) OVER () AS last FROM recommendation r
         WHERE r.coalition_id = ${this.p(1)} AND r.cycle_id = ${this.p(2)} AND r.origin = 'received') numbered
       WHERE (n - 1) % ${LIST_CHUNK} = 0 ORDER BY id`,
      [coalitionId, cycleId],
    );
    if (rows.length === 0) return [];
    return [...rows.map((row) => Number(row.id)), Number(rows[0].last) + 1];
  }

  /** A read of the list: on SQLite in the read worker (when the database is a file), else on the application's connection. */
  private readList<T>(sql: string, values: unknown[]): Promise<T[]> {
    const worker = this.readWorker();
    return worker ? worker.query<T>(sql, values) : this.dataSource.query(sql, values);
  }

  /** A read of one column, its values joined with `separator`: in the worker, the worker joins them. */
  private async readJoined(sql: string, values: unknown[], separator: string): Promise<string> {
    const worker = this.readWorker();
    if (worker) return worker.queryJoined(sql, values, separator);
    const rows: Record<string, unknown>[] = await this.dataSource.query(sql, values);
    return rows.map((row) => String(Object.values(row)[0])).join(separator);
  }

  private readWorker(): SqliteReadWorker | null {
    if (this.worker === undefined) {
      const { type, database } = this.dataSource.options as { type: string; database?: string };
      const file = type === 'better-sqlite3' && typeof database === 'string' && database !== ':memory:' && database !== '' ? database : null;
      this.worker = file ? new SqliteReadWorker(file, SQLITE_BUSY_TIMEOUT_MS) : null;
    }
    return this.worker;
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }
}
