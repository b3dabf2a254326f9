import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CyclesModule } from '../cycles/cycles.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { ReportsModule } from '../reports/reports.module';
import { CloseReportWriter } from './close-report-writer';
import { CycleCloseController } from './cycle-close.controller';
import { CycleCloseService } from './cycle-close.service';

/** Closing a cycle: freeze it, carry what is unfinished into the next cycle, write the close report. */
@Module({
  imports: [AuditModule, CyclesModule, DeadlinesModule, RecommendationsModule, ReportsModule],
  controllers: [CycleCloseController],
  providers: [CycleCloseService, CloseReportWriter],
  exports: [CycleCloseService],
})
export class CycleCloseModule {}
