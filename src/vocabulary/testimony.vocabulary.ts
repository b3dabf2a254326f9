/**
 * Where a testimony is in the coordinators' queue. `withdrawn` is the end: the person took it back,
 * its content, files and key are destroyed, and only that it was withdrawn (and when) is kept.
 * `linked` is set by hand for now; linking to recommendations comes with triage (issue 13).
 */
export const TESTIMONY_STATES = ['new', 'reviewed', 'linked', 'archived', 'withdrawn'] as const;
export type TestimonyState = (typeof TESTIMONY_STATES)[number];

/** The states a coordinator may set (withdrawal is the person's alone). */
export const QUEUE_STATES = ['new', 'reviewed', 'linked', 'archived'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/**
 * What the person allowed, as an explicit choice: use inside the coalition only, quote without
 * anything that identifies them, or publish with their name.
 */
export const TESTIMONY_CONSENTS = ['internal', 'anonymised', 'public'] as const;
export type TestimonyConsent = (typeof TESTIMONY_CONSENTS)[number];
