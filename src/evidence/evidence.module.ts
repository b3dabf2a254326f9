import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { uploadOptions } from '../common/upload-options';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { EvidenceArrivalsOfEvidence } from './evidence-arrivals';
import { EvidenceController } from './evidence.controller';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';
import { FileStorage } from './file-storage';

@Module({
  imports: [
    RecommendationsModule,
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => uploadOptions(config.storage) }),
  ],
  controllers: [EvidenceController],
  providers: [EvidenceRepository, EvidenceService, FileStorage, EvidenceArrivalsOfEvidence],
  // The web pages upload evidence too, with the same limits; notifications' EVIDENCE_ARRIVALS is wired
  // at the composition root (src/ports.module.ts).
  exports: [EvidenceService, MulterModule, EvidenceArrivalsOfEvidence],
})
export class EvidenceModule {}
