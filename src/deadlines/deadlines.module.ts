import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CyclesModule } from '../cycles/cycles.module';
import { NotificationsCoreModule } from '../notifications/notifications-core.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { DeadlineNotices } from './deadline-notices';
import { DeadlineStatesOfDeadlines } from './deadline-states';
import { DeadlinesController } from './deadlines.controller';
import { DeadlinesRepository } from './deadlines.repository';
import { DeadlinesService } from './deadlines.service';

@Module({
  imports: [AccountsModule, AuditModule, CyclesModule, RecommendationsModule, NotificationsCoreModule],
  controllers: [DeadlinesController],
  providers: [DeadlinesRepository, DeadlinesService, DeadlineNotices, DeadlineStatesOfDeadlines],
  // The repository and the notices for the cycle close, which marks a closing cycle's deadlines done
  // in its transaction; notifications' DEADLINE_STATES, wired at the composition root (src/ports.module.ts).
  exports: [DeadlinesService, DeadlinesRepository, DeadlineNotices, DeadlineStatesOfDeadlines],
})
export class DeadlinesModule {}
