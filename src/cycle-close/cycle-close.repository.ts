import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { Deadline } from '../deadlines/deadline.entity';
import { placeholder, sqlTime } from '../database/sql-values';
import { RecommendationFollower, RecommendationOwner } from '../recommendations/recommendation-person.entity';
import { RecommendationTag } from '../recommendations/recommendation-tag.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { CarriedRecommendation } from './cycle-close.dto';

/** Ids per IN list: well under SQLite's 32,766 bound parameters. */
const CHUNK = 500;

@Injectable()
export class CycleCloseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Closes the cycle if it is still open; false if it was closed meanwhile. On PostgreSQL a second
   * close of the same cycle waits here for the first to commit, then finds it closed.
   */
  async closeIfOpen(cycle: ReviewCycle, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(ReviewCycle, { id: cycle.id, coalitionId: cycle.coalitionId, state: 'open' }, { state: 'closed', closedAt: at, updatedAt: at });
    return (result.affected ?? 0) === 1;
  }

  async recordClose(cycleId: number, nextCycleId: number, summary: string, manager: EntityManager): Promise<void> {
    await manager.update(ReviewCycle, { id: cycleId }, { nextCycleId, closeSummary: summary });
  }

  /** Open deadlines of the cycle and of its recommendations (deleted ones are left out). */
  findOpenDeadlines(cycle: ReviewCycle, manager: EntityManager): Promise<Deadline[]> {
    return manager.find(Deadline, { where: { coalitionId: cycle.coalitionId, cycleId: cycle.id, state: 'open' }, order: { dueAt: 'ASC', id: 'ASC' } });
  }

  /** Done, with the version raised as every deadline edit does, so reminders planned for it are stale. */
  async completeDeadlines(ids: number[], at: Date, manager: EntityManager): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await manager
        .createQueryBuilder()
        .update(Deadline)
        .set({ state: 'done', version: () => 'version + 1', updatedAt: at })
        .where({ id: In(ids.slice(i, i + CHUNK)) })
        .execute();
    }
  }

  /** An existing cycle to carry into: same coalition, mechanism, State and number; an open one first. */
  findNextCycle(cycle: ReviewCycle, number: number, manager: EntityManager): Promise<ReviewCycle | null> {
    return manager.findOne(ReviewCycle, {
      where: { coalitionId: cycle.coalitionId, mechanism: cycle.mechanism, stateUnderReview: cycle.stateUnderReview, number },
      // 'open' sorts before 'closed' descending.
      order: { state: 'DESC', id: 'ASC' },
    });
  }

  saveCycle(cycle: ReviewCycle, manager: EntityManager): Promise<ReviewCycle> {
    return manager.save(ReviewCycle, cycle);
  }

  countFullyImplemented(cycle: ReviewCycle, manager: EntityManager): Promise<number> {
    return manager.countBy(Recommendation, { coalitionId: cycle.coalitionId, cycleId: cycle.id, status: 'fully_implemented' });
  }

  /**
   * Copies every unfinished recommendation (status other than fully_implemented) of `from` into
   * `to` as a new recommendation: same columns (paragraph, text, action category, and whatever
   * columns the entity gains later), response pending, status not_assessed, predecessor the old
   * one; then its tags (recommending States, themes, affected persons, SDGs), owners and
   * followers, all their columns copied (a follower keeps the date they started following). One that already has a successor in `to` (an earlier close, an import linked by
   * lineage) is not copied again. Set-based: a few INSERT … SELECT statements for the whole cycle,
   * instead of several statements per recommendation.
   */
  async carryOver(from: ReviewCycle, to: ReviewCycle, at: Date, manager: EntityManager): Promise<{ carried: CarriedRecommendation[]; already: CarriedRecommendation[] }> {
    // SQLite binds its "?" in order of appearance: every statement below numbers its parameters
    // in the order they appear in the text, and uses each once.
    const p = (n: number) => placeholder(this.dataSource, n);
    const time = sqlTime(this.dataSource, at);
    const already: Record<string, unknown>[] = await manager.query(
      `SELECT o.id AS from_id, MIN(s.id) AS to_id FROM recommendation o JOIN recommendation s ON s.predecessor_id = o.id AND s.cycle_id = ${p(1)}
       WHERE o.coalition_id = ${p(2)} AND o.cycle_id = ${p(3)} AND o.status <> 'fully_implemented'
       GROUP BY o.id ORDER BY o.id`,
      [to.id, from.coalitionId, from.id],
    );

    const unfinished: Record<string, unknown>[] = await manager.query(
      `SELECT o.id FROM recommendation o
       WHERE o.coalition_id = ${p(1)} AND o.cycle_id = ${p(2)} AND o.status <> 'fully_implemented'
         AND NOT EXISTS (SELECT 1 FROM recommendation s WHERE s.cycle_id = ${p(3)} AND s.predecessor_id = o.id)
       ORDER BY o.id`,
      [from.coalitionId, from.id, to.id],
    );
    const toCarry = unfinished.map((row) => Number(row.id));
    if (toCarry.length === 0) return { carried: [], already: already.map(toPair) };

    const fixed: Record<string, string> = {
      cycle_id: p(1), response: "'pending'", status: "'not_assessed'", predecessor_id: 'o.id', created_at: p(2), updated_at: p(3),
    };
    const copied = manager.connection.getMetadata(Recommendation).columns
      .map((c) => c.databaseName)
      .filter((name) => name !== 'id' && !(name in fixed));
    const columns = [...copied, ...Object.keys(fixed)];
    const values = [...copied.map((name) => `o.${name}`), ...Object.values(fixed)];
    const carried: CarriedRecommendation[] = [];
    for (let i = 0; i < toCarry.length; i += CHUNK) {
      const chunk = toCarry.slice(i, i + CHUNK);
      const list = chunk.map((_, j) => p(j + 4)).join(', ');
      await manager.query(
        `INSERT INTO recommendation (${columns.join(', ')})
         SELECT ${values.join(', ')} FROM recommendation o WHERE o.id IN (${list}) ORDER BY o.id`,
        [to.id, time, time, ...chunk],
      );
      // None of these had a successor in `to` before: every successor there now is the new row.
      const inserted: Record<string, unknown>[] = await manager.query(
        `SELECT n.predecessor_id AS from_id, n.id AS to_id FROM recommendation n
         WHERE n.cycle_id = ${p(1)} AND n.predecessor_id IN (${chunk.map((_, j) => p(j + 2)).join(', ')}) ORDER BY n.predecessor_id`,
        [to.id, ...chunk],
      );
      carried.push(...inserted.map(toPair));
    }

    // The rows that hang off each recommendation follow it, every column copied but the recommendation.
    const newIds = carried.map((c) => c.toId);
    for (const child of [RecommendationTag, RecommendationOwner, RecommendationFollower]) {
      const metadata = manager.connection.getMetadata(child);
      const columns = metadata.columns.map((c) => c.databaseName);
      const values = columns.map((name) => (name === 'recommendation_id' ? 'n.id' : `c.${name}`));
      for (let i = 0; i < newIds.length; i += CHUNK) {
        const chunk = newIds.slice(i, i + CHUNK);
        await manager.query(
          `INSERT INTO ${metadata.tableName} (${columns.join(', ')})
           SELECT ${values.join(', ')} FROM recommendation n JOIN ${metadata.tableName} c ON c.recommendation_id = n.predecessor_id
           WHERE n.cycle_id = ${p(1)} AND n.id IN (${chunk.map((_, j) => p(j + 2)).join(', ')})`,
          [to.id, ...chunk],
        );
      }
    }
    return { carried, already: already.map(toPair) };
  }
}

function toPair(row: Record<string, unknown>): CarriedRecommendation {
  return { fromId: Number(row.from_id), toId: Number(row.to_id) };
}
