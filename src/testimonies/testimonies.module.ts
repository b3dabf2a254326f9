import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { NotificationsCoreModule } from '../notifications/notifications-core.module';
import { IntakeSettingsService } from './intake-settings.service';
import { IntakeThrottleGuard } from './intake-throttle.guard';
import { KeyRotationService } from './key-rotation.service';
import { PublicTestimoniesController } from './public-testimonies.controller';
import { TestimoniesController } from './testimonies.controller';
import { TestimoniesRepository } from './testimonies.repository';
import { TestimonyFileStore } from './testimony-file-store';
import { TestimonyIntakeService } from './testimony-intake.service';
import { TestimonyKeys } from './testimony-keys';
import { TestimonyQueueService } from './testimony-queue.service';

/**
 * People's UPR intake (issue 13): the public intake, the coordinators' queue, the intake settings
 * and key rotation. Testimony files are read into memory, unlike every other upload
 * (common/upload-options.ts): a testimony's file in clear must never touch the disk, so it is
 * encrypted before it is written. INTAKE_FILE_MAX_MB and five files per request bound the memory.
 */
@Module({
  imports: [
    AuditModule, AccountsModule, NotificationsCoreModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.testimony.fileMaxBytes, files: config.testimony.maxFiles, fields: 20 },
      }),
    }),
  ],
  controllers: [PublicTestimoniesController, TestimoniesController],
  providers: [
    TestimoniesRepository, TestimonyKeys, TestimonyFileStore, IntakeSettingsService, TestimonyIntakeService, TestimonyQueueService,
    KeyRotationService, IntakeThrottleGuard,
  ],
  exports: [IntakeSettingsService, KeyRotationService, TestimonyQueueService],
})
export class TestimoniesModule {}
