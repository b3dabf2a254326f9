import { BadRequestException, Body, Get, HttpException, Param, Post, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { contentDisposition } from '../../common/file-names';
import { IdPipe } from '../../common/id.pipe';
import { CloseCycleDto } from '../../cycle-close/cycle-close.dto';
import { CycleCloseService } from '../../cycle-close/cycle-close.service';
import { CreateCycleDto, type CycleResponse, UpdateCycleDto } from '../../cycles/cycles.dto';
import { CyclesService } from '../../cycles/cycles.service';
import type { CycleCounts } from '../../cycles/cycles.repository';
import { ListRecommendationsQuery } from '../../recommendations/recommendations.dto';
import { RecommendationsService } from '../../recommendations/recommendations.service';
import { REPORT_FORMATS, type ReportFormat } from '../../reports/report-format';
import { ReportsService } from '../../reports/reports.service';
import { cycleFormToRequest, cycleFormValues, KEY_DATES } from './cycles-forms';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, type Refusal, refusalIn } from '../form-messages';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';
import type { AppLabels } from '../../i18n/app-labels';
import { DEFAULT_LANGUAGE } from '../../i18n/i18n';
import { MECHANISMS, PARTICIPATIONS } from '../../vocabulary/cycle.vocabulary';

/** The report's formats as the cycle page offers them (each named in the catalogue, cyclePage.formats). */
const REPORT_LINK_FORMATS = ['pdf', 'html', 'xlsx', 'csv', 'json'] as const;

/** How many of the cycle's recommendations its page lists; the recommendations page has them all. */
const DETAIL_RECOMMENDATIONS = 20;

interface OpenDeadline {
  id: number;
  kind: string;
  title: string | null;
  dueDate: string;
  recommendationId: number | null;
}

/**
 * The cycle pages: the list, a cycle with its key dates and counts, and the report in every format,
 * for admins and coordinators; create and edit, close (with the refusal of open deadlines in words
 * and a forced close) and publish the public ledger for admins only, as on the API (coordinators do
 * not see those actions, and are refused them). Every action goes through the API's own services.
 */
