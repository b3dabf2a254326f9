import { BadGatewayException, Body, Get, HttpException, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InviteUserDto } from '../../accounts/account-links.dto';
import { AccountLinksService } from '../../accounts/account-links.service';
import { UpdateUserDto } from '../../accounts/accounts.dto';
import { ROLES } from '../../auth/role';
import { UsersService } from '../../accounts/users.service';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, refusalIn } from '../form-messages';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';
import { APP_LANGUAGES, DEFAULT_LANGUAGE, LANGUAGE_NAMES } from '../../i18n/i18n';

interface PeoplePageState {
  invite?: Record<string, unknown>;
  errors?: FormErrors;
}

/** Admins manage their coalition's people: invite, change role, deactivate and reactivate, resend invitations. */
@WebController('people')
@Roles('admin')
export class PeopleController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly users: UsersService,
    private readonly links: AccountLinksService,
  ) {}

  @Get()
  peoplePage(@Web() web: WebContext): Promise<string> {
    return this.page(web, {});
  }

  @Post('invitations')
  async invite(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const form = await readForm(InviteUserDto, body);
    if (!form.ok) return web.send(await this.page(web, { invite: body, errors: formErrorsIn(this.views.labels(web.language), form) }), 422);
    try {
      const { user } = await this.links.invite(web.me, form.value);
      web.redirect('/people', this.views.t(web.language, 'people.sent', { email: user.email }));
    } catch (error) {
      return this.refused(web, error, body);
    }
  }

  @Post(':id/role')
  async changeRole(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const form = await readForm(UpdateUserDto, { role: body.role });
    if (!form.ok) return web.send(await this.page(web, { errors: { form: Object.values(formErrorsIn(this.views.labels(web.language), form)).join(' ') } }), 422);
    try {
      const user = await this.users.update(web.me, id, { role: form.value.role });
      web.redirect('/people', this.views.t(web.language, 'people.roleChanged', { name: user.name, role: this.views.t(web.language, `roles.${user.role}`) }));
    } catch (error) {
      return this.refused(web, error);
    }
  }

  /** Deactivating signs the person out of every browser at once (UsersService.update). */
  @Post(':id/active')
  async setActive(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const active = body.active === 'true' ? true : body.active === 'false' ? false : body.active;
    const form = await readForm(UpdateUserDto, { active });
    if (!form.ok) return web.send(await this.page(web, { errors: { form: Object.values(formErrorsIn(this.views.labels(web.language), form)).join(' ') } }), 422);
    try {
      const user = await this.users.update(web.me, id, { active: form.value.active });
      web.redirect('/people', this.views.t(web.language, user.active ? 'people.activeAgain' : 'people.deactivatedDone', { name: user.name }));
    } catch (error) {
      return this.refused(web, error);
    }
  }

  @Post(':id/invitation')
  async resendInvitation(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    try {
      const { user } = await this.links.resendInvitation(web.me, id);
      web.redirect('/people', this.views.t(web.language, 'people.resent', { email: user.email }));
    } catch (error) {
      return this.refused(web, error);
    }
  }

  /** A refusal (or an invitation whose email failed, 502) shown above the list, with what was typed kept. */
  private async refused(web: WebContext, error: unknown, invite?: Record<string, unknown>): Promise<void> {
    const mailFailed = error instanceof BadGatewayException;
    const errors = mailFailed ? { form: this.mailFailed(web, error) } : refusalIn(this.views.labels(web.language), error);
    const status = error instanceof HttpException ? error.getStatus() : 500;
    web.send(await this.page(web, { invite: mailFailed ? undefined : invite, errors }), status);
  }

  /** English as the API says it (with the mail server's reason); another language without that reason, which is the server's English. */
  private mailFailed(web: WebContext, error: BadGatewayException): string {
    const answer = error.getResponse() as { message?: string; details?: { email?: string } };
    if (web.language === DEFAULT_LANGUAGE) return String(answer.message);
    return this.views.t(web.language, 'people.mailFailed', { email: answer.details?.email ?? '' });
  }

  private async page(web: WebContext, state: PeoplePageState): Promise<string> {
    const people = (await this.links.listPeople(web.me)).map((person) => ({
      ...person,
      isMe: person.id === web.me.id,
      roles: ROLES.map((role) => ({ value: role, selected: role === person.role })),
    }));
    const invite = state.invite ?? {};
    return this.views.render('people-list', web.frame(this.views.t(web.language, 'people.title'), 'people'), {
      people,
      invite: {
        ...invite,
        roles: ROLES.map((role) => ({ value: role, selected: role === (invite.role ?? 'member') })),
        // The invitation's language: the admin's own unless they choose another.
        languages: APP_LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language], selected: language === (invite.language ?? web.language) })),
      },
      errors: state.errors ?? {},
    });
  }
}
