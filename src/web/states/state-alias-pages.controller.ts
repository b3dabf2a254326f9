import { Body, Get, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { PageQuery } from '../../common/pagination';
import { CreateStateAliasDto } from '../../states/states.dto';
import { StatesService } from '../../states/states.service';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, type Refusal, refusalIn } from '../form-messages';
import type { AppLabels } from '../../i18n/app-labels';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

const PAGE_SIZE = 50;

/**
 * Admins keep their coalition's own spellings of States (as /api/v1/admin/state-aliases and
 * `npm run cli -- alias`): a page of them, a form to add one (the State picked from the canonical
 * list), a button to remove one. Refusals (unknown State, a spelling that already names a State)
 * come from StatesService and are shown next to the field.
 */
@WebController('state-aliases')
@Roles('admin')
export class StateAliasPagesController {
  constructor(
    private readonly states: StatesService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  list(@Web() web: WebContext, @Query('page') page?: string): Promise<string> {
    return this.page(web, Number(page) > 0 ? Math.floor(Number(page)) : 1, {}, {});
  }

  @Post()
  async add(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const values = { state: typeof body.state === 'string' ? body.state : '', alias: typeof body.alias === 'string' ? body.alias : '' };
    const labels = this.views.labels(web.language);
    const form = await readForm(CreateStateAliasDto, values);
    if (!form.ok) return web.send(await this.page(web, 1, values, formErrorsIn(labels, form)), 422);
    try {
      const added = await this.states.addAlias(web.me.coalitionId, form.value, web.me);
      web.redirect('/state-aliases', labels.t('stateAliases.added', { alias: added.alias, state: added.state }));
    } catch (error) {
      const errors = refusalIn(labels, error, (refusal) => stateAliasRefusalInWords(labels, refusal));
      web.send(await this.page(web, 1, values, errors), error instanceof HttpException ? error.getStatus() : 422);
    }
  }

  @Post(':id/remove')
  async remove(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.states.removeAlias(web.me.coalitionId, id, web.me);
    web.redirect('/state-aliases', this.views.t(web.language, 'stateAliases.removed'));
  }

  private async page(web: WebContext, pageNumber: number, values: { state?: string; alias?: string }, errors: FormErrors): Promise<string> {
    const query = Object.assign(new PageQuery(), { page: pageNumber, pageSize: PAGE_SIZE });
    const [aliases, states] = await Promise.all([this.states.listAliases(web.me.coalitionId, query), this.states.listStates()]);
    const pages = Math.max(1, Math.ceil(aliases.total / PAGE_SIZE));
    return this.views.render('state-aliases', web.frame(this.views.t(web.language, 'nav.stateAliases'), 'state-aliases'), {
      aliases: aliases.items,
      total: aliases.total,
      pageNumber: aliases.page,
      pages,
      previous: aliases.page > 1 ? `/state-aliases?page=${aliases.page - 1}` : null,
      next: aliases.page < pages ? `/state-aliases?page=${aliases.page + 1}` : null,
      form: { alias: values.alias ?? '' },
      stateOptions: states.map((s) => ({ value: s.code, label: s.name, selected: s.code === values.state })),
      errors,
    });
  }
}

/** StatesService's refusals of an alias in words: a State it does not know (with the closest), a spelling that already names one. */
function stateAliasRefusalInWords(labels: AppLabels, refusal: Refusal): string | null {
  const { field, value, suggestions, state, stateCode } = refusal.detail;
  if (refusal.status === 400 && field === 'state') {
    const closest = Array.isArray(suggestions) && suggestions.length > 0 ? ` ${labels.t('aliases.didYouMean', { names: suggestions.join(', ') })}` : '';
    return labels.t('stateAliases.notAState', { value }) + closest;
  }
  if (refusal.status === 409 && field === 'alias') return labels.t('stateAliases.alreadyNames', { alias: value, state, code: stateCode });
  return null;
}