@WebController('cycles')
export class CyclePagesController {
  constructor(
    private readonly cycles: CyclesService,
    private readonly closes: CycleCloseService,
    private readonly recommendations: RecommendationsService,
    private readonly reports: ReportsService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  @Roles('admin', 'coordinator')
  async list(@Web() web: WebContext): Promise<string> {
    const rows = await this.cycles.listWithCounts(web.me);
    const labels = this.views.labels(web.language);
    return this.views.render('cycle-list', web.frame(labels.t('cycles.title'), 'cycles'), {
      cycles: rows.map(({ cycle, counts }) => cycleView(cycle, counts, labels)),
      canManage: web.me.role === 'admin',
    });
  }

  // Before ':id', so that "new" is not read as an id.
  @Get('new')
  @Roles('admin')
  newCycle(@Web() web: WebContext): string {
    return this.renderForm(web, 'create', cycleFormValues({}), {});
  }

  @Post()
  @Roles('admin')
  async create(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const labels = this.views.labels(web.language);
    const form = await readForm(CreateCycleDto, cycleFormToRequest(body, 'create'));
    if (!form.ok) return web.send(this.renderForm(web, 'create', cycleFormValues(body), formErrorsIn(labels, form)), 422);
    try {
      const cycle = await this.cycles.create(web.me, form.value);
      web.redirect(`/cycles/${cycle.id}`, labels.t('cycleForm.created', { cycle: labels.cycleWithSession(cycle) }));
    } catch (error) {
      web.send(this.renderForm(web, 'create', cycleFormValues(body), refusalIn(labels, error)), 422);
    }
  }

  @Get(':id')
  @Roles('admin', 'coordinator')
  async detail(@Web() web: WebContext, @Param('id', IdPipe) id: number): Promise<string> {
    return this.renderDetail(web, id, {});
  }

  @Get(':id/edit')
  @Roles('admin')
  async editCycle(@Web() web: WebContext, @Param('id', IdPipe) id: number): Promise<string> {
    const cycle = await this.cycles.get(web.me, id);
    return this.renderForm(web, 'edit', cycleFormValues(cycle), {}, cycle);
  }

  @Post(':id')
  @Roles('admin')
  async update(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const cycle = await this.cycles.get(web.me, id);
    const labels = this.views.labels(web.language);
    const form = await readForm(UpdateCycleDto, cycleFormToRequest(body, 'edit'));
    if (!form.ok) return web.send(this.renderForm(web, 'edit', cycleFormValues(body), formErrorsIn(labels, form), cycle), 422);
    try {
      const saved = await this.cycles.update(web.me, id, form.value);
      web.redirect(`/cycles/${id}`, labels.t('cycleForm.saved', { cycle: labels.cycleWithSession(saved) }));
    } catch (error) {
      web.send(this.renderForm(web, 'edit', cycleFormValues(body), refusalIn(labels, error), cycle), 422);
    }
  }

  /**
   * Closes the cycle. Refused while deadlines are open: the cycle's page is shown again with the
   * refusal in words, the open deadlines, and a "close anyway" form that sends force.
   */
  @Post(':id/close')
  @Roles('admin')
  async close(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const next = closeFormNextCycle(body);
    const form = await readForm(CloseCycleDto, {}, { force: body.force === 'true', ...(next ? { nextCycle: next } : {}) });
    if (!form.ok) return web.send(await this.renderDetail(web, id, { close: formErrorsIn(this.views.labels(web.language), form), closeValues: body }), 422);
    try {
      const closed = await this.closes.close(web.me.coalitionId, id, form.value, web.me);
      const labels = this.views.labels(web.language);
      web.redirect(`/cycles/${id}`, labels.t('cyclePage.closedDone', { count: closed.carriedOver, next: labels.cycleWithSession(closed.nextCycle) }));
    } catch (error) {
      const labels = this.views.labels(web.language);
      const errors = refusalIn(labels, error, (refusal) => closeRefusalInWords(labels, refusal));
      const openDeadlines = openDeadlinesOf(error);
      web.send(await this.renderDetail(web, id, { close: errors, closeValues: body, openDeadlines }), error instanceof HttpException ? error.getStatus() : 422);
    }
  }

  @Post(':id/publish')
  @Roles('admin')
  async publish(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.cycles.publish(web.me, id);
    web.redirect(`/cycles/${id}`, this.views.t(web.language, 'cyclePage.published', { id }));
  }

  @Post(':id/unpublish')
  @Roles('admin')
  async unpublish(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.cycles.unpublish(web.me, id);
    web.redirect(`/cycles/${id}`, this.views.t(web.language, 'cyclePage.unpublished'));
  }

  /** The report, streamed as the API streams it, always as a download. Every role may read reports (as on the API). */
  @Get(':id/report/:format')
  async report(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Param('format') format: string): Promise<StreamableFile> {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      const problem = `the report comes as ${REPORT_FORMATS.join(', ')}`;
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `format: ${problem}`, details: [{ field: 'format', problem }] });
    }
    const report = await this.reports.render(web.me.coalitionId, id, format as ReportFormat);
    return new StreamableFile(report.body, { type: report.contentType, disposition: contentDisposition(report.fileName) });
  }

  private renderForm(web: WebContext, mode: 'create' | 'edit', values: Record<string, unknown>, errors: FormErrors, cycle?: CycleResponse): string {
    const labels = this.views.labels(web.language);
    const title = mode === 'create' ? labels.t('cycleForm.newTitle') : labels.t('cycleForm.editTitle', { cycle: labels.cycleWithSession(cycle!) });
    return this.views.render('cycle-form', web.frame(title, 'cycles'), {
      title,
      action: mode === 'create' ? '/cycles' : `/cycles/${cycle!.id}`,
      cancel: mode === 'create' ? '/cycles' : `/cycles/${cycle!.id}`,
      values,
      errors,
      mechanisms: MECHANISMS.map((value) => ({ value, label: labels.t(`mechanisms.${value}`) })),
      participations: PARTICIPATIONS.map((value) => ({ value, label: labels.t(`cyclePage.participations.${value}`) })),
      didNotParticipate: labels.t('cyclePage.participations.did_not_participate'),
      keyDates: KEY_DATES.map((d) => ({ name: d.name, label: labels.t(`keyDates.${d.name}`), value: values[d.name], error: errors[d.name] })),
    });
  }

  private async renderDetail(web: WebContext, id: number, extra: { close?: FormErrors; closeValues?: Record<string, unknown>; openDeadlines?: OpenDeadline[] }): Promise<string> {
    const { cycle, counts } = await this.cycles.getWithCounts(web.me, id);
    const query = await readForm(ListRecommendationsQuery, { cycleId: String(id), pageSize: String(DETAIL_RECOMMENDATIONS) });
    const recommendations = query.ok ? await this.recommendations.list(web.me, query.value) : { items: [], total: 0 };
    // What closes of earlier cycles carried into this one: listed apart from what it received.
    const carriedQuery = await readForm(ListRecommendationsQuery, { cycleId: String(id), carried: 'true', pageSize: String(DETAIL_RECOMMENDATIONS) });
    const carried = carriedQuery.ok && counts.carried > 0 ? await this.recommendations.list(web.me, carriedQuery.value) : { items: [], total: 0 };
    const values = extra.closeValues ?? {};
    const labels = this.views.labels(web.language);
    return this.views.render('cycle-detail', web.frame(labels.cycleWithSession(cycle), 'cycles'), {
      cycle: cycleView(cycle, counts, labels),
      // Edit, import, publish and close are the admins' (the routes refuse anyone else).
      canManage: web.me.role === 'admin',
      recommendations: recommendations.items,
      recommendationTotal: recommendations.total,
      moreRecommendations: recommendations.total > recommendations.items.length,
      carried: carried.items.map((r) => ({ ...r, superseded: r.carriedInto.some((k) => k.cycleId === id && k.supersededById !== null) })),
      carriedTotal: carried.total,
      moreCarried: carried.total > carried.items.length,
      reportLinks: REPORT_LINK_FORMATS.map((format) => ({ label: labels.t(`cyclePage.formats.${format}`), href: `/cycles/${id}/report/${format}` })),
      close: {
        errors: extra.close ?? {},
        // A deadline without a title is named by its kind: in English by its code, as this refusal always did.
        openDeadlines: (extra.openDeadlines ?? []).map((d) => ({
          ...d, name: d.title ?? (web.language === DEFAULT_LANGUAGE ? d.kind : labels.t(`deadlineKindOptions.${d.kind}`)),
        })),
        nextNumber: typeof values.nextNumber === 'string' ? values.nextNumber : String(cycle.number + 1),
        nextSession: typeof values.nextSession === 'string' ? values.nextSession : '',
        nextReviewDate: typeof values.nextReviewDate === 'string' ? values.nextReviewDate : '',
      },
    });
  }
}

