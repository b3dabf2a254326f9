import { DateTime } from 'luxon';

/** A deadline without a time is due at the end of its local day. */
export const END_OF_DAY = '23:59';

/**
 * The UTC instant of a local date and time in an IANA zone. On a spring-forward day a time that
 * does not exist (02:30 in New York) moves forward by the gap, as clocks do; on an autumn day the
 * ambiguous hour resolves to its first occurrence.
 */
export function computeDueAt(dueDate: string, dueTime: string | null | undefined, timeZone: string): Date {
  const local = DateTime.fromISO(`${dueDate}T${dueTime ?? END_OF_DAY}`, { zone: timeZone });
  if (!local.isValid) throw new Error(`Invalid due date/time ${dueDate} ${dueTime ?? ''} in ${timeZone}: ${local.invalidExplanation}`);
  return local.toUTC().toJSDate();
}
