import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { AppLabels } from '../i18n/app-labels';
import type { CycleRef, DeadlinePayload } from './notification-payload';

/**
 * An iCalendar invitation for a deadline. The UID is stable for the deadline's whole life and the
 * SEQUENCE is its version, so calendars update the event they already hold when it moves, and
 * remove it on CANCEL. Its words (title, description) in the recipient's language when `labels`
 * are given (issue 13); in English they are the same as without (a test holds them equal).
 */
export function deadlineCalendar(payload: DeadlinePayload, host: string, appUrl: string, cancelled = false, labels?: AppLabels): string {
  const { deadline } = payload;
  const cycle = labels ? cycleName(payload.cycle, labels) : payload.cycle.label;
  const calendar = ical({
    prodId: { company: 'upr-followup', product: 'deadlines', language: (labels?.language ?? 'en').toUpperCase() },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  const start = new Date(deadline.dueAt);
  calendar.createEvent({
    id: `deadline-${deadline.id}@${host}`,
    sequence: deadline.version,
    start,
    // In UTC: every calendar shows it in its own zone. (A TZID would need a VTIMEZONE block to be read right.)
    end: new Date(start.getTime() + 30 * 60_000),
    summary: labels ? labels.deadline(deadline, cycle) : deadlineTitle(payload),
    description: payload.recommendation
      ? labels
        ? labels.t('calendar.recommendation', { cycle, ref: payload.recommendation.paragraph ?? payload.recommendation.id, excerpt: payload.recommendation.excerpt })
        : `${payload.cycle.label}. Recommendation ${payload.recommendation.paragraph ?? payload.recommendation.id}: ${payload.recommendation.excerpt}`
      : cycle,
    url: payload.recommendation ? `${appUrl}/recommendations/${payload.recommendation.id}` : `${appUrl}/recommendations?cycleId=${payload.cycle.id}`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}

/**
 * Each calendar text made lately, by the exact inputs it was made from (the notification's payload
 * as stored, the address, cancelled or not): every assignee of a deadline gets the same attachment,
 * and making one costs about 4 ms (ical-generator folds lines by encoding the text character by
 * character), a tenth of a reminder email's CPU. Kept `ttlMs` only, so that DTSTAMP ("when this
 * object was made") stays near the truth, and `limit` entries at most.
 */
export class CalendarTexts {
  /** By the stored payload as read (looked up as it is, not copied into a longer key per email), then the rest. */
  private readonly texts = new Map<string, Map<string, { text: string; madeAt: number }>>();

  constructor(
    private readonly host: string,
    private readonly limit = 1000,
    private readonly ttlMs = 10 * 60_000,
    private readonly make: typeof deadlineCalendar = deadlineCalendar,
  ) {}

  /** `labels`: the recipient's language; the assignees who share it share the text. */
  get(storedPayload: string, appUrl: string, cancelled: boolean, now: Date, labels?: AppLabels): string {
    const variant = `${cancelled ? 'cancel' : 'request'} ${labels?.language ?? '-'} ${appUrl}`;
    const variants = this.texts.get(storedPayload);
    const kept = variants?.get(variant);
    if (kept && now.getTime() - kept.madeAt < this.ttlMs) return kept.text;
    const text = this.make(JSON.parse(storedPayload) as DeadlinePayload, this.host, appUrl, cancelled, labels);
    this.texts.delete(storedPayload);
    this.texts.set(storedPayload, (variants ?? new Map()).set(variant, { text, madeAt: now.getTime() }));
    // A Map keeps insertion order: the first key is the oldest made.
    if (this.texts.size > this.limit) this.texts.delete(this.texts.keys().next().value!);
    return text;
  }
}

const KIND_LABELS: Record<string, string> = {
  evidence_due: 'Evidence due',
  mid_term_report: 'Mid-term report due',
  stakeholder_submission: 'Stakeholder submission due',
  hearing: 'Hearing',
  other: 'Deadline',
};

export function deadlineTitle(payload: DeadlinePayload): string {
  const kind = KIND_LABELS[payload.deadline.kind] ?? 'Deadline';
  return payload.deadline.title ? `${kind}: ${payload.deadline.title}` : `${kind} (${payload.cycle.label})`;
}

/** The cycle in the recipient's language; a notice queued before issue 13 has only its English label. */
export function cycleName(cycle: CycleRef, labels: AppLabels): string {
  if (cycle.mechanism === undefined || cycle.number === undefined || cycle.stateUnderReview === undefined) return cycle.label;
  return labels.cycle({ mechanism: cycle.mechanism, number: cycle.number, stateUnderReview: cycle.stateUnderReview });
}
