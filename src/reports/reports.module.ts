import { Module } from '@nestjs/common';
import { CyclesModule } from '../cycles/cycles.module';
import { StatesModule } from '../states/states.module';
import { PdfPrinter } from './pdf-printer';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Cycle reports: figures counted by the database, the list streamed; JSON, CSV, XLSX, HTML and PDF (Chromium). */
@Module({
  imports: [CyclesModule, StatesModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService, PdfPrinter],
  exports: [ReportsService],
})
export class ReportsModule {}
