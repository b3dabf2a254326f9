import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { PreparedFindOne } from '../database/prepared-find';
import { placeholder } from '../database/sql-values';
import { ReviewCycle } from './review-cycle.entity';

/** The cycles' list order: by State under Review, then cycle number. */
const CYCLE_ORDER = { stateUnderReview: 'ASC', number: 'ASC', id: 'ASC' } as const;

export interface CycleCounts {
  /** Received in the cycle (a close's carried items are counted apart). */
  recommendations: number;
  /** Carried into the cycle by the close of an earlier one and followed here (not superseded). */
  carried: number;
  assessed: number;
  openDeadlines: number;
}

@Injectable()
export class CyclesRepository {
  private readonly byIdInCoalition: PreparedFindOne<ReviewCycle, 'id' | 'coalitionId'>;

  constructor(private readonly dataSource: DataSource) {
    this.byIdInCoalition = new PreparedFindOne(dataSource, ReviewCycle, ['id', 'coalitionId']);
  }

  findInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<ReviewCycle | null> {
    return this.byIdInCoalition.find(manager, { id, coalitionId });
  }

  /** Without a coalition: only for the command line, whose operator runs the service and sees every coalition. */
  findById(id: number, manager: EntityManager = this.dataSource.manager): Promise<ReviewCycle | null> {
    return manager.findOneBy(ReviewCycle, { id });
  }

  listForCoalition(coalitionId: number): Promise<ReviewCycle[]> {
    return this.dataSource.manager.find(ReviewCycle, { where: { coalitionId }, order: CYCLE_ORDER });
  }

  /** One page of the coalition's cycles in the list's order, and how many there are. */
  async pageForCoalition(coalitionId: number, window: { skip: number; take: number }): Promise<{ rows: ReviewCycle[]; total: number }> {
    const [rows, total] = await this.dataSource.manager.findAndCount(ReviewCycle, { where: { coalitionId }, order: CYCLE_ORDER, ...window });
    return { rows, total };
  }

  /** Only the publication date: publishing never writes back columns an edit or a close may be changing. */
  async setPublishedAt(id: number, at: Date | null, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.createQueryBuilder().update(ReviewCycle).set({ publishedAt: at }).where({ id }).execute();
  }

  /** Per cycle of the coalition: its recommendations, how many are assessed, and its open deadlines. */
  async countsForCoalition(coalitionId: number, cycleId?: number): Promise<Map<number, CycleCounts>> {
    const params = cycleId === undefined ? [coalitionId] : [coalitionId, cycleId];
    const oneCycle = cycleId === undefined ? '' : ` AND cycle_id = ${placeholder(this.dataSource, 2)}`;
    const [recommendations, deadlines, carried] = await Promise.all([
      this.dataSource.query(
        `SELECT cycle_id AS "cycleId", COUNT(*) AS "total", SUM(CASE WHEN status <> 'not_assessed' THEN 1 ELSE 0 END) AS "assessed"
         FROM recommendation WHERE coalition_id = ${placeholder(this.dataSource, 1)} AND origin = 'received'${oneCycle} GROUP BY cycle_id`,
        params,
      ) as Promise<{ cycleId: number; total: number | string; assessed: number | string | null }[]>,
      this.dataSource.query(
        `SELECT cycle_id AS "cycleId", COUNT(*) AS "open" FROM deadline WHERE coalition_id = ${placeholder(this.dataSource, 1)} AND state = 'open' AND deleted_at IS NULL AND cycle_id IS NOT NULL${oneCycle} GROUP BY cycle_id`,
        params,
      ) as Promise<{ cycleId: number; open: number | string }[]>,
      this.dataSource.query(
        `SELECT cycle_id AS "cycleId", COUNT(*) AS "carried" FROM carried_recommendation WHERE coalition_id = ${placeholder(this.dataSource, 1)} AND superseded_by_id IS NULL${oneCycle} GROUP BY cycle_id`,
        params,
      ) as Promise<{ cycleId: number; carried: number | string }[]>,
    ]);
    const counts = new Map<number, CycleCounts>();
    const of = (id: number) => counts.get(Number(id)) ?? counts.set(Number(id), { recommendations: 0, carried: 0, assessed: 0, openDeadlines: 0 }).get(Number(id))!;
    for (const row of recommendations) Object.assign(of(row.cycleId), { recommendations: Number(row.total), assessed: Number(row.assessed ?? 0) });
    for (const row of deadlines) of(row.cycleId).openDeadlines = Number(row.open);
    for (const row of carried) of(row.cycleId).carried = Number(row.carried);
    return counts;
  }

