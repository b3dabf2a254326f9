import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

@Module({
  controllers: [AccountsController],
  providers: [AccountsRepository, UsersService, TokensService],
  exports: [AccountsRepository, UsersService, TokensService],
})
export class AccountsModule {}
