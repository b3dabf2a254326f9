import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { type Page, pageOf, type PageQuery, pageWindow } from '../common/pagination';
import { CreateCycleDto, CycleResponse, mapCycle, UpdateCycleDto } from './cycles.dto';
import { type CycleCounts, CyclesRepository } from './cycles.repository';
import { ReviewCycle } from './review-cycle.entity';

@Injectable()
export class CyclesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: CyclesRepository,
    private readonly clock: Clock,
  ) {}

  async create(auth: AuthUser, dto: CreateCycleDto): Promise<CycleResponse> {
    const cycle = this.dataSource.manager.create(ReviewCycle, { ...dto, mechanism: dto.mechanism ?? 'upr', coalitionId: auth.coalitionId, state: 'open' });
    return mapCycle(await this.cycles.save(cycle));
  }

  /** Every cycle of the coalition (the pages' selectors). */
  async list(auth: AuthUser): Promise<CycleResponse[]> {
    return (await this.cycles.listForCoalition(auth.coalitionId)).map(mapCycle);
  }

  /** GET /cycles: a page of the same list. */
  async listPage(auth: AuthUser, query: PageQuery): Promise<Page<CycleResponse>> {
    const { rows, total } = await this.cycles.pageForCoalition(auth.coalitionId, pageWindow(query));
    return pageOf(rows, total, query, mapCycle);
  }

  /** The list with, per cycle, its recommendations, how many are assessed and its open deadlines (the admins' page). */
  async listWithCounts(auth: AuthUser): Promise<{ cycle: CycleResponse; counts: CycleCounts }[]> {
    const [cycles, counts] = await Promise.all([this.cycles.listForCoalition(auth.coalitionId), this.cycles.countsForCoalition(auth.coalitionId)]);
    return cycles.map((cycle) => ({ cycle: mapCycle(cycle), counts: counts.get(cycle.id) ?? { recommendations: 0, assessed: 0, openDeadlines: 0 } }));
  }

  async getWithCounts(auth: AuthUser, id: number): Promise<{ cycle: CycleResponse; counts: CycleCounts }> {
    const cycle = await this.getVisible(auth, id);
    const counts = await this.cycles.countsForCoalition(auth.coalitionId, cycle.id);
    return { cycle: mapCycle(cycle), counts: counts.get(cycle.id) ?? { recommendations: 0, assessed: 0, openDeadlines: 0 } };
  }

  async get(auth: AuthUser, id: number): Promise<CycleResponse> {
    return mapCycle(await this.getVisible(auth, id));
  }

  async update(auth: AuthUser, id: number, dto: UpdateCycleDto): Promise<CycleResponse> {
    return this.dataSource.transaction(async (manager) => {
      const cycle = await this.getOpen(auth, id, manager);
      Object.assign(cycle, dto);
      return mapCycle(await this.cycles.save(cycle, manager));
    });
  }

  /**
   * Makes the cycle's ledger public (GET /ledger/:id). Open or closed: a coalition publishes what it
   * follows while it follows it. Publishing again keeps the first date, so a link shared stays dated.
   */
  async publish(auth: AuthUser, id: number): Promise<CycleResponse> {
    return this.dataSource.transaction(async (manager) => {
      const cycle = await this.getVisible(auth, id, manager);
      if (!cycle.publishedAt) await this.cycles.setPublishedAt(cycle.id, this.clock.now(), manager);
      return mapCycle((await this.cycles.findInCoalition(auth.coalitionId, id, manager))!);
    });
  }

  /** Takes the ledger down: its page answers 404 again. */
  async unpublish(auth: AuthUser, id: number): Promise<CycleResponse> {
    return this.dataSource.transaction(async (manager) => {
      const cycle = await this.getVisible(auth, id, manager);
      if (cycle.publishedAt) await this.cycles.setPublishedAt(cycle.id, null, manager);
      return mapCycle((await this.cycles.findInCoalition(auth.coalitionId, id, manager))!);
    });
  }

  /** The cycle if the user's coalition owns it; another coalition's cycle is "not found", never "forbidden". */
  async getVisible(auth: AuthUser, id: number, manager?: EntityManager): Promise<ReviewCycle> {
    const cycle = await this.cycles.findInCoalition(auth.coalitionId, id, manager);
    if (!cycle) throw notFound('Cycle', id);
    return cycle;
  }

  /** As getVisible, but refuses a closed cycle: nothing in a closed cycle changes. */
  async getOpen(auth: AuthUser, id: number, manager?: EntityManager): Promise<ReviewCycle> {
    const cycle = await this.getVisible(auth, id, manager);
    assertCycleOpen(cycle);
    return cycle;
  }

  /** The coalition's cycles as entities, newest first (the dashboard's cycle selector). */
  listNewestFirst(auth: AuthUser): Promise<ReviewCycle[]> {
    return this.cycles.listNewestFirst(auth.coalitionId);
  }
}

export function assertCycleOpen(cycle: ReviewCycle): void {
  if (cycle.state === 'closed') {
    throw conflict(`Cycle ${cycle.id} is closed; nothing in a closed cycle can change`, { cycleId: cycle.id, cycleState: 'closed' });
  }
}
