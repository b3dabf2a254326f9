import type { Database, Statement } from 'better-sqlite3';
import { type CycleWrites, type RecommendationToWrite, TAG_FIELDS, TAG_VALUE_LENGTH } from './recommendation-rows';

/** The trigger that keeps the full-text index in step with each inserted recommendation (migrations 1795953100000, 1795970000000). */
const FULL_TEXT_INSERT_TRIGGER = 'recommendation_fts_insert';
/** The trigger that counts each inserted recommendation in its coalition's total (migration 1795970100000). */
const COUNT_INSERT_TRIGGER = 'coalition_recommendation_count_insert';

/**
 * The bulk writes (an import) on SQLite, as prepared statements straight on better-sqlite3's handle,
 * inside the transaction the caller opened on the same connection. TypeORM's query path
 * costs far more per row than SQLite does (see docs/benchmarks.md, issue 4).
 *
 * Everything here is synchronous on purpose: the per-row insert triggers are dropped for the length
 * of `write` and no other statement can reach the connection in between. What they do is then done
 * once for all the new rows:
 * - the full-text index: fired once per row, FTS5 flushes its pending terms at every statement's
 *   end; indexing the new rows in one INSERT ... SELECT instead costs a fraction;
 * - the coalition's count: a trigger that writes makes every INSERT a statement that may abort
 *   half-way, so SQLite keeps a statement journal of every page the INSERT touches (eight indexes);
 *   inside an import's transaction that journal outgrows memory and becomes a temporary file written
 *   page by page: two thirds of the import's writes (issue 14). One UPSERT of the number created
 *   instead.
 * The drops, the rows and the triggers' return commit or roll back together with the rest of the import.
 */
export class SqliteBulkWriter {
  private readonly insertRecommendation: Statement;
  private readonly updateRecommendation: Statement;
  private readonly deleteTags: Statement;
  private readonly insertTag: Statement;

  constructor(private readonly db: Database) {
    this.insertRecommendation = db.prepare(
      `INSERT INTO recommendation (coalition_id, cycle_id, paragraph, text, text_key, response, kind, status, action_category, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'not_assessed', ?, ?, ?)`,
    );
    this.updateRecommendation = db.prepare(
      'UPDATE recommendation SET text = ?, text_key = ?, response = ?, kind = ?, action_category = ?, paragraph = ?, updated_at = ? WHERE id = ?',
    );
    this.deleteTags = db.prepare('DELETE FROM recommendation_tag WHERE recommendation_id = ?');
    this.insertTag = db.prepare('INSERT INTO recommendation_tag (recommendation_id, coalition_id, kind, value, position) VALUES (?, ?, ?, ?, ?)');
  }

  /** Writes every cycle's plan; returns the ids created, per cycle, in the order of its inserts. `at`: SQL time text. */
  write(coalitionId: number, cycles: CycleWrites[], at: string): number[][] {
    const fullText = this.dropTrigger(FULL_TEXT_INSERT_TRIGGER);
    const count = this.dropTrigger(COUNT_INSERT_TRIGGER);
    try {
      const created = cycles.map((cycle) => this.writeCycle(coalitionId, cycle, at));
      const first = Math.min(...created.map((ids) => ids[0] ?? Infinity));
      // AUTOINCREMENT: every id from the first one created on is a row of this import.
      if (fullText && first !== Infinity) {
        this.db.prepare('INSERT INTO recommendation_fts (rowid, text, coalition_id) SELECT id, text, coalition_id FROM recommendation WHERE id >= ?').run(first);
      }
      const n = created.reduce((sum, ids) => sum + ids.length, 0);
      // What the trigger would have added, one by one: every new row is of this coalition.
      if (count && n > 0) {
        this.db
          .prepare('INSERT INTO coalition_recommendation_count (coalition_id, n) VALUES (?, ?) ON CONFLICT (coalition_id) DO UPDATE SET n = n + excluded.n')
          .run(coalitionId, n);
      }
      return created;
    } finally {
      if (count) this.db.exec(count);
      if (fullText) this.db.exec(fullText);
    }
  }

  /** Drops the named trigger if the schema has it; returns its SQL, to create it again. */
  private dropTrigger(name: string): string | undefined {
    const sql = this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(name) as string | undefined;
    if (sql) this.db.exec(`DROP TRIGGER "${name}"`);
    return sql;
  }

  private writeCycle(coalitionId: number, plan: CycleWrites, at: string): number[] {
    const { cycleId } = plan;
    for (const { id, record } of plan.updates) {
      this.updateRecommendation.run(record.text, record.textKey, record.response, record.kind ?? 'recommendation', record.actionCategory, record.paragraph, at, id);
    }
    for (const { id } of plan.retag) this.deleteTags.run(id);
    const ids = plan.inserts.map((record) => this.insert(coalitionId, cycleId, record, at));
    // The tags after the cycle's recommendations, re-tagged ones first, straight from the records:
    // a row object per tag (140,000 for the UPR Info export) cost more than binding its values.
    for (const { id, record } of plan.retag) this.insertTags(id, coalitionId, record);
    plan.inserts.forEach((record, i) => this.insertTags(ids[i], coalitionId, record));
    return ids;
  }

  private insertTags(recommendationId: number, coalitionId: number, record: RecommendationToWrite): void {
    for (const [kind, valuesOf] of TAG_FIELDS) {
      const values = valuesOf(record);
      for (let position = 0; position < values.length; position += 1) {
        this.insertTag.run(recommendationId, coalitionId, kind, values[position].slice(0, TAG_VALUE_LENGTH), position);
      }
    }
  }

  private insert(coalitionId: number, cycleId: number, record: RecommendationToWrite, at: string): number {
    const { lastInsertRowid } = this.insertRecommendation.run(
      coalitionId, cycleId, record.paragraph, record.text, record.textKey, record.response, record.kind ?? 'recommendation', record.actionCategory, at, at,
    );
    return Number(lastInsertRowid);
  }
}
