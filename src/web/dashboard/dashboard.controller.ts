import { Get, Query } from '@nestjs/common';
import { DashboardService } from './dashboard.service';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

@WebController()
export class DashboardController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly dashboard: DashboardService,
  ) {}

  /** `?cycle=<id>` picks the cycle of the status chart; anything else falls back to the newest open cycle. */
  @Get()
  async dashboardPage(@Web() web: WebContext, @Query('cycle') cycle: string | undefined): Promise<string> {
    const cycleId = typeof cycle === 'string' && /^\d{1,9}$/.test(cycle) ? Number(cycle) : undefined;
    const labels = this.views.labels(web.language);
    return this.views.render('dashboard', web.frame(labels.t('dashboard.title'), 'dashboard'), await this.dashboard.forUser(web.me, labels, cycleId));
  }
}
