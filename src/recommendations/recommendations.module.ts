import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CyclesModule } from '../cycles/cycles.module';
import { NotificationsCoreModule } from '../notifications/notifications-core.module';
import { ChangeNotices } from './change-notices';
import { RecommendationAccess } from './recommendation-access.service';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsService } from './recommendations.service';
import { StatusService } from './status.service';
import { RecommendationsBulkWriter } from './recommendations-bulk-writer';

@Module({
  imports: [AccountsModule, AuditModule, CyclesModule, NotificationsCoreModule],
  controllers: [RecommendationsController],
  providers: [RecommendationsRepository, RecommendationAccess, RecommendationsService, StatusService, RecommendationsBulkWriter, ChangeNotices],
  exports: [RecommendationAccess, RecommendationsRepository, RecommendationsService, StatusService, RecommendationsBulkWriter],
})
export class RecommendationsModule {}
