import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DEFAULT_PREFERENCE, NotificationPreference } from './notification-preference.entity';
import { ReminderPolicySetting } from './reminder-policy.entity';

/** Notifications' own settings: each person's preferences and each coalition's reminder policy. */
@Injectable()
export class NotificationSettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A person's preferences; the defaults (not saved) when they never changed them. */
  async preferenceOf(userId: number, manager: EntityManager = this.dataSource.manager): Promise<NotificationPreference> {
    return (await manager.findOneBy(NotificationPreference, { userId })) ?? { userId, ...DEFAULT_PREFERENCE };
  }

  /** Preferences of several people, the defaults for those without a row. */
  async preferencesOf(userIds: number[], manager: EntityManager = this.dataSource.manager): Promise<Map<number, NotificationPreference>> {
    const rows = userIds.length === 0 ? [] : await manager.findBy(NotificationPreference, { userId: In(userIds) });
    const found = new Map(rows.map((row) => [row.userId, row]));
    return new Map(userIds.map((userId) => [userId, found.get(userId) ?? { userId, ...DEFAULT_PREFERENCE }]));
  }

  /** Insert or update: a person's first change writes their row. */
  async savePreference(preference: NotificationPreference, manager: EntityManager): Promise<NotificationPreference> {
    await manager.upsert(NotificationPreference, preference, ['userId']);
    return preference;
  }

  /** A coalition's policy row, or null when it keeps the defaults. */
  policyOf(coalitionId: number, manager: EntityManager = this.dataSource.manager): Promise<ReminderPolicySetting | null> {
    return manager.findOneBy(ReminderPolicySetting, { coalitionId });
  }

  async savePolicy(policy: ReminderPolicySetting, manager: EntityManager): Promise<ReminderPolicySetting> {
    await manager.upsert(ReminderPolicySetting, policy, ['coalitionId']);
    return policy;
  }
}
