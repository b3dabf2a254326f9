import { BadRequestException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import type { AuthUser } from '../auth/auth-user';
import { notFound } from '../common/errors';
import { assertCycleOpen } from '../cycles/cycles.service';
import { CyclesRepository } from '../cycles/cycles.repository';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { Recommendation } from './recommendation.entity';
import { RecommendationsRepository } from './recommendations.repository';

/** The checks every feature that touches a recommendation shares: tenancy, open cycle, valid people. */
@Injectable()
export class RecommendationAccess {
  constructor(
    private readonly recommendations: RecommendationsRepository,
    private readonly cycles: CyclesRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  /** Another coalition's recommendation is "not found", never "forbidden": its existence is not disclosed. */
  async getVisible(auth: AuthUser, id: number, manager?: EntityManager): Promise<Recommendation> {
    const recommendation = await this.recommendations.findInCoalition(auth.coalitionId, id, manager);
    if (!recommendation) throw notFound('Recommendation', id);
    return recommendation;
  }

  /**
   * The recommendation and its cycle, refusing (409) when the cycle is closed, unless a close
   * carried the recommendation into an open cycle where it is still followed (not superseded).
   * `followedInCycleId`: the open cycle its follow-up happens in (its own, or the one it is carried
   * into), where work filed by cycle (its deadlines) belongs. `everCarried`: whether a close ever
   * carried it (its detail has carries to read). One statement reads all of it (findWithCycle).
   */
  async getChangeable(
    auth: AuthUser, id: number, manager?: EntityManager,
  ): Promise<{ recommendation: Recommendation; cycle: ReviewCycle; followedInCycleId: number; everCarried: boolean }> {
    const found = await this.recommendations.findWithCycle(auth.coalitionId, id, manager);
    if (!found) throw notFound('Recommendation', id);
    const { recommendation, cycle, openCarry, everCarried } = found;
    if (!cycle) throw notFound('Cycle', recommendation.cycleId);
    if (cycle.state === 'closed' && openCarry !== null) return { recommendation, cycle, followedInCycleId: openCarry, everCarried };
    assertCycleOpen(cycle);
    return { recommendation, cycle, followedInCycleId: cycle.id, everCarried };
  }

  /**
   * Whether getChangeable would let the recommendation change, without refusing: its cycle is open,
   * or a close carried it into an open cycle where it is still followed. Pages offer their forms and
   * links (status, evidence and its Edit / Remove) only then, by the same rule as the writes.
   */
  async isChangeable(auth: AuthUser, recommendation: { id: number; cycleId: number }): Promise<boolean> {
    const cycle = await this.cycles.findInCoalition(auth.coalitionId, recommendation.cycleId);
    if (!cycle) return false;
    return cycle.state !== 'closed' || (await this.recommendations.findOpenCarry(recommendation.id)) !== null;
  }

  /** 400 naming the field and the ids that are not active users of the caller's coalition. */
  async assertUsersInCoalition(auth: AuthUser, field: string, ids: number[] | undefined, manager?: EntityManager): Promise<void> {
    if (!ids || ids.length === 0) return;
    const found = new Set(await this.accounts.countActiveUsersInCoalition(auth.coalitionId, ids, manager));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${field} names users who are not active members of your coalition: ${missing.join(', ')}`,
        details: [{ field, problem: `unknown or inactive user ids: ${missing.join(', ')}` }],
      });
    }
  }
}
