/** suggested: found by text similarity, undecided; confirmed: made the predecessor; rejected: never suggested again. */
export const LINEAGE_STATES = ['suggested', 'confirmed', 'rejected'] as const;
export type LineageState = (typeof LINEAGE_STATES)[number];

export const LINEAGE_DECISIONS = ['confirm', 'reject'] as const;
export type LineageDecision = (typeof LINEAGE_DECISIONS)[number];

/** A candidate is suggested from this similarity up (0 to 1; see text-similarity.ts). */
export const SUGGESTION_THRESHOLD = 0.5;

/** Most suggestions kept per recommendation, best first. */
export const MAX_SUGGESTIONS = 5;
