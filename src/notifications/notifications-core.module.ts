import { Module } from '@nestjs/common';
import { NotificationPlanner } from './notification-planner.service';
import { NotificationsRepository } from './notifications.repository';

/**
 * What other features need to write notifications inside their own transactions. Kept apart from
 * the dispatcher and mail transport so that recommendations and deadlines do not depend on email.
 */
@Module({
  providers: [NotificationsRepository, NotificationPlanner],
  exports: [NotificationsRepository, NotificationPlanner],
})
export class NotificationsCoreModule {}
