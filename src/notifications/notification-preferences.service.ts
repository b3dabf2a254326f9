import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeliveryMode } from '../vocabulary/notification.vocabulary';
import type { NotificationPreference } from './notification-preference.entity';
import { NotificationSettingsRepository } from './notification-settings.repository';

export interface PreferenceChanges {
  reminders?: DeliveryMode;
  statusChanges?: DeliveryMode;
  digestHour?: number;
}

/**
 * How each person wants to be emailed. Accounts' "my preferences" (which also holds the person's
 * time zone, an account attribute) calls this inside its own transaction.
 */
@Injectable()
export class NotificationPreferences {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: NotificationSettingsRepository,
  ) {}

  of(userId: number, manager: EntityManager = this.dataSource.manager): Promise<NotificationPreference> {
    return this.settings.preferenceOf(userId, manager);
  }

  /**
   * Any change, the time zone's included (the caller's), spends the unsubscribe links already sent:
   * they carry the old preferences version.
   */
  async update(userId: number, changes: PreferenceChanges, manager: EntityManager): Promise<NotificationPreference> {
    const preference = await this.settings.preferenceOf(userId, manager);
    if (changes.reminders !== undefined) preference.remindersMode = changes.reminders;
    if (changes.statusChanges !== undefined) preference.statusChangesMode = changes.statusChanges;
    if (changes.digestHour !== undefined) preference.digestHour = changes.digestHour;
    preference.preferencesVersion += 1;
    return this.settings.savePreference(preference, manager);
  }
}
