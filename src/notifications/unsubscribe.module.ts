import { Module } from '@nestjs/common';
import { UnsubscribeController } from './notifications.controller';
import { NotificationsModule } from './notifications.module';

/** The unsubscribe links of emails, served at /unsubscribe/<token>, outside the /api/v1 prefix. */
@Module({
  imports: [NotificationsModule],
  controllers: [UnsubscribeController],
})
export class UnsubscribeModule {}
