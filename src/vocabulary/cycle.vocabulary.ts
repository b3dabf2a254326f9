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
