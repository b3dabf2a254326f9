import { Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { LISTED_STATES, ListOutboxQuery } from '../../notifications/notifications.dto';
import { OutboxAdminService } from '../../notifications/outbox-admin.service';
import { readForm } from '../forms';
import { formErrorsIn } from '../form-messages';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

/**
 * The admins' outbox: emails still to send, failed and suppressed, with a retry for the failed
 * and suppressed ones. Only the envelope is shown (recipient, state, attempts, last error): the
 * body of an email is never read here.
 */
@WebController('outbox')
export class OutboxPagesController {
  constructor(
    private readonly outbox: OutboxAdminService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  @Roles('admin')
  async list(@Web() web: WebContext, @Query() query: Record<string, unknown>): Promise<string> {
    const filters = { state: typeof query.state === 'string' && query.state ? query.state : undefined, page: query.page, pageSize: query.pageSize };
    const form = await readForm(ListOutboxQuery, Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')));
    const page = await this.outbox.list(web.me, form.ok ? form.value : Object.assign(new ListOutboxQuery(), {}));
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const link = (n: number) => `/outbox?${new URLSearchParams({ ...(filters.state && form.ok ? { state: filters.state } : {}), page: String(n) }).toString()}`;
    const t = (key: string) => this.views.t(web.language, key);
    // An email's state named in the page's language; an unknown one as it is.
    const stateLabel = (state: string) => ((LISTED_STATES as readonly string[]).includes(state) ? t(`outbox.states.${state}`) : state);
    return this.views.render('outbox-list', web.frame(t('outbox.title'), 'outbox'), {
      errors: form.ok ? {} : formErrorsIn(this.views.labels(web.language), form),
      state: form.ok ? (form.value.state ?? '') : '',
      states: LISTED_STATES.map((value) => ({ value, label: stateLabel(value), selected: form.ok && form.value.state === value })),
      emails: page.items.map((email) => ({ ...email, stateLabel: stateLabel(email.state), retryable: email.state === 'failed' || email.state === 'suppressed' })),
      total: page.total,
      pageNumber: page.page,
      pages,
      previous: page.page > 1 ? link(page.page - 1) : null,
      next: page.page < pages ? link(page.page + 1) : null,
    });
  }

  @Post(':id/retry')
  @Roles('admin')
  async retry(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    const email = await this.outbox.retry(web.me, id);
    web.redirect('/outbox', this.views.t(web.language, 'outbox.queued', { email: email.recipientEmail }));
  }
}
