import { Body, Get, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { PageQuery } from '../../common/pagination';
import { themeLabel } from '../../themes/theme-directory';
import { CreateVocabularyAliasDto } from '../../themes/themes.dto';
import { ThemesService } from '../../themes/themes.service';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, type Refusal, refusalIn } from '../form-messages';
import type { AppLabels } from '../../i18n/app-labels';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

const PAGE_SIZE = 50;

/**
 * Admins keep their coalition's own names of themes and groups of persons (as
 * /api/v1/admin/theme-aliases and `npm run cli -- alias add --theme|--group`), as the State aliases
 * page does for States. The form's one list holds both: "theme:D23" or "group:Women".
 */
@WebController('theme-aliases')
@Roles('admin')
export class ThemeAliasPagesController {
  constructor(
    private readonly themes: ThemesService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  list(@Web() web: WebContext, @Query('page') page?: string): Promise<string> {
    return this.page(web, Number(page) > 0 ? Math.floor(Number(page)) : 1, {}, {});
  }

  @Post()
  async add(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const values = { target: typeof body.target === 'string' ? body.target : '', alias: typeof body.alias === 'string' ? body.alias : '' };
    const [kind, ...rest] = values.target.split(':');
    const name = rest.join(':');
    const labels = this.views.labels(web.language);
    if (kind !== 'theme' && kind !== 'group') return web.send(await this.page(web, 1, values, { target: labels.t('themeAliases.chooseTargetError') }), 422);
    const form = await readForm(CreateVocabularyAliasDto, kind === 'theme' ? { theme: name, alias: values.alias } : { group: name, alias: values.alias });
    if (!form.ok) return web.send(await this.page(web, 1, values, targetErrors(formErrorsIn(labels, form))), 422);
    try {
      const added = await this.themes.addAlias(web.me.coalitionId, form.value, web.me);
      web.redirect('/theme-aliases', labels.t('themeAliases.added', { alias: added.alias, label: added.label }));
    } catch (error) {
      const errors = targetErrors(refusalIn(labels, error, (refusal) => themeAliasRefusalInWords(labels, refusal, name)));
      web.send(await this.page(web, 1, values, errors), error instanceof HttpException ? error.getStatus() : 422);
    }
  }

  @Post(':id/remove')
  async remove(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.themes.removeAlias(web.me.coalitionId, id, web.me);
    web.redirect('/theme-aliases', this.views.t(web.language, 'themeAliases.removed'));
  }

  private async page(web: WebContext, pageNumber: number, values: { target?: string; alias?: string }, errors: FormErrors): Promise<string> {
    const query = Object.assign(new PageQuery(), { page: pageNumber, pageSize: PAGE_SIZE });
    const [aliases, directory] = await Promise.all([this.themes.listAliases(web.me.coalitionId, query), this.themes.vocabularies()]);
    const pages = Math.max(1, Math.ceil(aliases.total / PAGE_SIZE));
    const option = (value: string, label: string) => ({ value, label, selected: value === values.target });
    return this.views.render('theme-aliases', web.frame(this.views.t(web.language, 'nav.themeAliases'), 'theme-aliases'), {
      aliases: aliases.items,
      total: aliases.total,
      pageNumber: aliases.page,
      pages,
      previous: aliases.page > 1 ? `/theme-aliases?page=${aliases.page - 1}` : null,
      next: aliases.page < pages ? `/theme-aliases?page=${aliases.page + 1}` : null,
      form: { alias: values.alias ?? '' },
      themeOptions: directory.allThemes().map((t) => option(`theme:${t.code}`, themeLabel(t))),
      groupOptions: directory.allGroups().map((g) => option(`group:${g}`, g)),
      errors,
    });
  }
}

/** The form has one list for both: a problem with the theme or the group is shown next to it. */
function targetErrors(errors: FormErrors): FormErrors {
  const { theme, group, ...rest } = errors;
  const target = theme ?? group;
  return target ? { ...rest, target } : rest;
}

/**
 * ThemesService's refusals of an alias in words: a theme or group it does not know (`value`, as the
 * form sent it; with the closest), a name that already means something.
 */
function themeAliasRefusalInWords(labels: AppLabels, refusal: Refusal, value: string): string | null {
  const { field, suggestions } = refusal.detail;
  if (refusal.status === 400 && (field === 'theme' || field === 'group') && Array.isArray(suggestions)) {
    const closest = suggestions.length > 0 ? ` ${labels.t('aliases.didYouMean', { names: suggestions.join(', ') })}` : '';
    return labels.t(field === 'theme' ? 'themeAliases.notATheme' : 'themeAliases.notAGroup', { value }) + closest;
  }
  if (refusal.status === 409 && field === 'alias') return labels.t('themeAliases.alreadyNames', { alias: refusal.detail.value });
  return null;
}
