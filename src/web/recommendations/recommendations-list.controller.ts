import { Body, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { CreateDeadlinesDto } from '../../deadlines/deadlines.dto';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { AddOwnersDto, ListRecommendationsQuery } from '../../recommendations/recommendations.dto';
import { RecommendationsService } from '../../recommendations/recommendations.service';
import { asList, type FormErrors, readForm } from '../forms';
import { formErrorsIn, refusalIn } from '../form-messages';
import { type BulkValues, FILTER_FIELDS, filterSearch, type ListFilters, RecommendationPages } from './recommendations-pages.service';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

/** The list of recommendations: the API's filters and search as a GET form, and the coordinators' bulk actions. */
@WebController()
export class RecommendationsListController {
  constructor(
    private readonly pages: RecommendationPages,
    private readonly recommendations: RecommendationsService,
    private readonly deadlines: DeadlinesService,
    private readonly views: ViewRenderer,
  ) {}

  @Get('recommendations')
  async list(@Web() web: WebContext, @Query() query: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const filters = readFilters(query);
    const page = typeof query.page === 'string' && query.page !== '' ? { page: query.page } : {};
    const form = await readForm(ListRecommendationsQuery, { ...filterSearch(filters), ...page });
    const labels = this.views.labels(web.language);
    const data = await this.pages.list(web.me, labels, filters, form.ok ? form.value : null, form.ok ? {} : formErrorsIn(labels, form));
    web.send(this.views.render('recommendations', web.frame(labels.t('list.title'), 'recommendations'), data), form.ok ? 200 : 400);
  }

  /** "Assign owners" or "add a deadline" to the ticked recommendations; each is one transaction in its service. */
  @Post('recommendations/bulk')
  @Roles('admin', 'coordinator')
  async bulk(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const back = new URLSearchParams(typeof body.back === 'string' ? body.back : '');
    const listUrl = back.toString() ? `/recommendations?${back}` : '/recommendations';
    const values: BulkValues = {
      ids: asList(body.ids),
      ownerIds: asList(body.ownerIds),
      kind: text(body.kind),
      title: text(body.title),
      dueDate: text(body.dueDate),
      dueTime: text(body.dueTime),
      timeZone: text(body.timeZone),
    };
    const recommendationIds = values.ids!.map(Number);
    const labels = this.views.labels(web.language);
    let errors: FormErrors;
    if (body.action === 'deadline') {
      const form = await readForm(CreateDeadlinesDto, {
        recommendationIds,
        kind: values.kind,
        dueDate: values.dueDate,
        timeZone: values.timeZone,
        ...(values.title ? { title: values.title } : {}),
        ...(values.dueTime ? { dueTime: values.dueTime } : {}),
      });
      if (form.ok) {
        try {
          const { created } = await this.deadlines.createForRecommendations(web.me, form.value);
          return web.redirect(listUrl, labels.t('list.deadlineAdded', { count: created }));
        } catch (error) {
          errors = refusalIn(labels, error);
        }
      } else errors = formErrorsIn(labels, form);
    } else {
      const form = await readForm(AddOwnersDto, { recommendationIds, ownerIds: values.ownerIds!.map(Number) });
      if (form.ok) {
        try {
          const { changed } = await this.recommendations.addOwners(web.me, form.value);
          const unchanged = recommendationIds.length - changed;
          const added = labels.t('list.ownersAdded', { count: changed });
          return web.redirect(listUrl, `${added}${unchanged > 0 ? ` ${labels.t('list.ownersUnchanged', { count: unchanged })}` : ''}.`);
        } catch (error) {
          errors = refusalIn(labels, error);
        }
      } else errors = formErrorsIn(labels, form);
    }
    // Shown again with what was ticked and typed, the refusal next to the field it is about.
    const filters = readFilters(Object.fromEntries(back));
    const pageNumber = back.get('page');
    const listed = await readForm(ListRecommendationsQuery, { ...filterSearch(filters), ...(pageNumber ? { page: pageNumber } : {}) });
    const data = await this.pages.list(web.me, labels, filters, listed.ok ? listed.value : null, errors, values);
    web.send(this.views.render('recommendations', web.frame(labels.t('list.title'), 'recommendations'), data), 422);
  }
}

function readFilters(query: Record<string, unknown>): ListFilters {
  const filters: ListFilters = {};
  for (const field of FILTER_FIELDS) {
    const value = Array.isArray(query[field]) ? (query[field] as unknown[])[0] : query[field];
    if (typeof value === 'string' && value.trim() !== '') filters[field] = value.trim();
  }
  return filters;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
