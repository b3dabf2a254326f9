import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { CycleResponses } from '../cycles/cycle-responses';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import { ChangeNotices } from './change-notices';
import { RecommendationsRepository } from './recommendations.repository';

/** The audit action of a response set by a cycle's participation (the pages say why in words). */
export const RESPONSE_SET_BY_PARTICIPATION = 'response_set_by_participation';

/**
 * Answers cycles' CYCLE_RESPONSES: a State that did not participate responded to nothing. Each
 * recommendation whose response changes gets what an edit of its response gets: an audit entry
 * (its "Changes" show it) and the usual notices to its owners and followers through the outbox,
 * where they join each person's digest, so a follower of many recommendations gets one email.
 */
@Injectable()
export class CycleResponsesOfRecommendations implements CycleResponses {
  constructor(
    private readonly recommendations: RecommendationsRepository,
    private readonly audit: AuditLog,
    private readonly notices: ChangeNotices,
  ) {}

  async setNoResponse(cycle: ReviewCycle, actor: { id: number; name: string }, at: Date, manager: EntityManager): Promise<number> {
    const changed = await this.recommendations.setNoResponseInCycle(cycle, at, manager);
    await this.audit.insertMany(changed.map(({ recommendation, from }) => ({
      coalitionId: cycle.coalitionId, actor, entity: 'recommendation' as const, entityId: recommendation.id, action: RESPONSE_SET_BY_PARTICIPATION, at,
      before: { response: from }, after: { response: 'no_response' },
    })), manager);
    const note = `${cycle.stateUnderReview} did not participate in this review: it gave no response to any recommendation.`;
    for (const { recommendation, from } of changed) {
      await this.notices.responseChanged({ recommendation, actor, from, to: 'no_response', at, cycle, note }, manager);
    }
    return changed.length;
  }
}
