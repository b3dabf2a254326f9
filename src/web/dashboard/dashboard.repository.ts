import { Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { ReviewCycle } from '../../cycles/review-cycle.entity';
import { sqlTime } from '../../database/sql-values';
import { Deadline } from '../../deadlines/deadline.entity';
import { Recommendation } from '../../recommendations/recommendation.entity';
import type { ImplementationStatus } from '../../vocabulary/recommendation.vocabulary';
import { StatusChange } from '../../recommendations/status-change.entity';

/** The dashboard's reads; each is one indexed query limited to a screenful. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Recommendations the person owns, most recently changed first, with the total. */
  async findOwnedRecommendations(coalitionId: number, userId: number, limit: number): Promise<{ rows: Recommendation[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(Recommendation, 'r')
      .innerJoinAndSelect('r.cycle', 'c')
      .where('r.coalition_id = :coalitionId', { coalitionId })
      .andWhere('r.id IN (SELECT o.recommendation_id FROM recommendation_owner o WHERE o.user_id = :userId)', { userId });
    const [rows, total] = await Promise.all([
      query.clone().orderBy('r.updated_at', 'DESC').addOrderBy('r.id', 'DESC').take(limit).getMany(),
      query.clone().getCount(),
    ]);
    return { rows, total };
  }

  /** Open deadlines assigned to the person or on recommendations they own, due in [from, to), soonest first. */
  findMyOpenDeadlinesDueBetween(coalitionId: number, userId: number, from: Date, to: Date, limit: number): Promise<Deadline[]> {
    return this.myOpenDeadlines(coalitionId, userId)
      .andWhere('d.due_at >= :from AND d.due_at < :to', { from: sqlTime(this.dataSource, from), to: sqlTime(this.dataSource, to) })
      .orderBy('d.due_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Open deadlines of the person that have passed, the longest overdue first. */
  findMyOverdueDeadlines(coalitionId: number, userId: number, now: Date, limit: number): Promise<Deadline[]> {
    return this.myOpenDeadlines(coalitionId, userId)
      .andWhere('d.due_at < :now', { now: sqlTime(this.dataSource, now) })
      .orderBy('d.due_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /** The coalition's latest status changes (who, which recommendation, from what to what; notes are left out). */
  findRecentStatusChanges(coalitionId: number, limit: number): Promise<StatusChange[]> {
    return this.dataSource.manager
      .createQueryBuilder(StatusChange, 's')
      .innerJoinAndSelect('s.recommendation', 'r')
      .innerJoinAndSelect('s.changedBy', 'u')
      .where('r.coalition_id = :coalitionId', { coalitionId })
      .orderBy('s.id', 'DESC')
      .take(limit)
      .getMany();
  }

  /** The coalition's cycles, newest first, for the chart's cycle selector. */
  listCyclesNewestFirst(coalitionId: number): Promise<ReviewCycle[]> {
    return this.dataSource.manager.find(ReviewCycle, { where: { coalitionId }, order: { id: 'DESC' } });
  }

  async countRecommendationsByStatus(coalitionId: number, cycleId: number): Promise<Map<ImplementationStatus, number>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(Recommendation, 'r')
      .select('r.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('r.coalition_id = :coalitionId AND r.cycle_id = :cycleId', { coalitionId, cycleId })
      .groupBy('r.status')
      .getRawMany<{ status: ImplementationStatus; count: string | number }>();
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }

  private myOpenDeadlines(coalitionId: number, userId: number): SelectQueryBuilder<Deadline> {
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
}
