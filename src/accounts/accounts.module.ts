import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AccountLinksController } from './account-links.controller';
import { AccountLinksRepository } from './account-links.repository';
import { AccountLinksService } from './account-links.service';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';
import { WebSessionsRepository } from './web-sessions.repository';
import { WebSessionsService } from './web-sessions.service';

@Module({
  // The mail transport, for invitation and password-reset emails.
  imports: [NotificationsModule],
  controllers: [AccountsController, AccountLinksController],
  providers: [AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService, AccountLinksRepository, AccountLinksService],
  exports: [AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService, AccountLinksService],
})
export class AccountsModule {}
