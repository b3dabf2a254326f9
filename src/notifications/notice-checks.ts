/**
 * What the dispatcher asks, just before sending, to drop notices that went stale since they were
 * planned. Deadlines and evidence sit above notifications and implement these; they are wired at the
 * composition root (src/ports.module.ts), so notifications imports neither.
 */

/** A deadline as it is now, for the notices planned for one of its versions. */
export interface DeadlineNow {
  id: number;
  version: number;
  open: boolean;
  deleted: boolean;
  dueAt: Date;
  recommendationId: number | null;
  createdAt: Date;
}

export interface DeadlineStates {
  /** These deadlines as they are now, deleted ones included; an id that never existed is left out. */
  current(ids: number[]): Promise<DeadlineNow[]>;
}

export interface EvidenceArrivals {
  /** Whether evidence was added to the recommendation at or after `since`. */
  arrivedSince(recommendationId: number, since: Date): Promise<boolean>;
}

export const DEADLINE_STATES = Symbol('DEADLINE_STATES');
export const EVIDENCE_ARRIVALS = Symbol('EVIDENCE_ARRIVALS');
