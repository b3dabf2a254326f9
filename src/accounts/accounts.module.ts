import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';
import { WebSessionsRepository } from './web-sessions.repository';
import { WebSessionsService } from './web-sessions.service';

@Module({
  controllers: [AccountsController],
  providers: [AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService],
  exports: [AccountsRepository, UsersService, TokensService, WebSessionsRepository, WebSessionsService],
})
export class AccountsModule {}
