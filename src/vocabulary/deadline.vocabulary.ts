export const DEADLINE_KINDS = ['evidence_due', 'mid_term_report', 'stakeholder_submission', 'hearing', 'other'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_STATES = ['open', 'done'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];
