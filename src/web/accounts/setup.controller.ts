import { Body, Get, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import { MIN_PASSWORD_LENGTH } from '../../accounts/accounts.dto';
import { FirstRunDto } from '../../accounts/first-run.dto';
import { FirstRunService, SetupAlreadyDone } from '../../accounts/first-run.service';
import { Public, SESSION_COOKIE } from '../../auth/auth.decorators';
import { type FormErrors, readForm, refusalToErrors } from '../forms';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';
import { fieldErrorsIn } from './account-field-errors';

/** Where the word "People" (in bold) goes in the translated sentence around it. */
const PEOPLE_SLOT = '\u0000';

/**
 * The one-time setup page: while no user exists, the first coalition and its admin, with the setup
 * code from the server's log; a 404 for good once any user exists. Throttled like sign-in.
 */
@WebController()
export class SetupPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly firstRun: FirstRunService,
    private readonly views: ViewRenderer,
  ) {}

  @Get('setup')
  @Public()
  async setupPage(@Web() web: WebContext): Promise<string> {
    await this.firstRun.assertOpen();
    return this.form(web, {}, {});
  }

  @Post('setup')
  @Public()
  @UseGuards(ThrottlerGuard)
  async setUp(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await this.firstRun.assertOpen();
    const form = await readForm(FirstRunDto, body);
    if (!form.ok) return web.send(this.form(web, body, form.errors), 422);
    try {
      // The first admin's language is the one the setup page spoke.
      const { user, coalition, session } = await this.firstRun.complete(form.value, web.language);
      res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: this.config.http.secureCookies, path: '/', expires: session.expiresAt });
      web.redirect('/', this.views.t(web.language, 'setupPage.done', { name: user.name, coalition: coalition.name }));
    } catch (error) {
      // Lost the race to another setup: an answer of its own (409 page), not a form to fill again.
      if (error instanceof SetupAlreadyDone) throw error;
      web.send(this.form(web, body, refusalToErrors(error)), 422);
    }
  }

  /** The form, with what was typed kept (never the passwords nor the code). */
  private form(web: WebContext, body: Record<string, unknown>, errors: FormErrors): string {
    const text = (key: string) => (typeof body[key] === 'string' ? body[key] : '');
    const labels = this.views.labels(web.language);
    const [introBefore, introAfter] = labels.t('setupPage.intro', { people: PEOPLE_SLOT }).split(PEOPLE_SLOT);
    return this.views.render('setup', web.frame(labels.t('setupPage.title')), {
      coalition: text('coalition'), name: text('name'), email: text('email'), minLength: MIN_PASSWORD_LENGTH, errors: fieldErrorsIn(labels, errors), introBefore, introAfter,
    });
  }
}
