import { Get, Query } from '@nestjs/common';
import { Roles } from '../../auth/auth.decorators';
import { ListAuditQuery } from '../../audit/audit.dto';
import { AuditService } from '../../audit/audit.service';
import { readForm } from '../forms';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';
import { AUDIT_ENTITY_OPTIONS, auditRow } from './audit-view';

/** The coalition's audit trail for admins and coordinators: who changed what, when, before and after. */
@WebController('audit')
export class AuditPagesController {
  constructor(
    private readonly audit: AuditService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  @Roles('admin', 'coordinator')
  async list(@Web() web: WebContext, @Query() query: Record<string, unknown>): Promise<string> {
    const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
    const filters = { entity: text(query.entity), entityId: text(query.entityId), recommendationId: text(query.recommendationId), from: text(query.from), to: text(query.to), page: text(query.page) };
    const form = await readForm(ListAuditQuery, Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)));
    let page;
    let errors = form.ok ? {} : form.errors;
    try {
      page = await this.audit.list(web.me, form.ok ? form.value : new ListAuditQuery());
    } catch (error) {
      // from after to: the same 400 the API gives, shown on the form.
      errors = { to: (error as { message?: string }).message ?? 'invalid dates' };
      page = await this.audit.list(web.me, new ListAuditQuery());
    }
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const kept = Object.fromEntries(Object.entries(filters).filter(([k, v]) => v !== undefined && k !== 'page')) as Record<string, string>;
    const link = (n: number) => `/audit?${new URLSearchParams({ ...kept, page: String(n) }).toString()}`;
    return this.views.render('audit-list', web.frame('Audit trail', 'audit'), {
      errors,
      filters: kept,
      entities: AUDIT_ENTITY_OPTIONS.map((option) => ({ ...option, selected: option.value === kept.entity })),
      entries: page.items.map((entry) => auditRow(entry)),
      total: page.total,
      pageNumber: page.page,
      pages,
      previous: page.page > 1 ? link(page.page - 1) : null,
      next: page.page < pages ? link(page.page + 1) : null,
    });
  }
}
