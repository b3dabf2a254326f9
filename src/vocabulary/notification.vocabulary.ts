/** What a notification is about. */
export const NOTIFICATION_KINDS = [
  'deadline_reminder', // before a deadline, per the coalition's reminder policy
  'deadline_overdue', // once, when a deadline passes while still open
  'evidence_due', // once, when an evidence_due deadline passes without new evidence
  'deadline_cancelled', // a deadline someone was reminded of was deleted (carries an iCalendar CANCEL)
  'status_change', // a followed or owned recommendation's status changed
  'response_change', // a followed or owned recommendation's State response changed
  'account_email', // an invitation, a password-reset link, or the notice to an address that has an account elsewhere
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATES = ['pending', 'sent', 'cancelled', 'failed', 'suppressed'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

/** An email carrying one or more notifications for one recipient. */
export const DIGEST_STATES = ['pending', 'sent', 'failed', 'suppressed', 'cancelled'] as const;
export type DigestState = (typeof DIGEST_STATES)[number];

/** How a member wants each kind of email. */
export const DELIVERY_MODES = ['immediate', 'daily_digest', 'off'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** The preference that governs a kind. Overdue notices to a deadline's assignees are critical and ignore "off". */
export function preferenceOf(kind: NotificationKind): 'reminders' | 'statusChanges' {
  return kind === 'status_change' || kind === 'response_change' ? 'statusChanges' : 'reminders';
}
