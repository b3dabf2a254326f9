import { Get, Param, Query } from '@nestjs/common';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { TestimonyQueueQuery } from '../../testimonies/testimonies.dto';
import { TestimonyQueueService } from '../../testimonies/testimony-queue.service';
import { TESTIMONY_STATES } from '../../vocabulary/testimony.vocabulary';
import { readForm } from '../forms';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

const CONSENT_LABELS: Record<string, string> = {
  internal: 'Inside the coalition only', anonymised: 'May be quoted anonymised', public: 'May be published with the name',
};

/**
 * The coordinators' queue in the browser: where the "new testimony" email links to. Read-only for
 * now (states change through the API; triage comes with issue 13's next part). Opening a testimony
 * is a read, recorded in the audit trail like the API's.
 */
@WebController('testimonies')
export class TestimonyPagesController {
  constructor(
    private readonly queue: TestimonyQueueService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  @Roles('admin', 'coordinator')
  async list(@Web() web: WebContext, @Query() query: Record<string, unknown>): Promise<string> {
    const state = typeof query.state === 'string' && query.state ? query.state : undefined;
    const form = await readForm(TestimonyQueueQuery, { ...(state ? { state } : {}), ...(query.page ? { page: query.page } : {}) });
    const page = await this.queue.list(web.me, form.ok ? form.value : new TestimonyQueueQuery());
    return this.views.render('testimony-list', web.frame('Testimonies', 'testimonies'), {
      errors: form.ok ? {} : form.errors,
      states: TESTIMONY_STATES.map((value) => ({ value, selected: value === state })),
      items: page.items.map((item) => ({ ...item, consentLabel: item.consent ? CONSENT_LABELS[item.consent] : '—' })),
      total: page.total,
    });
  }

  @Get(':id')
  @Roles('admin', 'coordinator')
  async read(@Web() web: WebContext, @Param('id', IdPipe) id: number): Promise<string> {
    const testimony = await this.queue.read(web.me, id);
    return this.views.render('testimony-detail', web.frame(`Testimony ${id}`, 'testimonies'), {
      testimony: { ...testimony, consentLabel: testimony.consent ? CONSENT_LABELS[testimony.consent] : '—' },
    });
  }
}
