export const MECHANISMS = ['upr', 'treaty_body', 'special_procedure', 'peoples_upr'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export const CYCLE_STATES = ['open', 'closed'] as const;
export type CycleState = (typeof CYCLE_STATES)[number];
