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
  exports: [DeadlinesService],
})
export class DeadlinesModule {}
