import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { Deadline, DeadlineAssignee } from './deadline.entity';
import type { DeadlineState } from '../vocabulary/deadline.vocabulary';
import { sqlTime } from '../database/sql-values';

export interface DeadlineFilters {
  coalitionId: number;
  cycleId?: number;
  recommendationId?: number;
  assigneeId?: number;
  state?: DeadlineState;
}

/** Ids per IN list: well under SQLite's 32,766 bound parameters. */
const IN_LIST_CHUNK = 500;

@Injectable()
export class DeadlinesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<Deadline | null> {
    return manager.findOneBy(Deadline, { id, coalitionId });
  }

  /** Deadlines as they are now, deleted ones included: to tell which planned notices went stale. */
  findByIdsWithDeleted(ids: number[]): Promise<Deadline[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(Deadline, { where: { id: In(ids) }, withDeleted: true });
  }

  save(deadline: Deadline, manager: EntityManager): Promise<Deadline> {
    return manager.save(Deadline, deadline);
  }

  /** Soft delete that also raises the version, so reminders planned for it are recognisably stale. */
  async softDelete(deadline: Deadline, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(Deadline, { id: deadline.id }, { deletedAt: at, version: deadline.version + 1, updatedAt: at });
  }

  async replaceAssignees(deadlineId: number, userIds: number[], manager: EntityManager): Promise<void> {
    await manager.delete(DeadlineAssignee, { deadlineId });
    if (userIds.length > 0) await manager.insert(DeadlineAssignee, userIds.map((userId) => ({ deadlineId, userId })));
  }

  async loadAssignees(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<Map<number, number[]>> {
    const byId = new Map<number, number[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows = await manager.find(DeadlineAssignee, { where: { deadlineId: In(ids) }, order: { userId: 'ASC' } });
    for (const row of rows) byId.get(row.deadlineId)?.push(row.userId);
    return byId;
  }

  /** Soonest first. */
  async search(filters: DeadlineFilters, offset: number, limit: number): Promise<{ rows: Deadline[]; total: number }> {
    const query = this.dataSource.manager.createQueryBuilder(Deadline, 'd').where('d.coalition_id = :coalitionId', { coalitionId: filters.coalitionId });
    if (filters.cycleId !== undefined) query.andWhere('d.cycle_id = :cycleId', { cycleId: filters.cycleId });
    if (filters.recommendationId !== undefined) query.andWhere('d.recommendation_id = :recommendationId', { recommendationId: filters.recommendationId });
    if (filters.state) query.andWhere('d.state = :state', { state: filters.state });
    if (filters.assigneeId !== undefined) {
      query.andWhere('d.id IN (SELECT a.deadline_id FROM deadline_assignee a WHERE a.user_id = :assigneeId)', { assigneeId: filters.assigneeId });
    }
    const [rows, total] = await Promise.all([
      query.clone().orderBy('d.due_at', 'ASC').addOrderBy('d.id', 'ASC').offset(offset).limit(limit).getMany(),
      query.clone().getCount(),
    ]);
    return { rows, total };
  }

  /** Open deadlines assigned to the person or on recommendations they own, due in [from, to), soonest first (the dashboard). */
  findOpenOfPersonDueBetween(coalitionId: number, userId: number, from: Date, to: Date, limit: number): Promise<Deadline[]> {
    return this.openOfPerson(coalitionId, userId)
      .andWhere('d.due_at >= :from AND d.due_at < :to', { from: sqlTime(this.dataSource, from), to: sqlTime(this.dataSource, to) })
      .orderBy('d.due_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Open deadlines of the person that have passed, the longest overdue first (the dashboard). */
  findOverdueOfPerson(coalitionId: number, userId: number, now: Date, limit: number): Promise<Deadline[]> {
    return this.openOfPerson(coalitionId, userId)
      .andWhere('d.due_at < :now', { now: sqlTime(this.dataSource, now) })
      .orderBy('d.due_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /**
   * The deadlines of a person's calendar feed: assigned to them, or of recommendations they own or
   * follow; soonest first, with their cycle and recommendation (deleted deadlines are left out).
   */
  findFeedOfPerson(coalitionId: number, userId: number, limit: number): Promise<Deadline[]> {
    return this.dataSource.manager
      .createQueryBuilder(Deadline, 'd')
      .innerJoinAndSelect('d.cycle', 'c')
      .leftJoinAndSelect('d.recommendation', 'r')
      .where('d.coalition_id = :coalitionId', { coalitionId })
      .andWhere(
        '(d.id IN (SELECT a.deadline_id FROM deadline_assignee a WHERE a.user_id = :userId)' +
          ' OR d.recommendation_id IN (SELECT o.recommendation_id FROM recommendation_owner o WHERE o.user_id = :userId)' +
          ' OR d.recommendation_id IN (SELECT f.recommendation_id FROM recommendation_follower f WHERE f.user_id = :userId))',
        { userId },
      )
      .orderBy('d.due_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .take(limit)
      .getMany();
  }

  private openOfPerson(coalitionId: number, userId: number): SelectQueryBuilder<Deadline> {
    return this.dataSource.manager
      .createQueryBuilder(Deadline, 'd')
      .innerJoinAndSelect('d.cycle', 'c')
      .leftJoinAndSelect('d.recommendation', 'r')
      .where('d.coalition_id = :coalitionId AND d.state = :state', { coalitionId, state: 'open' })
      .andWhere(
        '(d.id IN (SELECT a.deadline_id FROM deadline_assignee a WHERE a.user_id = :userId)' +
          ' OR d.recommendation_id IN (SELECT o.recommendation_id FROM recommendation_owner o WHERE o.user_id = :userId))',
        { userId },
      );
  }
  /** Open deadlines of the cycle and of its recommendations (deleted ones are left out). */
  findOpenOfCycle(cycle: { coalitionId: number; id: number }, manager: EntityManager): Promise<Deadline[]> {
    return manager.find(Deadline, { where: { coalitionId: cycle.coalitionId, cycleId: cycle.id, state: 'open' }, order: { dueAt: 'ASC', id: 'ASC' } });
  }

  /** Done, with the version raised as every deadline edit does, so reminders planned for it are stale. */
  async completeMany(ids: number[], at: Date, manager: EntityManager): Promise<void> {
    for (let i = 0; i < ids.length; i += IN_LIST_CHUNK) {
      await manager
        .createQueryBuilder()
        .update(Deadline)
        .set({ state: 'done', version: () => 'version + 1', updatedAt: at })
        .where({ id: In(ids.slice(i, i + IN_LIST_CHUNK)) })
        .execute();
    }
  }
}