  save(cycle: ReviewCycle, manager: EntityManager = this.dataSource.manager): Promise<ReviewCycle> {
    return manager.save(ReviewCycle, cycle);
  }

  listNewestFirst(coalitionId: number): Promise<ReviewCycle[]> {
    return this.dataSource.manager.find(ReviewCycle, { where: { coalitionId }, order: { id: 'DESC' } });
  }
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

  /** An existing cycle to carry into: same coalition, mechanism, State and number; an open one first. */
  findNextCycle(cycle: ReviewCycle, number: number, manager: EntityManager): Promise<ReviewCycle | null> {
    return manager.findOne(ReviewCycle, {
      where: { coalitionId: cycle.coalitionId, mechanism: cycle.mechanism, stateUnderReview: cycle.stateUnderReview, number },
      // 'open' sorts before 'closed' descending.
      order: { state: 'DESC', id: 'ASC' },
    });
  }

  /**
   * A new cycle (an import finds a State's session it has not seen). An INSERT, not save(): a new
   * row has nothing to compare, and save's change detection cost twice the INSERT (an import of the
   * UPR Info export creates 305 cycles). The entity gets its id and defaults back all the same.
   */
  async insert(values: Partial<ReviewCycle>, manager: EntityManager): Promise<ReviewCycle> {
    const cycle = manager.create(ReviewCycle, values);
    await manager.insert(ReviewCycle, cycle);
    return cycle;
  }

  /**
   * New cycles, in the order given, as multi-row INSERTs of CYCLES_PER_INSERT each, then one read of
   * what they became: one insert per cycle cost an import of the UPR Info export 305 INSERTs and 305
   * reads of the defaults back. The rows are read by the ids the INSERTs made (PostgreSQL: RETURNING;
   * SQLite: one statement's rows take consecutive ids up to its last one) and each is paired with its
   * values by coalition, State, session and number, never by position: TypeORM's own read-back of a
   * multi-row insert on SQLite pairs by position in an order the database chooses. `values` must
   * differ in that key.
   */
  async insertMany(values: Partial<ReviewCycle>[], manager: EntityManager): Promise<ReviewCycle[]> {
    const ids: number[] = [];
    for (let from = 0; from < values.length; from += CYCLES_PER_INSERT) {
      const chunk = values.slice(from, from + CYCLES_PER_INSERT);
      const insert = manager.createQueryBuilder().insert().into(ReviewCycle).values(chunk).updateEntity(false);
      if (manager.connection.options.type === 'postgres') {
        const { raw } = await insert.returning('id').execute();
        ids.push(...(raw as { id: number | string }[]).map((row) => Number(row.id)));
      } else {
        const { raw } = await insert.execute();
        const last = Number(raw);
        ids.push(...chunk.map((_, i) => last - chunk.length + 1 + i));
      }
    }
    const made = ids.length > 0 ? await manager.find(ReviewCycle, { where: { id: In(ids) } }) : [];
    const key = (c: Partial<ReviewCycle>) => JSON.stringify([c.coalitionId, c.mechanism, c.stateUnderReview, c.session ?? null, c.number]);
    const byKey = new Map<string, ReviewCycle>();
    for (const cycle of made) {
      if (byKey.has(key(cycle))) throw new Error(`insertMany: two new cycles ${key(cycle)}`);
      byKey.set(key(cycle), cycle);
    }
    return values.map((v) => {
      const cycle = byKey.get(key(v));
      if (!cycle || made.length !== values.length) throw new Error(`insertMany: ${values.length} cycles inserted, ${made.length} found again, ${key(v)} ${cycle ? 'among them' : 'not among them'}`);
      return cycle;
    });
  }
}

/** Cycles per multi-row INSERT: about 20 parameters each, far within SQLite's and PostgreSQL's limits on parameters. */
const CYCLES_PER_INSERT = 200;
