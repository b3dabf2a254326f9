import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CyclesModule } from '../cycles/cycles.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { LineageController } from './lineage.controller';
import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';

/** Likely predecessors of recommendations in earlier cycles, by text similarity, and the decisions on them. */
@Module({
  imports: [AuditModule, CyclesModule, RecommendationsModule],
  controllers: [LineageController],
  providers: [LineageRepository, LineageService],
  // The importer calls LineageService.suggestForRecommendations after an import.
  exports: [LineageService],
})
export class LineageModule {}
