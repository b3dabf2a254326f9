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
