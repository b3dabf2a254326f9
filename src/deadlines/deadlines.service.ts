import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog, type AuditValues } from '../audit/audit-log';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { Page } from '../common/pagination';
import { CyclesService } from '../cycles/cycles.service';
import { RecommendationAccess } from '../recommendations/recommendation-access.service';
import { DeadlineNotices } from './deadline-notices';
import { Deadline } from './deadline.entity';
import { CreateDeadlineDto, CreateDeadlinesDto, DeadlineResponse, ListDeadlinesQuery, mapDeadline, UpdateDeadlineDto } from './deadlines.dto';
import { DeadlinesRepository } from './deadlines.repository';
import { computeDueAt } from './due-at';

@Injectable()
export class DeadlinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deadlines: DeadlinesRepository,
    private readonly access: RecommendationAccess,
    private readonly cycles: CyclesService,
    private readonly notices: DeadlineNotices,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(auth: AuthUser, dto: CreateDeadlineDto): Promise<DeadlineResponse> {
    if (dto.recommendationId !== undefined && dto.cycleId !== undefined) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Give either recommendationId or cycleId, not both',
        details: [{ field: 'cycleId', problem: 'not allowed together with recommendationId' }],
      });
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const cycleId = dto.recommendationId !== undefined
        ? (await this.access.getChangeable(auth, dto.recommendationId, manager)).cycle.id
        : (await this.cycles.getOpen(auth, dto.cycleId!, manager)).id;
      await this.access.assertUsersInCoalition(auth, 'assigneeIds', dto.assigneeIds, manager);
      return this.insert(auth, cycleId, dto, manager);
    });
    return this.get(auth, id);
  }

  /**
   * The same deadline for each recommendation, in one transaction: if one of them is not the
   * caller's or its cycle is closed, none is created.
   */
  async createForRecommendations(auth: AuthUser, dto: CreateDeadlinesDto): Promise<{ created: number }> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertUsersInCoalition(auth, 'assigneeIds', dto.assigneeIds, manager);
      for (const recommendationId of dto.recommendationIds) {
        const { cycle } = await this.access.getChangeable(auth, recommendationId, manager);
        await this.insert(auth, cycle.id, { ...dto, recommendationId }, manager);
      }
      return { created: dto.recommendationIds.length };
    });
  }

  private async insert(auth: AuthUser, cycleId: number, dto: Omit<CreateDeadlineDto, 'cycleId'>, manager: EntityManager): Promise<number> {
    const saved = await this.deadlines.save(
      manager.create(Deadline, {
        coalitionId: auth.coalitionId,
        recommendationId: dto.recommendationId ?? null,
        cycleId,
        kind: dto.kind,
        title: dto.title ?? null,
        dueDate: dto.dueDate,
        dueTime: dto.dueTime ?? null,
        timeZone: dto.timeZone,
        dueAt: computeDueAt(dto.dueDate, dto.dueTime, dto.timeZone),
        state: 'open',
        version: 1,
        createdById: auth.id,
        // From the injected clock: "evidence since the deadline was set" compares with it.
        createdAt: this.clock.now(),
      }),
      manager,
    );
    await this.deadlines.replaceAssignees(saved.id, dto.assigneeIds ?? [], manager);
    await this.notices.plan(saved, manager, this.clock.now());
    await this.audit.record({
      coalitionId: auth.coalitionId, actor: auth, entity: 'deadline', entityId: saved.id, recommendationId: saved.recommendationId, action: 'created', at: this.clock.now(),
      after: auditedValues(saved, dto.assigneeIds ?? []),
    }, manager);
    return saved.id;
  }

  async list(auth: AuthUser, query: ListDeadlinesQuery): Promise<Page<DeadlineResponse>> {
    const { page, pageSize, ...filters } = query;
    const { rows, total } = await this.deadlines.search({ ...filters, coalitionId: auth.coalitionId }, (page - 1) * pageSize, pageSize);
    const assignees = await this.deadlines.loadAssignees(rows.map((d) => d.id));
    return { items: rows.map((d) => mapDeadline(d, assignees.get(d.id)!)), total, page, pageSize };
  }

  async get(auth: AuthUser, id: number): Promise<DeadlineResponse> {
    const deadline = await this.getVisible(auth, id);
    const assignees = await this.deadlines.loadAssignees([id]);
    return mapDeadline(deadline, assignees.get(id)!);
  }

  /** Every edit raises the version, so reminders planned for the old date can be told apart. */
  async update(auth: AuthUser, id: number, dto: UpdateDeadlineDto): Promise<DeadlineResponse> {
    await this.dataSource.transaction(async (manager) => {
      const deadline = await this.getChangeable(auth, id, manager);
      await this.access.assertUsersInCoalition(auth, 'assigneeIds', dto.assigneeIds, manager);
      const assigneesBefore = (await this.deadlines.loadAssignees([id], manager)).get(id) ?? [];
      const before = auditedValues(deadline, assigneesBefore);
      if (dto.kind !== undefined) deadline.kind = dto.kind;
      if (dto.title !== undefined) deadline.title = dto.title;
      if (dto.dueDate !== undefined) deadline.dueDate = dto.dueDate;
      if (dto.dueTime !== undefined) deadline.dueTime = dto.dueTime;
      if (dto.timeZone !== undefined) deadline.timeZone = dto.timeZone;
      if (dto.state !== undefined) deadline.state = dto.state;
      deadline.dueAt = computeDueAt(deadline.dueDate, deadline.dueTime, deadline.timeZone);
      deadline.version += 1;
      deadline.updatedAt = this.clock.now();
      await this.deadlines.save(deadline, manager);
      if (dto.assigneeIds !== undefined) await this.deadlines.replaceAssignees(id, dto.assigneeIds, manager);
      // Reminders of the old version are cancelled and the new version's planned, in this transaction.
      await this.notices.plan(deadline, manager, this.clock.now());
      await this.audit.recordChanges(
        { coalitionId: auth.coalitionId, actor: auth, entity: 'deadline', entityId: id, recommendationId: deadline.recommendationId, action: 'updated', at: deadline.updatedAt },
        before, auditedValues(deadline, dto.assigneeIds ?? assigneesBefore), manager,
      );
    });
    return this.get(auth, id);
  }

  async remove(auth: AuthUser, id: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const deadline = await this.getChangeable(auth, id, manager);
      const now = this.clock.now();
      await this.deadlines.softDelete(deadline, now, manager);
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'deadline', entityId: id, recommendationId: deadline.recommendationId, action: 'deleted', at: now,
        before: auditedValues(deadline, (await this.deadlines.loadAssignees([id], manager)).get(id) ?? []),
      }, manager);
      await this.notices.cancel({ ...deadline, version: deadline.version + 1, deletedAt: now }, manager, now);
    });
  }

  private async getVisible(auth: AuthUser, id: number, manager?: EntityManager): Promise<Deadline> {
    const deadline = await this.deadlines.findInCoalition(auth.coalitionId, id, manager);
    if (!deadline) throw notFound('Deadline', id);
    return deadline;
  }

  private async getChangeable(auth: AuthUser, id: number, manager: EntityManager): Promise<Deadline> {
    const deadline = await this.getVisible(auth, id, manager);
    await this.cycles.getOpen(auth, deadline.cycleId, manager);
    return deadline;
  }

  /** The person's open deadlines due in [from, to) and those overdue at `from`, for the dashboard, `limit` of each. */
  async openOfPerson(auth: AuthUser, from: Date, to: Date, limit: number): Promise<{ upcoming: Deadline[]; overdue: Deadline[] }> {
    const [upcoming, overdue] = await Promise.all([
      this.deadlines.findOpenOfPersonDueBetween(auth.coalitionId, auth.id, from, to, limit),
      this.deadlines.findOverdueOfPerson(auth.coalitionId, auth.id, from, limit),
    ]);
    return { upcoming, overdue };
  }

  /** The deadlines of a person's calendar feed (assigned, owned or followed), at most `limit`. */
  calendarOf(coalitionId: number, userId: number, limit: number): Promise<Deadline[]> {
    return this.deadlines.findFeedOfPerson(coalitionId, userId, limit);
  }
}

/** What the audit trail follows of a deadline. */
function auditedValues(deadline: Deadline, assigneeIds: number[]): AuditValues {
  return {
    recommendationId: deadline.recommendationId, cycleId: deadline.cycleId, kind: deadline.kind, title: deadline.title, dueDate: deadline.dueDate,
    dueTime: deadline.dueTime, timeZone: deadline.timeZone, state: deadline.state, assigneeIds,
  };
}
