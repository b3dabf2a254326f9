import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { uploadOptions } from '../common/upload-options';
import { AuditModule } from '../audit/audit.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { CitableEvidence } from './citable-evidence';
import { EvidenceChanges } from './evidence-changes';
import { EvidenceArrivalsOfEvidence } from './evidence-arrivals';
import { EvidenceController } from './evidence.controller';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';
import { FileStorage } from './file-storage';
import { TestimonyEvidence } from './testimony-evidence';

@Module({
  imports: [
    AuditModule,
    RecommendationsModule,
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => uploadOptions(config.storage) }),
  ],
  controllers: [EvidenceController],
  providers: [EvidenceRepository, EvidenceService, EvidenceChanges, FileStorage, CitableEvidence, EvidenceArrivalsOfEvidence, TestimonyEvidence],
  // The web pages upload evidence too, with the same limits. CitableEvidence answers status changes
  // (recommendations' EVIDENCE_CITATIONS) and EvidenceArrivalsOfEvidence the dispatcher
  // (notifications' EVIDENCE_ARRIVALS), both bound where the application is put together (src/ports.module.ts).
  // TestimonyEvidence: the triage's links of a testimony (src/triage).
  exports: [EvidenceService, EvidenceChanges, MulterModule, CitableEvidence, EvidenceArrivalsOfEvidence, TestimonyEvidence],
})
export class EvidenceModule {}
