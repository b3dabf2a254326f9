export const MECHANISMS = ['upr', 'treaty_body', 'special_procedure', 'peoples_upr'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export const CYCLE_STATES = ['open', 'closed'] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

/** How pages, emails and reports name a mechanism. */
export const MECHANISM_LABELS: Record<Mechanism, string> = { upr: 'UPR', treaty_body: 'Treaty body', special_procedure: 'Special procedure', peoples_upr: "People's UPR" };

/** How pages, emails and reports name a cycle: "Chile, UPR cycle 4". */
export function cycleLabel(cycle: { mechanism: Mechanism; number: number; stateUnderReview: string }): string {
  return `${cycle.stateUnderReview}, ${MECHANISM_LABELS[cycle.mechanism] ?? cycle.mechanism} cycle ${cycle.number}`;
}

/** The label with the session, where several cycles of one State are listed together: "Chile, UPR cycle 4 (session 46)". */
export function cycleLabelWithSession(cycle: { mechanism: Mechanism; number: number; stateUnderReview: string; session: string | null }): string {
  return `${cycleLabel(cycle)}${cycle.session ? ` (session ${cycle.session})` : ''}`;
}

/**
 * Whether the State under Review took part in the review. A State that did not participate (the
 * United States in November 2025) gave no national report and no response: every recommendation of
 * that cycle has the response `no_response`. A postponed review has not happened yet.
 */
export const PARTICIPATIONS = ['participated', 'did_not_participate', 'postponed'] as const;
export type Participation = (typeof PARTICIPATIONS)[number];

export const PARTICIPATION_LABELS: Record<Participation, string> = {
  participated: 'Participated',
  did_not_participate: 'Did not participate',
  postponed: 'Postponed',
};

/** What reports and the public ledger say of the State's participation; null when it took part (nothing to say). */
export function participationNote(cycle: { participation: Participation; stateUnderReview: string }): string | null {
  switch (cycle.participation) {
    case 'did_not_participate':
      return `${cycle.stateUnderReview} did not participate in this review: it gave no response to any recommendation, and every recommendation is recorded with no response.`;
    case 'postponed':
      return `The review of ${cycle.stateUnderReview} was postponed: the State has not yet responded to the recommendations.`;
    default:
      return null;
  }
}
