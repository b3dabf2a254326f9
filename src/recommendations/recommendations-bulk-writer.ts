import { Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { DataSource, EntityManager, In } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { placeholder, returnedRows, sqlTime } from '../database/sql-values';
import { type CycleWrites, tagRowsOf, type TagRow } from './recommendation-rows';
import { RecommendationTag } from './recommendation-tag.entity';
import { Recommendation } from './recommendation.entity';
import { SqliteBulkWriter } from './sqlite-bulk-writer';

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 400;

interface NewRecommendationRow {
  coalitionId: number;
  cycleId: number;
  paragraph: string | null;
  text: string;
  textKey: string;
  response: string;
  kind: string;
  actionCategory: number | null;
}

/**
 * Recommendations written in bulk, inside the caller's transaction: the import's creates, updates and
 * re-tags of whole cycles. Recommendations own these tables; the importer decides what to write and
 * hands it here. On SQLite, one synchronous pass of prepared statements (SqliteBulkWriter); on
 * PostgreSQL, multi-row statements, one per chunk.
 */
@Injectable()
export class RecommendationsBulkWriter {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes each cycle's changes; returns the ids created, per cycle, in the order of its inserts. */
  async write(coalitionId: number, cycles: CycleWrites[], now: Date, manager: EntityManager): Promise<number[][]> {
    const sqlite = this.sqliteWriter(manager);
    if (sqlite) return sqlite.write(coalitionId, cycles, sqlTime(this.dataSource, now) as string);
    const created: number[][] = [];
    for (const cycle of cycles) {
      for (const { id, record } of cycle.updates) {
        await manager.update(Recommendation, { id }, {
          text: record.text, textKey: record.textKey, response: record.response as Recommendation['response'], kind: record.kind ?? 'recommendation', actionCategory: record.actionCategory, paragraph: record.paragraph, updatedAt: now,
        });
      }
      const ids = await this.insertRecommendations(
        cycle.inserts.map((r) => ({ coalitionId, cycleId: cycle.cycleId, paragraph: r.paragraph, text: r.text, textKey: r.textKey, response: r.response, kind: r.kind ?? 'recommendation', actionCategory: r.actionCategory })),
        now,
        manager,
      );
      await this.deleteTags(cycle.retag.map((r) => r.id), manager);
      const tagRows: TagRow[] = [];
      cycle.inserts.forEach((record, i) => tagRowsOf(ids[i], coalitionId, record, tagRows));
      cycle.retag.forEach(({ id, record }) => tagRowsOf(id, coalitionId, record, tagRows));
      await this.insertTags(tagRows, manager);
      created.push(ids);
    }
    return created;
  }

  /**
   * On SQLite, the writer that runs the import's inserts as prepared statements on the connection
   * of `manager`'s transaction; null on PostgreSQL, which takes the multi-row statements below.
   */
  private sqliteWriter(manager: EntityManager): SqliteBulkWriter | null {
    if (manager.connection.options.type !== 'better-sqlite3') return null;
    const db = (manager.connection.driver as BetterSqlite3Driver).databaseConnection as Database;
    return new SqliteBulkWriter(db);
  }

  /** Inserts recommendations in chunks and returns their ids in the order given. */
  private async insertRecommendations(rows: NewRecommendationRow[], now: Date, manager: EntityManager): Promise<number[]> {
    const ids: number[] = [];
    const at = sqlTime(this.dataSource, now);
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const params: unknown[] = [];
      const values = chunk.map((row) => {
        const fields = [row.coalitionId, row.cycleId, row.paragraph, row.text, row.textKey, row.response, row.kind, 'not_assessed', row.actionCategory, at, at];
        const marks = fields.map((value) => {
          params.push(value);
          return placeholder(this.dataSource, params.length);
        });
        return `(${marks.join(', ')})`;
      });
      const result = await manager.query(
        `INSERT INTO recommendation (coalition_id, cycle_id, paragraph, text, text_key, response, kind, status, action_category, created_at, updated_at)
         VALUES ${values.join(', ')} RETURNING id`,
        params,
      );
      // Both databases return the rows of a multi-row INSERT in the order of its VALUES.
      ids.push(...returnedRows<{ id: number }>(result).map((row) => Number(row.id)));
    }
    return ids;
  }

  private async insertTags(rows: TagRow[], manager: EntityManager): Promise<void> {
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const params: unknown[] = [];
      const values = chunk.map((row) => {
        const marks = [row.recommendationId, row.coalitionId, row.kind, row.value, row.position].map((value) => {
          params.push(value);
          return placeholder(this.dataSource, params.length);
        });
        return `(${marks.join(', ')})`;
      });
      await manager.query(`INSERT INTO recommendation_tag (recommendation_id, coalition_id, kind, value, position) VALUES ${values.join(', ')}`, params);
    }
  }

  private async deleteTags(recommendationIds: number[], manager: EntityManager): Promise<void> {
    for (let start = 0; start < recommendationIds.length; start += CHUNK) {
      await manager.delete(RecommendationTag, { recommendationId: In(recommendationIds.slice(start, start + CHUNK)) });
    }
  }
}
