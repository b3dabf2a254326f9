import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { excerpt } from '../../common/text';
import { ListRecommendationsQuery } from '../../recommendations/recommendations.dto';
import { RecommendationsService } from '../../recommendations/recommendations.service';
import { ExcerptDto, TestimonyQueueQuery, TriageTestimonyDto } from '../../testimonies/testimonies.dto';
import { TestimonyQueueService } from '../../testimonies/testimony-queue.service';
import { TestimonyTriageService } from '../../testimonies/testimony-triage.service';
import { TestimonyLinksService } from '../../triage/testimony-links.service';
import { LinkTestimonyDto } from '../../triage/triage.dto';
import { QUEUE_STATES, TESTIMONY_STATES } from '../../vocabulary/testimony.vocabulary';
import { type FormErrors, readForm } from '../forms';
import { type Refusal, refusalIn } from '../form-messages';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';
import type { AppLabels } from '../../i18n/app-labels';
import { ThemesService } from '../../themes/themes.service';
import { themeLabel } from '../../themes/theme-directory';


/** One theme or group a line: names may hold commas ("lesbian, gay, bisexual…"). */
const lines = (value: unknown): string[] => (typeof value === 'string' ? value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '') : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

interface DetailExtras {
  errors?: FormErrors;
  /** What was typed, shown again beside the errors. */
  typed?: { state?: string; themes?: string; affectedPersons?: string; recommendationIds?: string; excerpt?: string };
  search?: string;
}

/**
 * The coordinators' queue in the browser: where the "new testimony" email links to, and the
 * triage (issue 13): state and tags, links to recommendations, the anonymised excerpt. Opening a
 * testimony is a read, recorded in the audit trail like the API's; each form calls the same
 * service as the API and is refused the same way (shown beside the form).
 */
@WebController('testimonies')
export class TestimonyPagesController {
  constructor(
    private readonly queue: TestimonyQueueService,
    private readonly triage: TestimonyTriageService,
    private readonly links: TestimonyLinksService,
    private readonly recommendations: RecommendationsService,
    private readonly views: ViewRenderer,
    private readonly themes: ThemesService,
  ) {}

  @Get()
  @Roles('admin', 'coordinator')
  async list(@Web() web: WebContext, @Query() query: Record<string, unknown>): Promise<string> {
    const given = (name: string) => (typeof query[name] === 'string' && (query[name] as string).trim() ? (query[name] as string).trim() : undefined);
    const [state, theme, group] = [given('state'), given('theme'), given('group')];
    const form = await readForm(TestimonyQueueQuery, { ...(state ? { state } : {}), ...(theme ? { theme } : {}), ...(group ? { group } : {}), ...(query.page ? { page: query.page } : {}) });
    const page = await this.queue.list(web.me, form.ok ? form.value : new TestimonyQueueQuery());
    const labels = this.views.labels(web.language);
    return this.views.render('testimony-list', web.frame(labels.t('testimonyPages.title'), 'testimonies'), {
      errors: form.ok ? {} : form.errors,
      states: TESTIMONY_STATES.map((value) => ({ value, selected: value === state })),
      filters: { theme: theme ?? '', group: group ?? '' },
      items: page.items.map((item) => ({ ...item, consentLabel: consentLabel(labels, item.consent) })),
      total: page.total,
    });
  }

  @Get(':id')
  @Roles('admin', 'coordinator')
  async read(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Query('q') q?: string): Promise<string> {
    return this.renderDetail(web, id, { search: typeof q === 'string' ? q.trim().slice(0, 200) : undefined });
  }

  @Post(':id/triage')
  @Roles('admin', 'coordinator')
  async changeTriage(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const typed = { state: text(body.state), themes: text(body.themes), affectedPersons: text(body.affectedPersons) };
    const form = await readForm(TriageTestimonyDto, { state: text(body.state) }, { themes: lines(body.themes), affectedPersons: lines(body.affectedPersons) });
    if (!form.ok) return web.send(await this.renderDetail(web, id, { errors: form.errors, typed }), 422);
    try {
      const saved = await this.triage.triage(web.me, id, form.value);
      web.redirect(`/testimonies/${id}`, this.views.t(web.language, 'testimonyPages.triaged', { id, state: this.views.t(web.language, `testimonyPages.states.${saved.state}`) }));
    } catch (error) {
      web.send(await this.renderDetail(web, id, { errors: this.refused(web, error), typed }), 422);
    }
  }

  @Post(':id/links')
  @Roles('admin', 'coordinator')
  async link(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    // Ids typed ("12, 15") and ids ticked among the search results.
    const typedIds = text(body.recommendationIds);
    const ticked = Array.isArray(body.pick) ? body.pick.map(String) : typeof body.pick === 'string' ? [body.pick] : [];
    const ids = [...typedIds.split(/[\s,;]+/), ...ticked].filter((value) => value !== '');
    const form = await readForm(LinkTestimonyDto, {}, { recommendationIds: ids.map((value) => (/^\d{1,10}$/.test(value) ? Number(value) : value)) });
    if (!form.ok) return web.send(await this.renderDetail(web, id, { errors: form.errors, typed: { recommendationIds: typedIds } }), 422);
    try {
      const linked = await this.links.link(web.me, id, form.value);
      web.redirect(`/testimonies/${id}#links`, this.views.t(web.language, 'testimonyPages.linked', { id, count: linked.links.length }));
    } catch (error) {
      web.send(await this.renderDetail(web, id, { errors: renamed(this.refused(web, error), 'recommendationIds'), typed: { recommendationIds: typedIds } }), 422);
    }
  }

