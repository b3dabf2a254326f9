import { Module } from '@nestjs/common';
import { CyclesModule } from '../cycles/cycles.module';
import { NotificationsCoreModule } from '../notifications/notifications-core.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { DeadlinesController } from './deadlines.controller';
import { DeadlinesRepository } from './deadlines.repository';
import { DeadlinesService } from './deadlines.service';

@Module({
  imports: [CyclesModule, RecommendationsModule, NotificationsCoreModule],
  controllers: [DeadlinesController],
  providers: [DeadlinesRepository, DeadlinesService],
  // The repository for the cycle close, which marks a closing cycle's deadlines done in its transaction.
  exports: [DeadlinesService, DeadlinesRepository],
})
export class DeadlinesModule {}