/** A cycle as the list and the cycle page show it; `labels` name it, its key dates and its state in the page's language. */
function cycleView(cycle: CycleResponse, counts: CycleCounts, labels: AppLabels) {
  return {
    ...cycle,
    name: labels.cycleWithSession(cycle),
    mechanismLabel: labels.t(`mechanisms.${cycle.mechanism}`),
    participationLabel: labels.t(`cyclePage.participations.${cycle.participation}`),
    participationNote: participationNoteIn(labels, cycle),
    isOpen: cycle.state === 'open',
    counts,
    keyDates: KEY_DATES.map((d) => ({ label: labels.t(`keyDates.${d.name}`), value: cycle[d.name] })).filter((d) => d.value),
  };
}

/** The next cycle of the close form; blank fields are left to the close's defaults (number + 1). */
function closeFormNextCycle(body: Record<string, unknown>): Record<string, unknown> | null {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const number = text('nextNumber');
  if (!number && !text('nextSession') && !text('nextReviewDate')) return null;
  const next: Record<string, unknown> = { number: /^\d{1,3}$/.test(number) ? Number(number) : number };
  if (text('nextSession')) next.session = text('nextSession');
  if (text('nextReviewDate')) next.reviewDate = text('nextReviewDate');
  return next;
}

function openDeadlinesOf(error: unknown): OpenDeadline[] {
  if (!(error instanceof HttpException)) return [];
  const details = (error.getResponse() as { details?: { openDeadlines?: OpenDeadline[] } }).details;
  return Array.isArray(details?.openDeadlines) ? details.openDeadlines : [];
}

/** participationNote (reports, the public ledger) in the page's language; the English texts are the same (a test holds them equal). */
function participationNoteIn(labels: AppLabels, cycle: CycleResponse): string | null {
  if (cycle.participation === 'did_not_participate') return labels.t('cyclePage.noteDidNotParticipate', { state: cycle.stateUnderReview });
  if (cycle.participation === 'postponed') return labels.t('cyclePage.notePostponed', { state: cycle.stateUnderReview });
  return null;
}

/** The close's refusals in words: open deadlines (listed under it), a next cycle that is closed. */
function closeRefusalInWords(labels: AppLabels, refusal: Refusal): string | null {
  if (Array.isArray(refusal.detail.openDeadlines)) return labels.t('closeRefusals.openDeadlines', { count: refusal.detail.openDeadlines.length });
  if (refusal.status === 409 && typeof refusal.detail.nextCycleId === 'number') return labels.t('closeRefusals.nextCycleClosed');
  return null;
}