  @Post(':id/links/:recommendationId/remove')
  @Roles('admin', 'coordinator')
  async unlink(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Param('recommendationId', IdPipe) recommendationId: number, @Res() _res: Response): Promise<void> {
    await this.links.unlink(web.me, id, recommendationId);
    web.redirect(`/testimonies/${id}#links`, this.views.t(web.language, 'testimonyPages.unlinked', { id: recommendationId }));
  }

  @Post(':id/excerpt')
  @Roles('admin', 'coordinator')
  async writeExcerpt(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const typed = { excerpt: text(body.text) };
    const form = await readForm(ExcerptDto, { text: text(body.text) });
    if (!form.ok) return web.send(await this.renderDetail(web, id, { errors: renamed(form.errors, 'excerpt'), typed }), 422);
    try {
      await this.triage.writeExcerpt(web.me, id, form.value);
      web.redirect(`/testimonies/${id}#excerpt`, this.views.t(web.language, 'testimonyPages.excerptSaved'));
    } catch (error) {
      web.send(await this.renderDetail(web, id, { errors: renamed(this.refused(web, error), 'excerpt'), typed }), 422);
    }
  }

  @Post(':id/excerpt/remove')
  @Roles('admin', 'coordinator')
  async removeExcerpt(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.triage.removeExcerpt(web.me, id);
    web.redirect(`/testimonies/${id}#excerpt`, this.views.t(web.language, 'testimonyPages.excerptRemoved'));
  }

  /** A refusal in the page's language (English exactly as the API words it). */
  private refused(web: WebContext, error: unknown): FormErrors {
    const labels = this.views.labels(web.language);
    return refusalIn(labels, error, (refusal) => testimonyRefusalInWords(labels, refusal));
  }

  private async renderDetail(web: WebContext, id: number, extras: DetailExtras): Promise<string> {
    const testimony = await this.queue.read(web.me, id);
    const withdrawn = testimony.state === 'withdrawn';
    const links = withdrawn ? null : await this.links.list(web.me, id);
    const found = extras.search
      ? await readForm(ListRecommendationsQuery, { q: extras.search, pageSize: '10' }).then((form) => (form.ok ? this.recommendations.list(web.me, form.value) : null))
      : null;
    const errors = extras.errors ?? {};
    const tagged = testimony.tags.themes.length > 0 || testimony.tags.affectedPersons.length > 0;
    const labels = this.views.labels(web.language);
    // Themes are stored as UHRI codes: the page names them from the canonical list ("D23 Death
    // penalty"); groups are stored by their canonical names already. A code the list lacks shows as it is.
    const vocabularies = await this.themes.vocabularies();
    const themeNames = (codes: string[]) => codes.map((code) => {
      const entry = vocabularies.theme(code);
      return entry ? themeLabel(entry) : code;
    });
    return this.views.render('testimony-detail', web.frame(labels.t('testimonyPages.testimony', { id }), 'testimonies'), {
      testimony: { ...testimony, consentLabel: consentLabel(labels, testimony.consent) },
      tagNames: { themes: themeNames(testimony.tags.themes), affectedPersons: testimony.tags.affectedPersons },
      chosenNames: { themes: themeNames(testimony.themes), affectedPersons: testimony.affectedPersons },
      triageable: !withdrawn,
      quotable: testimony.consent === 'anonymised' || testimony.consent === 'public',
      states: QUEUE_STATES.map((value) => ({ value, selected: value === (extras.typed?.state ?? testimony.state) })),
      form: {
        // Until a coordinator tags it, the tags offered are what the person chose on the form.
        themes: extras.typed?.themes ?? (tagged ? testimony.tags.themes : testimony.themes).join('\n'),
        affectedPersons: extras.typed?.affectedPersons ?? (tagged ? testimony.tags.affectedPersons : testimony.affectedPersons).join('\n'),
        recommendationIds: extras.typed?.recommendationIds ?? '',
        excerpt: extras.typed?.excerpt ?? testimony.excerpt ?? '',
      },
      links: links?.links ?? [],
      search: extras.search ?? '',
      found: found?.items.map((r) => ({ id: r.id, paragraph: r.paragraph, text: excerpt(r.text, 160), linked: links?.links.some((l) => l.recommendationId === r.id) ?? false })) ?? null,
      errors,
    });
  }
}

function consentLabel(labels: AppLabels, consent: string | null): string {
  return consent ? labels.t(`testimonyPages.consents.${consent}`) : '—';
}

/** The service names the API's field; the page shows the message beside its own form. */
function renamed(errors: FormErrors, field: string): FormErrors {
  const message = errors.form ?? Object.values(errors)[0];
  return message ? { [field]: message } : {};
}

/** The refusals of triage, links and excerpts, in words; null for those every page words alike (404, a closed cycle). */
function testimonyRefusalInWords(labels: AppLabels, refusal: Refusal): string | null {
  if (refusal.status === 409 && refusal.detail.state === 'withdrawn') return labels.t('testimonyPages.refusals.withdrawn');
  if (refusal.status === 409 && refusal.detail.consent !== undefined) return labels.t('testimonyPages.refusals.internalOnly');
  const unknown = refusal.problems.filter((p) => (p.field === 'themes' || p.field === 'affectedPersons') && typeof p.value === 'string');
  if (refusal.status === 400 && unknown.length > 0) {
    return unknown.map((p) => {
      const suggestions = Array.isArray(p.suggestions) ? p.suggestions : [];
      const closest = suggestions.length > 0 ? ` ${labels.t('aliases.didYouMean', { names: suggestions.join(', ') })}` : '';
      return labels.t(p.field === 'themes' ? 'themeAliases.notATheme' : 'themeAliases.notAGroup', { value: p.value }) + closest;
    }).join(' ');
  }
  return null;
}
