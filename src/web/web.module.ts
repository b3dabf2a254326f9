import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { AccountsModule } from '../accounts/accounts.module';
import { DashboardController } from './dashboard.controller';
import { SignInController } from './sign-in.controller';
import { ViewRenderer } from './view-renderer';
import { WebCsrf } from './web-csrf';

/** The server-rendered pages for coordinators, members and admins, served by the same process as the API. */
@Module({
  imports: [
    AccountsModule,
    // Counts sign-in attempts per address in this instance's memory (see docs/operations.md).
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.http.loginAttemptsPerMinute }],
    }),
  ],
  controllers: [SignInController, DashboardController],
  providers: [ViewRenderer, WebCsrf],
  exports: [ViewRenderer, WebCsrf],
})
export class WebModule {}
