import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BackgroundWork } from '../common/background-work';
import { NotificationsCoreModule } from '../notifications/notifications-core.module';
import { AccountEmails } from './account-emails';
import { AccountLinksController } from './account-links.controller';
import { AccountLinksRepository } from './account-links.repository';
import { AccountLinksService } from './account-links.service';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';
import { WebSessionsRepository } from './web-sessions.repository';
import { WebSessionsService } from './web-sessions.service';
import { CREDENTIALS } from '../auth/credentials';
import { AccountCredentials } from './account-credentials';
import { AccountRecipients } from './account-recipients';
import { MyPreferencesService } from './my-preferences.service';
import { FirstRunRepository } from './first-run.repository';
import { FirstRunService } from './first-run.service';
import { SetupCode } from './setup-code';

@Module({
  // The outbox, for invitation and password-reset emails; people's notification preferences.
  imports: [AuditModule, NotificationsCoreModule],
  controllers: [AccountsController, AccountLinksController],
  // BackgroundWork waits for its work in onModuleDestroy: before the outbox and mail transport of the module
  // imported here closes (importers are destroyed first) and before the database (closed at shutdown).
  providers: [
    AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService, AccountLinksRepository, AccountLinksService,
    AccountEmails, BackgroundWork, AccountCredentials, AccountRecipients, MyPreferencesService,
    FirstRunRepository, FirstRunService, SetupCode,
    // The global guard asks accounts who a token or session belongs to through this (auth/credentials.ts).
    { provide: CREDENTIALS, useExisting: AccountCredentials },
  ],
  exports: [
    AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService, AccountLinksService, MyPreferencesService, CREDENTIALS,
    FirstRunService, SetupCode,
    // notifications' RECIPIENTS, wired at the composition root (src/ports.module.ts).
    AccountRecipients,
  ],
})
export class AccountsModule {}
