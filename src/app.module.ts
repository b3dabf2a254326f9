import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, RouterModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from '../config/app.config';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { API_PREFIX } from './app.setup';
import { AuthGuard } from './auth/auth.guard';
import { Clock } from './common/clock';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import { CoreModule } from './core.module';
import { CycleCloseModule } from './cycle-close/cycle-close.module';
import { CyclesModule } from './cycles/cycles.module';
import { databaseModule } from './database/database.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { I18nModule } from './i18n/i18n.module';
import { EvidenceModule } from './evidence/evidence.module';
import { HealthController } from './health/health.controller';
import { ImportsModule } from './imports/imports.module';
import { LineageModule } from './lineage/lineage.module';
import { NotificationsModule } from './notifications/notifications.module';
import { UnsubscribeModule } from './notifications/unsubscribe.module';
import { WebModule } from './web/web.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { ReportsModule } from './reports/reports.module';
import { StatesModule } from './states/states.module';
import { ThemesModule } from './themes/themes.module';
import { TestimoniesModule } from './testimonies/testimonies.module';
import { TriageModule } from './triage/triage.module';
import { PortsModule } from './ports.module';
import { ENTITIES } from './entities';

export interface AppModuleOptions {
  /** Tests pass a controllable clock; the service uses the system clock. */
  clock?: Clock;
}

/** The modules whose controllers make up the JSON API under /api/v1. */
const API_MODULES = [
  AccountsModule,
  AuditModule,
  CyclesModule,
  RecommendationsModule,
  EvidenceModule,
  DeadlinesModule,
  NotificationsModule,
  ImportsModule,
  LineageModule,
  ReportsModule,
  CycleCloseModule,
  StatesModule,
  ThemesModule,
  TestimoniesModule,
  TriageModule,
];

@Module({})
export class AppModule {
  static register(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, options.clock),
        databaseModule(config.database, ENTITIES),
        ScheduleModule.forRoot(),
        PortsModule,
        // The translator (global): the intake form's pages now; the signed-in pages and emails next.
        I18nModule,
        ...API_MODULES,
        // Binds what recommendations ask of evidence, which sits above them (see the module).
        // The API lives under /api/v1; the web pages, /health and the unsubscribe links at the root.
        RouterModule.register(API_MODULES.map((module) => ({ path: API_PREFIX, module }))),
        UnsubscribeModule,
        WebModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
