import { Module } from '@nestjs/common';
import { BackgroundWork } from '../common/background-work';
import { NotificationsModule } from '../notifications/notifications.module';
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

@Module({
  // The mail transport, for invitation and password-reset emails.
  imports: [NotificationsModule],
  controllers: [AccountsController, AccountLinksController],
  // BackgroundWork waits for its work in onModuleDestroy: before the mail transport of the module
  // imported here closes (importers are destroyed first) and before the database (closed at shutdown).
  providers: [
    AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService, AccountLinksRepository, AccountLinksService,
    AccountEmails, BackgroundWork, AccountCredentials,
    // The global guard asks accounts who a token or session belongs to through this (auth/credentials.ts).
    { provide: CREDENTIALS, useExisting: AccountCredentials },
  ],
  exports: [AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService, AccountLinksService, CREDENTIALS],
})
export class AccountsModule {}
