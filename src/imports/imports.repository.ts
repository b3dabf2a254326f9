import { Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { DataSource, EntityManager, In } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { placeholder, returnedRows, sqlTime } from '../database/sql-values';
import { RecommendationTag } from '../recommendations/recommendation-tag.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { TagRow } from './import-plan';
import { SqliteImportWriter } from './sqlite-import-writer';

export interface NewRecommendationRow {
  coalitionId: number;
  cycleId: number;
  paragraph: string | null;
  text: string;
  textKey: string;
  response: string;
  actionCategory: number | null;
}

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 400;

/** The set-based reads and writes of an import; one statement per chunk, not one per row. */
@Injectable()
export class ImportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * On SQLite, the writer that runs the import's inserts as prepared statements on the connection
   * of `manager`'s transaction; null on PostgreSQL, which takes the multi-row statements below.
   */
  sqliteWriter(manager: EntityManager): SqliteImportWriter | null {
    if (manager.connection.options.type !== 'better-sqlite3') return null;
    const db = (manager.connection.driver as BetterSqlite3Driver).databaseConnection as Database;
    return new SqliteImportWriter(db);
  }

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

  /** Inserts recommendations in chunks and returns their ids in the order given. */
  async insertRecommendations(rows: NewRecommendationRow[], now: Date, manager: EntityManager): Promise<number[]> {
    const ids: number[] = [];
    const at = sqlTime(this.dataSource, now);
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const params: unknown[] = [];
      const values = chunk.map((row) => {
        const fields = [row.coalitionId, row.cycleId, row.paragraph, row.text, row.textKey, row.response, 'not_assessed', row.actionCategory, at, at];
        const marks = fields.map((value) => {
          params.push(value);
          return placeholder(this.dataSource, params.length);
        });
        return `(${marks.join(', ')})`;
      });
      const result = await manager.query(
        `INSERT INTO recommendation (coalition_id, cycle_id, paragraph, text, text_key, response, status, action_category, created_at, updated_at)
         VALUES ${values.join(', ')} RETURNING id`,
        params,
      );
      // Both databases return the rows of a multi-row INSERT in the order of its VALUES.
      ids.push(...returnedRows<{ id: number }>(result).map((row) => Number(row.id)));
    }
    return ids;
  }

  async insertTags(rows: TagRow[], manager: EntityManager): Promise<void> {
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

  async deleteTags(recommendationIds: number[], manager: EntityManager): Promise<void> {
    for (let start = 0; start < recommendationIds.length; start += CHUNK) {
      await manager.delete(RecommendationTag, { recommendationId: In(recommendationIds.slice(start, start + CHUNK)) });
    }
  }

  async updateRecommendation(id: number, changes: Partial<Recommendation>, manager: EntityManager): Promise<void> {
    await manager.update(Recommendation, { id }, changes);
  }
}
