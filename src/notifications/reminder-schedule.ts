import { DateTime } from 'luxon';

export interface ReminderPolicy {
  /** Days before the deadline, e.g. [14, 7, 1]. */
  offsetsDays: number[];
  /** Local hour (0–23) in the recipient's time zone at which reminders go out. */
  hour: number;
}

export interface PlannedReminder {
  offsetDays: number;
  dueAt: Date;
}

/**
 * When a recipient's reminders for a deadline are due: on the local date `offset` days before the
 * deadline's own local date, at the policy hour in the recipient's time zone (computed with luxon,
 * so a daylight-saving day still has exactly one 09:00). Reminders whose time has already passed
 * are dropped; if that leaves none while the deadline is still ahead, one reminder goes out now,
 * so a deadline set for tomorrow afternoon is never silent.
 */
export function planReminders(
  deadline: { dueDate: string; dueAt: Date },
  recipientTimeZone: string,
  policy: ReminderPolicy,
  now: Date,
): PlannedReminder[] {
  if (deadline.dueAt.getTime() <= now.getTime()) return [];
  const offsets = [...new Set(policy.offsetsDays)].sort((a, b) => b - a);
  const planned = offsets
    .map((offsetDays) => ({
      offsetDays,
      dueAt: DateTime.fromISO(deadline.dueDate, { zone: recipientTimeZone })
        .minus({ days: offsetDays })
        .set({ hour: policy.hour, minute: 0, second: 0, millisecond: 0 })
        .toUTC()
        .toJSDate(),
    }))
    .filter((r) => r.dueAt.getTime() > now.getTime() && r.dueAt.getTime() < deadline.dueAt.getTime());
  if (planned.length > 0 || offsets.length === 0) return planned;
  return [{ offsetDays: Math.min(...offsets), dueAt: now }];
}

/**
 * The next digest hour strictly after `at`, in the recipient's zone: a daily digest collects what
 * became due since the previous one.
 */
export function nextDigestTime(at: Date, timeZone: string, digestHour: number): Date {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  let candidate = local.set({ hour: digestHour, minute: 0, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= local.toMillis()) candidate = candidate.plus({ days: 1 }).set({ hour: digestHour });
  return candidate.toUTC().toJSDate();
}

/** The digest window a digest time belongs to: the recipient's local date. */
export function digestWindowKey(digestAt: Date, timeZone: string): string {
  return `daily:${DateTime.fromJSDate(digestAt, { zone: timeZone }).toISODate()}`;
}

/**
 * Immediate emails that come due in the same minute for one recipient travel together (10,000
 * reminders for 500 members at once are 500 emails, not 10,000).
 */
export function immediateWindowKey(dueAt: Date): string {
  return `at:${dueAt.toISOString().slice(0, 16)}`;
}
