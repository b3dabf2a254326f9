/** The State's answer to a recommendation. */
export const RESPONSES = ['pending', 'supported', 'supported_in_part', 'noted', 'no_response'] as const;
export type RecommendationResponse = (typeof RESPONSES)[number];

/** The coalition's own assessment of implementation, separate from the State's response. */
export const STATUSES = [
  'not_assessed',
  'not_started',
  'in_progress',
  'partially_implemented',
  'fully_implemented',
  'not_implemented',
  'regressed',
] as const;
export type ImplementationStatus = (typeof STATUSES)[number];

/** How pages, charts and the public ledger name each status. */
export const STATUS_LABELS: Record<ImplementationStatus, string> = {
  not_assessed: 'Not assessed',
  not_started: 'Not started',
  in_progress: 'In progress',
  partially_implemented: 'Partially implemented',
  fully_implemented: 'Fully implemented',
  not_implemented: 'Not implemented',
  regressed: 'Regressed',
};

/** How pages name each of the State's responses. */
export const RESPONSE_LABELS: Record<RecommendationResponse, string> = {
  pending: 'Pending',
  supported: 'Supported',
  supported_in_part: 'Supported in part',
  noted: 'Noted',
  no_response: 'No response',
};

/** Multi-valued descriptors of a recommendation, stored one row per value so they can be filtered. */
export const TAG_KINDS = ['recommending_state', 'theme', 'affected_person', 'sdg'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/**
 * What a row is: a recommendation made to the State, or a voluntary pledge the State made itself
 * (UPR Info's Response "Voluntary Pledge"). A pledge has no recommending State and nothing for the
 * State to answer: its response is always `no_response`; reports count pledges apart.
 */
export const RECOMMENDATION_KINDS = ['recommendation', 'voluntary_pledge'] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

export const RECOMMENDATION_KIND_LABELS: Record<RecommendationKind, string> = {
  recommendation: 'Recommendation',
  voluntary_pledge: 'Voluntary pledge',
};

/** The response every pledge has: the State answers recommendations, not its own pledges. */
export const PLEDGE_RESPONSE: RecommendationResponse = 'no_response';

/**
 * Where a recommendation row of a cycle comes from: `received` in that cycle, or `carried`: a copy
 * that a cycle close made before carry-over became a link (CarriedRecommendation). Both kinds of
 * carried items are counted apart from what the cycle received.
 */
export const RECOMMENDATION_ORIGINS = ['received', 'carried'] as const;
export type RecommendationOrigin = (typeof RECOMMENDATION_ORIGINS)[number];
