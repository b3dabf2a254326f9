import { Body, Get, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import type { AccountLinkPurpose } from '../../accounts/account-link.entity';
import { ForgotPasswordDto, SetPasswordDto } from '../../accounts/account-links.dto';
import { AccountLinksService, LinkRefused, type LinkProblem } from '../../accounts/account-links.service';
import { MIN_PASSWORD_LENGTH } from '../../accounts/accounts.dto';
import { Public, SESSION_COOKIE } from '../../auth/auth.decorators';
import { readForm, refusalToErrors } from '../forms';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';
import { DEFAULT_LANGUAGE, isAppLanguage } from '../../i18n/i18n';
import type { User } from '../../accounts/user.entity';
import { fieldErrorsIn } from './account-field-errors';

/** Where the address goes in the translated sentence around it. */
const EMAIL_SLOT = '\u0000';

/** Each page's texts are in the catalogue (accountPages): the keys of its title, of what to do instead, of its refusal's title. */
const PAGES: Record<AccountLinkPurpose, { title: string; path: string; view: string; again: string; againUrl: string; refused: string }> = {
  invitation: { title: 'invitationTitle', path: 'invitations', view: 'invitation-accept', again: 'invitationAgain', againUrl: '/login', refused: 'invitationRefusedTitle' },
  password_reset: { title: 'resetTitle', path: 'password/reset', view: 'password-reset', again: 'resetAgain', againUrl: '/password/forgot', refused: 'resetRefusedTitle' },
};

/** Each problem's status; its message is accountPages.problems.<problem>. */
const PROBLEM_STATUS: Record<LinkProblem, number> = { unknown: 404, expired: 410, used: 410, taken: 409 };

/**
 * The pages behind the links of invitation and password-reset emails, and "Forgot your password?".
 * Public: the person is not signed in yet. Setting the password signs this browser in.
 */
@WebController()
export class AccountLinkPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: AccountLinksService,
    private readonly views: ViewRenderer,
  ) {}

  @Get('invitations/:token')
  @Public()
  invitationPage(@Web() web: WebContext, @Param('token') token: string, @Res() _res: Response): Promise<void> {
    return this.linkPage(web, 'invitation', token);
  }

  @Post('invitations/:token')
  @Public()
  @UseGuards(ThrottlerGuard)
  acceptInvitation(@Web() web: WebContext, @Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    return this.usePasswordLink(web, res, 'invitation', token, body);
  }

  @Get('password/forgot')
  @Public()
  forgotPage(@Web() web: WebContext): string {
    return this.views.render('password-forgot', web.frame(this.views.t(web.language, 'accountPages.forgotTitle')), { email: '', errors: {} });
  }

  /**
   * Always the same answer, in the same time, whether or not the address has an account: the
   * service only schedules the lookup and the link for after this answer. Throttled like sign-in.
   */
  @Post('password/forgot')
  @Public()
  @UseGuards(ThrottlerGuard)
  async requestReset(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const form = await readForm(ForgotPasswordDto, body);
    const t = (key: string, values?: Record<string, unknown>) => this.views.t(web.language, `accountPages.${key}`, values);
    if (!form.ok) return web.send(this.views.render('password-forgot', web.frame(t('forgotTitle')), { email: body.email, errors: fieldErrorsIn(this.views.labels(web.language), form.errors) }), 422);
    this.links.requestPasswordReset(form.value.email);
    // The address is shown in bold inside the sentence: the sentence around it, in the page's language.
    const [sentBefore, sentAfter] = t('sentIntro', { email: EMAIL_SLOT }).split(EMAIL_SLOT);
    web.send(this.views.render('password-forgot-sent', web.frame(t('sentTitle'), undefined, { forms: false }), { email: form.value.email, sentBefore, sentAfter }));
  }

  @Get('password/reset/:token')
  @Public()
  resetPage(@Web() web: WebContext, @Param('token') token: string, @Res() _res: Response): Promise<void> {
    return this.linkPage(web, 'password_reset', token);
  }

  @Post('password/reset/:token')
  @Public()
  @UseGuards(ThrottlerGuard)
  resetPassword(@Web() web: WebContext, @Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    return this.usePasswordLink(web, res, 'password_reset', token, body);
  }

  private async linkPage(web: WebContext, purpose: AccountLinkPurpose, token: string): Promise<void> {
    const checked = await this.links.check(purpose, token);
    if (!checked.ok) return this.refusedLink(web, purpose, checked.problem);
    web.send(this.form(web, purpose, token, checked.user, {}));
  }

  private async usePasswordLink(web: WebContext, res: Response, purpose: AccountLinkPurpose, token: string, body: Record<string, unknown>): Promise<void> {
    const checked = await this.links.check(purpose, token);
    if (!checked.ok) return this.refusedLink(web, purpose, checked.problem);
    const form = await readForm(SetPasswordDto, body);
    if (!form.ok) return web.send(this.form(web, purpose, token, checked.user, form.errors), 422);
    try {
      const session = await this.links.usePasswordLink(purpose, token, form.value);
      res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: this.config.http.secureCookies, path: '/', expires: session.expiresAt });
      // The page that follows is the person's own, in their language.
      const language = session.user.language ?? DEFAULT_LANGUAGE;
      web.redirect('/', purpose === 'invitation' ? this.views.t(language, 'accountPages.invited', { name: session.user.name }) : this.views.t(language, 'accountPages.passwordChanged'));
    } catch (error) {
      if (error instanceof LinkRefused) return this.refusedLink(web, purpose, error.problem);
      web.send(this.form(web, purpose, token, checked.user, refusalToErrors(error)), 422);
    }
  }

  /**
   * The link's person is known: the page speaks `?lang=` if given, else the language the account
   * chose (if not English, the default), else the browser's (WebContext.language).
   */
  private form(web: WebContext, purpose: AccountLinkPurpose, token: string, user: User, errors: Record<string, string>): string {
    const page = PAGES[purpose];
    const lang = isAppLanguage(web.request.query.lang) ? web.request.query.lang : user.language !== DEFAULT_LANGUAGE ? user.language : web.language;
    const labels = this.views.labels(lang);
    const frame = { ...web.frame(labels.t(`accountPages.${page.title}`)), lang };
    const action = `/${page.path}/${encodeURIComponent(token)}${lang === DEFAULT_LANGUAGE ? '' : `?lang=${lang}`}`;
    return this.views.render(page.view, frame, { action, name: user.name, email: user.email, minLength: MIN_PASSWORD_LENGTH, errors: fieldErrorsIn(labels, errors) });
  }

  private refusedLink(web: WebContext, purpose: AccountLinkPurpose, problem: LinkProblem): void {
    const page = PAGES[purpose];
    const t = (key: string) => this.views.t(web.language, `accountPages.${key}`);
    const againUrl = web.language === DEFAULT_LANGUAGE ? page.againUrl : `${page.againUrl}?lang=${web.language}`;
    web.send(this.views.render('password-link-refused', web.frame(t(page.refused), undefined, { forms: false }), {
      message: t(`problems.${problem}`), again: problem === 'taken' ? null : t(page.again), againUrl, isReset: purpose === 'password_reset',
    }), PROBLEM_STATUS[problem]);
  }
}
