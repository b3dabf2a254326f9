import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../../accounts/user.entity';
import { Deadline } from '../../deadlines/deadline.entity';

/** Most deadlines one person could have; a feed larger than this would be refused by calendar apps anyway. */
const FEED_LIMIT = 2000;

@Injectable()
export class CalendarFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  findActiveUser(id: number): Promise<User | null> {
    return this.dataSource.manager.findOneBy(User, { id, active: true });
  }

  /**
   * The deadlines of a person's calendar feed: assigned to them, or of recommendations they own or
   * follow; soonest first, with their cycle and recommendation (deleted deadlines are left out).
   */
  findFeedDeadlinesOfUser(coalitionId: number, userId: number): Promise<Deadline[]> {
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
      .take(FEED_LIMIT)
      .getMany();
  }
}
