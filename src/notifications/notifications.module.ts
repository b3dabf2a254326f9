import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { EmailComposer } from './email-composer';
import { FileMailTransport, MailTransport, SmtpMailTransport } from './mail-transport';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { NotificationSettingsService } from './notification-settings.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsCoreModule } from './notifications-core.module';
import { NotificationsScheduler } from './notifications.scheduler';
import { OutboxAdminService } from './outbox-admin.service';
import { UnsubscribeTokens } from './unsubscribe-tokens';

@Module({
  imports: [NotificationsCoreModule],
  controllers: [NotificationsController],
  providers: [
    EmailComposer,
    UnsubscribeTokens,
    NotificationDispatcher,
    NotificationsScheduler,
    NotificationSettingsService,
    OutboxAdminService,
    {
      // SMTP when SMTP_URL is set; otherwise .eml files, so the default start works with no mail server.
      provide: MailTransport,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.mail.smtpUrl ? new SmtpMailTransport(config) : new FileMailTransport(config)),
    },
  ],
  exports: [OutboxAdminService, NotificationDispatcher, MailTransport, NotificationSettingsService, UnsubscribeTokens],
})
export class NotificationsModule {}
