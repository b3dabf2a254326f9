import { Get, Query } from '@nestjs/common';
import { Roles } from '../../auth/auth.decorators';
import { ListAuditQuery } from '../../audit/audit.dto';
import { AuditService } from '../../audit/audit.service';
import { readForm } from '../forms';
import { formErrorsIn } from '../form-messages';
import { DEFAULT_LANGUAGE } from '../../i18n/i18n';
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
    const labels = this.views.labels(web.language);
    let page;
    let errors = form.ok ? {} : formErrorsIn(labels, form);
    try {
      page = await this.audit.list(web.me, form.ok ? form.value : new ListAuditQuery());
    } catch (error) {
      // from after to (the list's one refusal): the same 400 the API gives, shown on the form; in English in the API's words.
      const english = (error as { message?: string }).message ?? 'invalid dates';
      errors = { to: labels.language === DEFAULT_LANGUAGE ? english : labels.t('auditPage.toAfterFrom') };
      page = await this.audit.list(web.me, new ListAuditQuery());
    }
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const kept = Object.fromEntries(Object.entries(filters).filter(([k, v]) => v !== undefined && k !== 'page')) as Record<string, string>;
    const link = (n: number) => `/audit?${new URLSearchParams({ ...kept, page: String(n) }).toString()}`;
    return this.views.render('audit-list', web.frame(labels.t('auditPage.title'), 'audit'), {
      errors,
      filters: kept,
      entities: AUDIT_ENTITY_OPTIONS.map((option) => ({ value: option.value, label: labels.t(`auditEntries.entities.${option.value}`), selected: option.value === kept.entity })),
      entries: page.items.map((entry) => auditRow(entry, labels)),
      total: page.total,
      pageNumber: page.page,
      pages,
      previous: page.page > 1 ? link(page.page - 1) : null,
      next: page.page < pages ? link(page.page + 1) : null,
    });
  }
}
