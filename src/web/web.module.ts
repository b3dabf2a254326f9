import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { AccountsModule } from '../accounts/accounts.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { LineageModule } from '../lineage/lineage.module';
import { CycleCloseModule } from '../cycle-close/cycle-close.module';
import { CyclesModule } from '../cycles/cycles.module';
import { AuditModule } from '../audit/audit.module';
import { ImportsModule } from '../imports/imports.module';
import { LedgerModule } from '../ledger/ledger.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { ReportsModule } from '../reports/reports.module';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { TriageModule } from '../triage/triage.module';
import { CycleImportPagesController } from './cycles/cycles-import.controller';
import { CyclePagesController } from './cycles/cycles-pages.controller';
import { LedgerPagesController } from './ledger/ledger.controller';
import { OutboxPagesController } from './outbox/outbox.controller';
import { AuditPagesController } from './audit/audit-pages.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { AccountLinkPagesController } from './accounts/account-links.controller';
import { CalendarFeedController } from './calendar/calendar-feed.controller';
import { CalendarFeedService } from './calendar/calendar-feed.service';
import { DashboardService } from './dashboard/dashboard.service';
import { PeopleController } from './accounts/people.controller';
import { SettingsController } from './accounts/settings.controller';
import { SignInController } from './accounts/sign-in.controller';
import { SetupPagesController } from './accounts/setup.controller';
import { RecommendationsDetailController } from './recommendations/recommendations-detail.controller';
import { RecommendationsListController } from './recommendations/recommendations-list.controller';
import { RecommendationPages } from './recommendations/recommendations-pages.service';
import { EvidencePagesController } from './recommendations/evidence-pages.controller';
import { StateAliasPagesController } from './states/state-alias-pages.controller';
import { ThemesModule } from '../themes/themes.module';
import { ThemeAliasPagesController } from './themes/theme-alias-pages.controller';
import { StatesModule } from '../states/states.module';
import { IntakeSettingsPagesController } from './testimonies/intake-settings.controller';
import { TestimonyPagesController } from './testimonies/testimony-pages.controller';
import { TestifyPagesController } from './testify/testify-pages.controller';
import { TestifyPages } from './testify/testify-pages.service';
import { ViewRenderer } from './view-renderer';
import { WebCsrf } from './web-csrf';

/** The server-rendered pages for coordinators, members and admins, served by the same process as the API. */
@Module({
  imports: [
    AccountsModule, AuditModule, // the audit trail page, and the recommendation page's changes
    CyclesModule, ImportsModule, CycleCloseModule, ReportsModule, NotificationsModule, RecommendationsModule, LedgerModule, // cycles, ledger and outbox pages
    EvidenceModule, DeadlinesModule, LineageModule, // recommendation pages (with CyclesModule and RecommendationsModule)
    StatesModule, ThemesModule, // the State aliases page, the theme and group aliases page
    TestimoniesModule, TriageModule, // the admins' intake settings page, the coordinators' queue and triage, the public intake form /testify
    // Counts sign-in attempts per address in this instance's memory (see docs/operations.md).
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.http.loginAttemptsPerMinute }],
    }),
  ],
  controllers: [SignInController, SetupPagesController, DashboardController, CycleImportPagesController /* before CyclePagesController: /cycles/import is not an id */, CyclePagesController, LedgerPagesController, OutboxPagesController, AuditPagesController, RecommendationsListController, RecommendationsDetailController, EvidencePagesController, StateAliasPagesController, ThemeAliasPagesController, AccountLinkPagesController, PeopleController, IntakeSettingsPagesController /* before SettingsController's routes */, SettingsController, TestimonyPagesController, TestifyPagesController, CalendarFeedController],
  providers: [ViewRenderer, WebCsrf, RecommendationPages, DashboardService, CalendarFeedService, TestifyPages],
  exports: [ViewRenderer, WebCsrf],
})
export class WebModule {}
