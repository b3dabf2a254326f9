import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CyclesModule } from '../cycles/cycles.module';
import { NotificationsCoreModule } from '../notifications/notifications-core.module';
import { StatesModule } from '../states/states.module';
import { ThemesModule } from '../themes/themes.module';
import { ChangeNotices } from './change-notices';
import { RecommendationAccess } from './recommendation-access.service';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsService } from './recommendations.service';
import { StatusService } from './status.service';
import { RecommendationsBulkWriter } from './recommendations-bulk-writer';
import { CycleResponsesOfRecommendations } from './cycle-responses-of-recommendations';

@Module({
  imports: [AccountsModule, AuditModule, CyclesModule, NotificationsCoreModule, StatesModule, ThemesModule],
  controllers: [RecommendationsController],
  providers: [RecommendationsRepository, RecommendationAccess, RecommendationsService, StatusService, RecommendationsBulkWriter, ChangeNotices, CycleResponsesOfRecommendations],
  exports: [RecommendationAccess, RecommendationsRepository, RecommendationsService, StatusService, RecommendationsBulkWriter, CycleResponsesOfRecommendations],
})
export class RecommendationsModule {}
