import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationDispatcher } from './notification-dispatcher.service';
import type { MessageContent } from './notification-payload';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import { CoalitionReminderPolicy, policyOf } from './reminder-policy';

/** One complete notice, built by the feature from its own data (see notification-payload.ts). */
export type Notice = NewNotification;

/** An email a feature wrote whole, for one person (accounts' invitation, reset and notice emails). */
export interface AccountEmail extends MessageContent {
  /** Deterministic and unique, e.g. "account-link:<link id>": enqueuing it twice is harmless. */
  key: string;
  coalitionId: number;
  recipientId: number;
}

/**
 * How long an account email waits for the scheduler if the instance that enqueued it stops before
 * delivering it at once (deliverNow): it is not lost, it goes a little later.
 */
export const ACCOUNT_EMAIL_FALLBACK_MS = 5 * 60_000;

/**
 * What features use to tell people things: complete notices go into the outbox inside the
 * caller's transaction, so the change and its notices commit together or not at all. Every notice
 * has a deterministic key: enqueuing the same thing twice is harmless. The dispatcher does the rest.
 */
@Injectable()
export class NotificationOutbox {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly settings: NotificationSettingsRepository,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  enqueue(notices: Notice[], manager: EntityManager): Promise<void> {
    return this.notifications.insertIgnoringDuplicates(notices, manager);
  }

  /**
   * An account email, in the caller's transaction; once that commits, deliver it at once with
   * deliverNow. Its row holds the email (with any link) only until it is sent or given up.
   */
  enqueueAccountEmail(email: AccountEmail, now: Date, manager: EntityManager): Promise<void> {
    const { key, coalitionId, recipientId, subject, text, html } = email;
    return this.enqueue([{
      key, coalitionId, recipientId, kind: 'account_email', dueAt: new Date(now.getTime() + ACCOUNT_EMAIL_FALLBACK_MS),
      deadlineId: null, deadlineVersion: null, recommendationId: null, critical: true, payload: JSON.stringify({ subject, text, html }),
    }], manager);
  }

  /** Sends an enqueued account email now, once; says whether it went and, if not, why. */
  deliverNow(key: string): Promise<{ sent: true } | { sent: false; reason: string }> {
    return this.dispatcher.deliverNow(key);
  }

  /** Cancels a deadline's pending notices planned for an older version (or, with no version, all of them). */
  cancelDeadlineNotices(deadlineId: number, currentVersion: number | null, reason: string, manager: EntityManager): Promise<void> {
    return this.notifications.cancelPendingForDeadline(deadlineId, currentVersion, reason, manager);
  }

  /** Who has already been sent a reminder or notice about this deadline. */
  recipientsSentAbout(deadlineId: number, manager: EntityManager): Promise<number[]> {
    return this.notifications.recipientsSentAbout(deadlineId, manager);
  }

  /** When a coalition's reminders go out. */
  async reminderPolicy(coalitionId: number, manager: EntityManager): Promise<CoalitionReminderPolicy> {
    return policyOf(await this.settings.policyOf(coalitionId, manager));
  }
}
