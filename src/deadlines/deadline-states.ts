import { Injectable } from '@nestjs/common';
import type { DeadlineNow, DeadlineStates } from '../notifications/notice-checks';
import { DeadlinesRepository } from './deadlines.repository';

/** Deadlines' answer to the dispatcher's "is this notice still due" (provided as DEADLINE_STATES). */
@Injectable()
export class DeadlineStatesOfDeadlines implements DeadlineStates {
  constructor(private readonly deadlines: DeadlinesRepository) {}

  async current(ids: number[]): Promise<DeadlineNow[]> {
    return (await this.deadlines.findByIdsWithDeleted(ids)).map((d) => ({
      id: d.id,
      version: d.version,
      open: d.state === 'open',
      deleted: d.deletedAt !== null,
      dueAt: d.dueAt,
      recommendationId: d.recommendationId,
      createdAt: d.createdAt,
    }));
  }
}
