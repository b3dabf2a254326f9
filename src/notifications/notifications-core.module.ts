import { Module } from '@nestjs/common';
import { NotificationOutbox } from './notification-outbox';
import { NotificationPreferences } from './notification-preferences.service';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationsRepository } from './notifications.repository';

/**
 * What other features need to hand notices to the outbox inside their own transactions. Kept apart
 * from the dispatcher and mail transport so that recommendations and deadlines do not depend on email.
 */
@Module({
  providers: [NotificationsRepository, NotificationSettingsRepository, NotificationOutbox, NotificationPreferences],
  exports: [NotificationsRepository, NotificationSettingsRepository, NotificationOutbox, NotificationPreferences],
})
export class NotificationsCoreModule {}
