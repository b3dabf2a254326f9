import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import { CoalitionReminderPolicy, policyOf } from './reminder-policy';

/** One complete notice, built by the feature from its own data (see notification-payload.ts). */
export type Notice = NewNotification;

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
  ) {}

  enqueue(notices: Notice[], manager: EntityManager): Promise<void> {
    return this.notifications.insertIgnoringDuplicates(notices, manager);
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
