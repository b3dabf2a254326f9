import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { DeadlinePayload } from './notification-payload';

/**
 * An iCalendar invitation for a deadline. The UID is stable for the deadline's whole life and the
 * SEQUENCE is its version, so calendars update the event they already hold when it moves, and
 * remove it on CANCEL.
 */
export function deadlineCalendar(payload: DeadlinePayload, host: string, appUrl: string, cancelled = false): string {
  const { deadline } = payload;
  const calendar = ical({
    prodId: { company: 'upr-followup', product: 'deadlines', language: 'EN' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  const start = new Date(deadline.dueAt);
  calendar.createEvent({
    id: `deadline-${deadline.id}@${host}`,
    sequence: deadline.version,
    start,
    // In UTC: every calendar shows it in its own zone. (A TZID would need a VTIMEZONE block to be read right.)
    end: new Date(start.getTime() + 30 * 60_000),
    summary: deadlineTitle(payload),
    description: payload.recommendation
      ? `${payload.cycle.label}. Recommendation ${payload.recommendation.paragraph ?? payload.recommendation.id}: ${payload.recommendation.excerpt}`
      : payload.cycle.label,
    url: payload.recommendation ? `${appUrl}/recommendations/${payload.recommendation.id}` : `${appUrl}/recommendations?cycleId=${payload.cycle.id}`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
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
