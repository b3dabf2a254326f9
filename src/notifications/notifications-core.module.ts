import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { EmailComposer } from './email-composer';
import { FileMailTransport, MailTransport, SmtpMailTransport } from './mail-transport';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { NotificationOutbox } from './notification-outbox';
import { NotificationPreferences } from './notification-preferences.service';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationsRepository } from './notifications.repository';
import { UnsubscribeTokens } from './unsubscribe-tokens';

/**
 * The outbox and its delivery: what other features import to hand notices over inside their own
 * transactions (NotificationOutbox) and to read or change people's email preferences. The only way
 * mail leaves the application: the dispatcher, through the one mail transport. The API, the
 * scheduler and the admin's outbox view are NotificationsModule's.
 */
@Module({
  providers: [
    NotificationsRepository, NotificationSettingsRepository, NotificationOutbox, NotificationPreferences,
    NotificationDispatcher, EmailComposer, UnsubscribeTokens,
    {
      // SMTP when SMTP_URL is set; otherwise .eml files, so the default start works with no mail server.
      provide: MailTransport,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.mail.smtpUrl ? new SmtpMailTransport(config) : new FileMailTransport(config)),
    },
  ],
  exports: [
    NotificationsRepository, NotificationSettingsRepository, NotificationOutbox, NotificationPreferences,
    NotificationDispatcher, EmailComposer, UnsubscribeTokens, MailTransport,
  ],
})
export class NotificationsCoreModule {}
