import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { EvidenceController } from './evidence.controller';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';
import { FileStorage } from './file-storage';

@Module({
  imports: [
    RecommendationsModule,
    // One file per request, held in memory up to the configured limit; larger uploads are refused with 413.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.storage.uploadMaxBytes, files: 1, fields: 10 } }),
    }),
  ],
  controllers: [EvidenceController],
  providers: [EvidenceRepository, EvidenceService, FileStorage],
  // The web pages upload evidence too, with the same limits.
  exports: [EvidenceService, MulterModule],
})
export class EvidenceModule {}
