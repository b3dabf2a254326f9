import type { ImplementationStatus } from '../vocabulary/recommendation.vocabulary';
import { STATUSES } from '../vocabulary/recommendation.vocabulary';

/** Statuses that claim implementation happened, and so must cite evidence. */
export const STATUSES_NEEDING_EVIDENCE: readonly ImplementationStatus[] = ['partially_implemented', 'fully_implemented'];

/**
 * Every assessed status can follow every other one, because implementation really does move
 * backwards (a law repealed is "regressed" after "fully_implemented"). What is never allowed:
 * returning to "not_assessed" (an assessment, once made, is part of the record) and a "change" to
 * the status it already has.
 */
export function allowedNextStatuses(current: ImplementationStatus): ImplementationStatus[] {
  return STATUSES.filter((status) => status !== 'not_assessed' && status !== current);
}

export interface TransitionRefusal {
  reason: string;
  /** The request field the refusal is about, so a form can show the reason next to it. */
  field: 'status' | 'evidenceIds';
  allowedNextStatuses: ImplementationStatus[];
}

/** Why moving from `current` to `next` with this much cited evidence is refused, or null if it is allowed. */
export function refuseTransition(current: ImplementationStatus, next: ImplementationStatus, citedEvidence: number): TransitionRefusal | null {
  const allowed = allowedNextStatuses(current);
  if (next === 'not_assessed') {
    return { reason: 'A recommendation cannot return to not_assessed once it has been assessed or triaged', field: 'status', allowedNextStatuses: allowed };
  }
  if (next === current) {
    return { reason: `The recommendation is already ${current}`, field: 'status', allowedNextStatuses: allowed };
  }
  if (STATUSES_NEEDING_EVIDENCE.includes(next) && citedEvidence === 0) {
    return {
      reason: `${next} needs at least one evidence item: attach evidence to the recommendation and cite it in evidenceIds`,
      field: 'evidenceIds',
      allowedNextStatuses: allowed,
    };
  }
  return null;
}
