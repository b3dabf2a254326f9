import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { NotificationsCoreModule } from '../notifications/notifications-core.module';
import { ThemesModule } from '../themes/themes.module';
import { IntakeSettingsService } from './intake-settings.service';
import { IntakeThrottleCounts, IntakeThrottleGuard } from './intake-throttle.guard';
import { KeyRotationService } from './key-rotation.service';
import { PublicTestimoniesController } from './public-testimonies.controller';
import { TestimoniesController } from './testimonies.controller';
import { TestimoniesRepository } from './testimonies.repository';
import { TestimonyFileStore } from './testimony-file-store';
import { TestimonyFileSweep } from './testimony-file-sweep';
import { TestimonyIntakeService } from './testimony-intake.service';
import { TestimonyKeys } from './testimony-keys';
import { TestimonyQueueService } from './testimony-queue.service';
import { TestimonyTriageService } from './testimony-triage.service';
import { IntakeUploadQueue, TestimonyUploadInterceptor } from './testimony-upload.interceptor';

/**
 * People's UPR intake (issue 13): the public intake, the coordinators' queue, the intake settings
 * and key rotation. Testimony files are not read like every other upload (common/upload-options.ts),
 * whose temporary files are in clear: they stream in sealed (testimony-upload.interceptor.ts), so
 * neither the disk sees a clear byte nor memory holds a whole file.
 */
@Module({
  imports: [
    AuditModule, AccountsModule, NotificationsCoreModule, ThemesModule,
  ],
  controllers: [PublicTestimoniesController, TestimoniesController],
  providers: [
    TestimoniesRepository, TestimonyKeys, TestimonyFileStore, IntakeSettingsService, TestimonyIntakeService, TestimonyQueueService,
    KeyRotationService, IntakeThrottleCounts, IntakeThrottleGuard, IntakeUploadQueue, TestimonyUploadInterceptor, TestimonyTriageService,
    TestimonyFileSweep,
  ],
  // The intake form's pages (web/testify) count in the API's throttle and wait in its upload queue.
  // The triage's links (src/triage) find and mark testimonies through TestimonyTriageService.
  exports: [
    IntakeSettingsService, KeyRotationService, TestimonyQueueService, TestimonyIntakeService, IntakeThrottleGuard, TestimonyUploadInterceptor, TestimonyTriageService,
  ],
})
export class TestimoniesModule {}
