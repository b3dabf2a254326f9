import { Module } from '@nestjs/common';
import { NotificationSettingsService } from './notification-settings.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsCoreModule } from './notifications-core.module';
import { NotificationsScheduler } from './notifications.scheduler';
import { OutboxAdminService } from './outbox-admin.service';

/** The notifications API (reminder policy, the admins' outbox), and the scheduler that drains the outbox. */
@Module({
  imports: [NotificationsCoreModule],
  controllers: [NotificationsController],
  providers: [NotificationsScheduler, NotificationSettingsService, OutboxAdminService],
  exports: [NotificationsCoreModule, OutboxAdminService, NotificationSettingsService],
})
export class NotificationsModule {}
