import { Body, Get, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { PageQuery } from '../../common/pagination';
import { CreateStateAliasDto } from '../../states/states.dto';
import { StatesService } from '../../states/states.service';
import { type FormErrors, readForm, refusalToErrors } from '../forms';
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
    const form = await readForm(CreateStateAliasDto, values);
    if (!form.ok) return web.send(await this.page(web, 1, values, form.errors), 422);
    try {
      const added = await this.states.addAlias(web.me.coalitionId, form.value, web.me);
      web.redirect('/state-aliases', `"${added.alias}" now names ${added.state}. Import the file again for its rows to match.`);
    } catch (error) {
      const errors = refusalToErrors(error);
      web.send(await this.page(web, 1, values, errors), error instanceof HttpException ? error.getStatus() : 422);
    }
  }

  @Post(':id/remove')
  async remove(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.states.removeAlias(web.me.coalitionId, id, web.me);
    web.redirect('/state-aliases', 'Alias removed. Rows already imported keep their State.');
  }

  private async page(web: WebContext, pageNumber: number, values: { state?: string; alias?: string }, errors: FormErrors): Promise<string> {
    const query = Object.assign(new PageQuery(), { page: pageNumber, pageSize: PAGE_SIZE });
    const [aliases, states] = await Promise.all([this.states.listAliases(web.me.coalitionId, query), this.states.listStates()]);
    const pages = Math.max(1, Math.ceil(aliases.total / PAGE_SIZE));
    return this.views.render('state-aliases', web.frame('State aliases', 'state-aliases'), {
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
