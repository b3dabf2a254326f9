import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { CyclesService } from '../cycles/cycles.service';
import { CyclesRepository } from '../cycles/cycles.repository';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { DeadlineNotices } from '../deadlines/deadline-notices';
import { CloseReportWriter } from './close-report-writer';
import { CloseCycleDto, type CloseSummary, type CycleCloseResponse, mapCycleClose } from './cycle-close.dto';
import { DeadlinesRepository } from '../deadlines/deadlines.repository';
import { RecommendationsRepository } from '../recommendations/recommendations.repository';

export interface CloseOutcome {
  response: CycleCloseResponse;
  /** false: the cycle was already closed, and nothing changed. */
  closedNow: boolean;
}

@Injectable()
export class CycleCloseService {
  constructor(
    private readonly dataSource: DataSource,
    // Each table is written by its own module; the close runs their writes in its one transaction.
    private readonly cycles: CyclesRepository,
    private readonly deadlines: DeadlinesRepository,
    private readonly recommendations: RecommendationsRepository,
    private readonly deadlineNotices: DeadlineNotices,
    private readonly reportFiles: CloseReportWriter,
    private readonly clock: Clock,
    private readonly cycleAnswers: CyclesService,
    private readonly audit: AuditLog,
  ) {}

  /** `actor`: who closes it, for the audit trail (null: the command line). */
  async close(coalitionId: number, id: number, dto: CloseCycleDto, actor: { id: number; name: string } | null = null): Promise<CycleCloseResponse> {
    return (await this.closeWithOutcome(coalitionId, id, dto, actor)).response;
  }

  /**
   * Closes a cycle in one transaction: refuses (409) while deadlines are open unless forced (then
   * marks them done), freezes the cycle, finds or creates the next one and carries every unfinished
   * recommendation into it, and records what it did on the cycle. The report files are written
   * after the commit. Closing a closed cycle changes nothing and answers the same as the first time.
   */
  async closeWithOutcome(coalitionId: number, id: number, dto: CloseCycleDto, actor: { id: number; name: string } | null = null): Promise<CloseOutcome> {
    const closedNow = await this.dataSource.transaction(async (manager) => {
      const cycle = await this.cycles.findInCoalition(coalitionId, id, manager);
      if (!cycle) throw notFound('Cycle', id);
      if (cycle.state === 'closed') return false;
      const now = this.clock.now();
      if (!(await this.cycles.closeIfOpen(cycle, now, manager))) return false; // closed meanwhile by another request
      const deadlinesCompleted = await this.completeOpenDeadlines(cycle, dto.force ?? false, now, manager);
      const { next, created } = await this.nextCycle(cycle, dto, manager);
      const { carried, already } = await this.recommendations.carryInto(cycle, next, now, manager);
      const summary: CloseSummary = {
        closedAt: now.toISOString(),
        nextCycleId: next.id,
        nextCycleCreated: created,
        carried,
        alreadyInNextCycle: already,
        fullyImplementedLeftBehind: await this.recommendations.countFullyImplemented(cycle, manager),
        deadlinesCompleted,
      };
      await this.cycles.recordClose(cycle.id, next.id, JSON.stringify(summary), manager);
      await this.audit.record({
        coalitionId, actor, entity: 'cycle', entityId: cycle.id, action: 'closed', at: now,
        before: { state: 'open' }, after: { state: 'closed', nextCycleId: next.id, nextCycleCreated: created, carried, deadlinesCompleted },
      }, manager);
      return true;
    });

    const cycle = (await this.cycles.findInCoalition(coalitionId, id))!;
    if (!cycle.closeSummary) {
      throw conflict(`Cycle ${id} is closed, but not by a cycle close: there is no record of what to carry over`, { cycleId: id, cycleState: cycle.state });
    }
    const summary = JSON.parse(cycle.closeSummary) as CloseSummary;
    const next = await this.cycles.findInCoalition(coalitionId, summary.nextCycleId);
    if (!next) throw conflict(`Cycle ${id} was closed into cycle ${summary.nextCycleId}, which no longer exists`, { cycleId: id, nextCycleId: summary.nextCycleId });
    // After the commit: a file is never written for a close that rolled back. Closing again writes any that are missing.
    const reports = await this.reportFiles.write(cycle, next, summary);
    return { response: mapCycleClose(cycle, next, summary, reports, await this.cycleAnswers.stateCodes()), closedNow };
  }

  /** Absolute paths of the report files, for the command line. */
  reportPath(cycleId: number, format: 'html' | 'json'): string {
    return this.reportFiles.pathOf(cycleId, format);
  }

  private async completeOpenDeadlines(cycle: ReviewCycle, force: boolean, now: Date, manager: EntityManager): Promise<number[]> {
    const open = await this.deadlines.findOpenOfCycle(cycle, manager);
    if (open.length === 0) return [];
    if (!force) {
      throw conflict(
        `Cycle ${cycle.id} still has ${open.length} open deadline${open.length === 1 ? '' : 's'}: mark ${open.length === 1 ? 'it' : 'them'} done, or close with force to mark ${open.length === 1 ? 'it' : 'them'} done now`,
        {
          openDeadlines: open.map((d) => ({ id: d.id, kind: d.kind, title: d.title, dueDate: d.dueDate, dueAt: d.dueAt.toISOString(), recommendationId: d.recommendationId })),
        },
      );
    }
    await this.deadlines.completeMany(open.map((d) => d.id), now, manager);
    // Their pending reminders and overdue notices are cancelled, as for any deadline marked done.
    for (const deadline of open) await this.deadlineNotices.plan({ ...deadline, state: 'done', version: deadline.version + 1 }, manager, now);
    return open.map((d) => d.id);
  }

  private async nextCycle(cycle: ReviewCycle, dto: CloseCycleDto, manager: EntityManager): Promise<{ next: ReviewCycle; created: boolean }> {
    const wanted = dto.nextCycle;
    const number = wanted?.number ?? cycle.number + 1;
    if (number <= cycle.number) {
      const problem = `must be above ${cycle.number}, the number of the cycle being closed`;
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `nextCycle.number ${problem}`, details: [{ field: 'nextCycle.number', problem }] });
    }
    const existing = await this.cycles.findNextCycle(cycle, number, manager);
    if (existing?.state === 'closed') {
      throw conflict(`Cycle ${number} of ${cycle.stateUnderReview} (id ${existing.id}) is closed: unfinished recommendations cannot be carried into it`, { nextCycleId: existing.id });
    }
    if (existing) {
      // An existing cycle keeps what it has; what was given only fills what it lacks.
      existing.session ??= wanted?.session ?? null;
      existing.reviewDate ??= wanted?.reviewDate ?? null;
      existing.documentSymbol ??= wanted?.documentSymbol ?? null;
      return { next: await this.cycles.save(existing, manager), created: false };
    }
    const next = manager.create(ReviewCycle, {
      coalitionId: cycle.coalitionId,
      mechanism: cycle.mechanism,
      number,
      stateUnderReview: cycle.stateUnderReview,
      session: wanted?.session ?? null,
      reviewDate: wanted?.reviewDate ?? null,
      documentSymbol: wanted?.documentSymbol ?? null,
      state: 'open',
    });
    return { next: await this.cycles.save(next, manager), created: true };
  }
}
