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

/** Multi-valued descriptors of a recommendation, stored one row per value so they can be filtered. */
export const TAG_KINDS = ['recommending_state', 'theme', 'affected_person', 'sdg'] as const;
export type TagKind = (typeof TAG_KINDS)[number];
