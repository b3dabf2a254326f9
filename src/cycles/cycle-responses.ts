import type { EntityManager } from 'typeorm';
import type { ReviewCycle } from './review-cycle.entity';

/**
 * What a cycle edit asks of recommendations when the State did not participate: every
 * recommendation of the cycle gets the response no_response, in the edit's own transaction, each
 * change with its audit entry and its notices to owners and followers, as an edit of the response.
 * Recommendations own their table and provide this under CYCLE_RESPONSES (bound in
 * src/ports.module.ts); cycles sit below recommendations and only ask.
 */
export interface CycleResponses {
  /** Sets the response of every recommendation of the cycle to no_response; answers how many changed. */
  setNoResponse(cycle: ReviewCycle, actor: { id: number; name: string }, at: Date, manager: EntityManager): Promise<number>;
}

export const CYCLE_RESPONSES = Symbol('CYCLE_RESPONSES');
