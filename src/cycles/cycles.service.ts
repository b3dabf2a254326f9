import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog, type AuditValues } from '../audit/audit-log';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { CYCLE_RESPONSES, type CycleResponses } from './cycle-responses';
import { type Page, pageOf, type PageQuery, pageWindow } from '../common/pagination';
import { CreateCycleDto, CycleResponse, mapCycle, UpdateCycleDto } from './cycles.dto';
import { type CycleCounts, CyclesRepository } from './cycles.repository';
import { ReviewCycle } from './review-cycle.entity';
import { StatesService } from '../states/states.service';

/** Who made a change, as the audit trail names them; null for the command line. */
type Actor = { id: number; name: string } | null;

@Injectable()
export class CyclesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: CyclesRepository,
    private readonly states: StatesService,
    private readonly clock: Clock,
    @Inject(CYCLE_RESPONSES) private readonly responses: CycleResponses,
    private readonly audit: AuditLog,
  ) {}

  /** Maps cycles with their State's code (the shipped names are read once per process). */
  async stateCodes(): Promise<(name: string) => string | null> {
    const directory = await this.states.shippedDirectory();
    return (name) => directory.byCanonicalName(name)?.code ?? null;
  }

  /**
   * The State under review as its canonical name, whatever spelling, alias or ISO code was sent; a
   * name that matches no State is refused (400 with the closest States), so no unknown State is stored.
   */
  private canonicalState(coalitionId: number, value: string): Promise<string> {
    return this.states.requireState(coalitionId, 'stateUnderReview', value);
  }

  create(auth: AuthUser, dto: CreateCycleDto): Promise<CycleResponse> {
    return this.createIn(auth.coalitionId, auth, dto);
  }

  /** The command line creates with no person behind it (actor null in the audit trail). */
  async createIn(coalitionId: number, actor: Actor, dto: CreateCycleDto): Promise<CycleResponse> {
    const stateUnderReview = await this.canonicalState(coalitionId, dto.stateUnderReview);
    const codes = await this.stateCodes();
    return this.dataSource.transaction(async (manager) => {
      const cycle = manager.create(ReviewCycle, { ...dto, stateUnderReview, mechanism: dto.mechanism ?? 'upr', coalitionId, state: 'open' });
      const saved = await this.cycles.save(cycle, manager);
      await this.audit.record({ coalitionId, actor, entity: 'cycle', entityId: saved.id, action: 'created', at: this.clock.now(), after: auditedValues(saved) }, manager);
      return mapCycle(saved, codes);
    });
  }

  /** Every cycle of the coalition (the pages' selectors). */
  async list(auth: AuthUser): Promise<CycleResponse[]> {
    const [cycles, codes] = await Promise.all([this.cycles.listForCoalition(auth.coalitionId), this.stateCodes()]);
    return cycles.map((cycle) => mapCycle(cycle, codes));
  }

  /** GET /cycles: a page of the same list. */
  async listPage(auth: AuthUser, query: PageQuery): Promise<Page<CycleResponse>> {
    const [{ rows, total }, codes] = await Promise.all([this.cycles.pageForCoalition(auth.coalitionId, pageWindow(query)), this.stateCodes()]);
    return pageOf(rows, total, query, (cycle) => mapCycle(cycle, codes));
  }

  /** The list with, per cycle, its recommendations, how many are assessed and its open deadlines (the admins' page). */
  async listWithCounts(auth: AuthUser): Promise<{ cycle: CycleResponse; counts: CycleCounts }[]> {
    const [cycles, counts, codes] = await Promise.all([this.cycles.listForCoalition(auth.coalitionId), this.cycles.countsForCoalition(auth.coalitionId), this.stateCodes()]);
    return cycles.map((cycle) => ({ cycle: mapCycle(cycle, codes), counts: counts.get(cycle.id) ?? { recommendations: 0, carried: 0, assessed: 0, openDeadlines: 0 } }));
  }

  async getWithCounts(auth: AuthUser, id: number): Promise<{ cycle: CycleResponse; counts: CycleCounts }> {
    const cycle = await this.getVisible(auth, id);
    const counts = await this.cycles.countsForCoalition(auth.coalitionId, cycle.id);
    return { cycle: mapCycle(cycle, await this.stateCodes()), counts: counts.get(cycle.id) ?? { recommendations: 0, carried: 0, assessed: 0, openDeadlines: 0 } };
  }

  async get(auth: AuthUser, id: number): Promise<CycleResponse> {
    return mapCycle(await this.getVisible(auth, id), await this.stateCodes());
  }

  async update(auth: AuthUser, id: number, dto: UpdateCycleDto): Promise<CycleResponse> {
    const { coalitionId } = auth;
    if (dto.stateUnderReview !== undefined) {
      const current = await this.findOwn(coalitionId, id);
      // A name kept as written before issue 12 may come back unchanged: the edit form sends every field.
      if (dto.stateUnderReview !== current.stateUnderReview) dto = { ...dto, stateUnderReview: await this.canonicalState(coalitionId, dto.stateUnderReview) };
    }
    const codes = await this.stateCodes();
    return this.dataSource.transaction(async (manager) => {
      const cycle = await this.findOwn(coalitionId, id, manager);
      assertCycleOpen(cycle);
      const before = auditedValues(cycle);
      Object.assign(cycle, dto);
      const saved = await this.cycles.save(cycle, manager);
      // A State that did not participate responded to nothing: said of every recommendation, in this transaction.
      if (saved.participation === 'did_not_participate') await this.responses.setNoResponse(saved, auth, this.clock.now(), manager);
      await this.audit.recordChanges({ coalitionId, actor: auth, entity: 'cycle', entityId: id, action: 'updated', at: this.clock.now() }, before, auditedValues(saved), manager);
      return mapCycle(saved, codes);
    });
  }

  /**
   * Makes the cycle's ledger public (GET /ledger/:id). Open or closed: a coalition publishes what it
   * follows while it follows it. Publishing again keeps the first date, so a link shared stays dated.
   */
  async publish(auth: AuthUser, id: number): Promise<CycleResponse> {
    const codes = await this.stateCodes();
    return this.dataSource.transaction(async (manager) => {
      const cycle = await this.getVisible(auth, id, manager);
      if (!cycle.publishedAt) {
        const now = this.clock.now();
        await this.cycles.setPublishedAt(cycle.id, now, manager);
        await this.audit.record({ coalitionId: auth.coalitionId, actor: auth, entity: 'cycle', entityId: id, action: 'published', at: now, after: { publishedAt: now.toISOString() } }, manager);
      }
      return mapCycle((await this.cycles.findInCoalition(auth.coalitionId, id, manager))!, codes);
    });
  }

  /** Takes the ledger down: its page answers 404 again. */
  async unpublish(auth: AuthUser, id: number): Promise<CycleResponse> {
    const codes = await this.stateCodes();
    return this.dataSource.transaction(async (manager) => {
      const cycle = await this.getVisible(auth, id, manager);
      if (cycle.publishedAt) {
        await this.cycles.setPublishedAt(cycle.id, null, manager);
        await this.audit.record({
          coalitionId: auth.coalitionId, actor: auth, entity: 'cycle', entityId: id, action: 'unpublished', at: this.clock.now(), before: { publishedAt: cycle.publishedAt.toISOString() },
        }, manager);
      }
      return mapCycle((await this.cycles.findInCoalition(auth.coalitionId, id, manager))!, codes);
    });
  }

  /** The cycle if the user's coalition owns it; another coalition's cycle is "not found", never "forbidden". */
  getVisible(auth: AuthUser, id: number, manager?: EntityManager): Promise<ReviewCycle> {
    return this.findOwn(auth.coalitionId, id, manager);
  }

  private async findOwn(coalitionId: number, id: number, manager?: EntityManager): Promise<ReviewCycle> {
    const cycle = await this.cycles.findInCoalition(coalitionId, id, manager);
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

/** What the audit trail follows of a cycle's own fields (its state changes when it is closed, recorded by the close). */
function auditedValues(cycle: ReviewCycle): AuditValues {
  return {
    mechanism: cycle.mechanism, number: cycle.number, stateUnderReview: cycle.stateUnderReview, session: cycle.session, documentSymbol: cycle.documentSymbol,
    stakeholderSubmissionDate: cycle.stakeholderSubmissionDate, reviewDate: cycle.reviewDate, adoptionDate: cycle.adoptionDate,
    midTermReportDate: cycle.midTermReportDate, closeDate: cycle.closeDate, participation: cycle.participation,
  };
}
