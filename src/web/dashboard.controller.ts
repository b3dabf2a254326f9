import { Get } from '@nestjs/common';
import { Web, type WebContext } from './web-context';
import { WebController } from './web-controller.decorator';
import { ViewRenderer } from './view-renderer';

@WebController()
export class DashboardController {
  constructor(private readonly views: ViewRenderer) {}

  @Get()
  dashboard(@Web() web: WebContext): string {
    return this.views.render('dashboard', web.frame('Dashboard', 'dashboard'), {});
  }
}
