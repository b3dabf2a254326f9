import { Module } from '@nestjs/common';
import { NotificationOutbox } from './notification-outbox';
import { NotificationPlanner } from './notification-planner.service';
import { NotificationPreferences } from './notification-preferences.service';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationsRepository } from './notifications.repository';

/**
 * What other features need to hand notices to the outbox inside their own transactions. Kept apart
 * from the dispatcher and mail transport so that recommendations and deadlines do not depend on email.
 */
@Module({
  providers: [NotificationsRepository, NotificationSettingsRepository, NotificationOutbox, NotificationPreferences, NotificationPlanner],
  exports: [NotificationsRepository, NotificationSettingsRepository, NotificationOutbox, NotificationPreferences, NotificationPlanner],
})
export class NotificationsCoreModule {}
