import { Module } from '@nestjs/common';
import { EvidenceModule } from '../evidence/evidence.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { TestimoniesModule } from '../testimonies/testimonies.module';
import { TestimonyLinksService } from './testimony-links.service';
import { TriageController } from './triage.controller';

/**
 * Testimony triage across modules (issue 13): linking a testimony to recommendations as evidence.
 * It sits above testimonies and evidence, which are one layer and do not import each other.
 * TestimonyLinksService also answers testimonies' TESTIMONY_LINKS (bound in src/ports.module.ts).
 */
@Module({
  imports: [EvidenceModule, RecommendationsModule, TestimoniesModule],
  controllers: [TriageController],
  providers: [TestimonyLinksService],
  exports: [TestimonyLinksService],
})
export class TriageModule {}
