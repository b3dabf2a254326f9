import type { Mechanism } from '../vocabulary/cycle.vocabulary';
import type { DeadlineKind } from '../vocabulary/deadline.vocabulary';
import type { ImplementationStatus, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';

/** What an email needs to say, fixed when the notification is planned. Never confidential content. */
export interface RecommendationRef {
  id: number;
  paragraph: string | null;
  /** The first 300 characters of the text. */
  excerpt: string;
}

/**
 * The cycle a notice is about: its English label, and (since issue 13) what names it, so an email
 * can name it in the recipient's language. Notices queued before have the label only.
 */
export interface CycleRef {
  id: number;
  label: string;
  mechanism?: Mechanism;
  number?: number;
  stateUnderReview?: string;
}

export interface DeadlinePayload {
  deadline: {
    id: number;
    version: number;
    kind: DeadlineKind;
    title: string | null;
    dueDate: string;
    dueTime: string | null;
    timeZone: string;
    dueAt: string;
  };
  recommendation: RecommendationRef | null;
  cycle: CycleRef;
  offsetDays?: number;
}

export interface ChangePayload {
  recommendation: RecommendationRef;
  cycle: CycleRef;
  changedBy: string;
  from: ImplementationStatus | RecommendationResponse;
  to: ImplementationStatus | RecommendationResponse;
  note: string | null;
  /** How many evidence items the change cites, and the titles of the non-confidential ones. */
  evidenceCount: number;
  evidenceTitles: string[];
  at: string;
}

/**
 * An email written whole by the feature that sends it (accounts' invitation and reset emails): it
 * goes alone, at once, whatever the person's preferences. It may hold a link that sets a password,
 * so the outbox erases it once the email is sent or given up (NotificationsRepository.erasePayloads).
 */
export interface MessageContent {
  subject: string;
  text: string;
  html: string;
}

export function excerpt(text: string, length = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}
