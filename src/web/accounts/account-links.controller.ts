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

const PAGES: Record<AccountLinkPurpose, { title: string; path: string; view: string; again: string; againUrl: string }> = {
  invitation: { title: 'Welcome: choose your password', path: 'invitations', view: 'invitation-accept', again: 'Ask the admin who invited you to send a new invitation.', againUrl: '/login' },
  password_reset: { title: 'Choose a new password', path: 'password/reset', view: 'password-reset', again: 'Ask for a new link.', againUrl: '/password/forgot' },
};

const PROBLEMS: Record<LinkProblem, { status: number; message: string }> = {
  unknown: { status: 404, message: 'This link is not valid. Check that you opened the whole link from the email.' },
  expired: { status: 410, message: 'This link has expired.' },
  used: { status: 410, message: 'This link was already used; each link works only once.' },
  taken: {
    status: 409,
    message: 'This address has meanwhile become an account with another coalition, and an address can belong to one coalition only. Sign in with it as usual, or ask the admin who invited you to invite another of your addresses.',
  },
};

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
    return this.views.render('password-forgot', web.frame('Forgot your password?'), { email: '', errors: {} });
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
    if (!form.ok) return web.send(this.views.render('password-forgot', web.frame('Forgot your password?'), { email: body.email, errors: form.errors }), 422);
    this.links.requestPasswordReset(form.value.email);
    web.send(this.views.render('password-forgot-sent', web.frame('Check your email', undefined, { forms: false }), { email: form.value.email }));
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
    web.send(this.form(web, purpose, token, checked.user.name, checked.user.email, {}));
  }

  private async usePasswordLink(web: WebContext, res: Response, purpose: AccountLinkPurpose, token: string, body: Record<string, unknown>): Promise<void> {
    const checked = await this.links.check(purpose, token);
    if (!checked.ok) return this.refusedLink(web, purpose, checked.problem);
    const form = await readForm(SetPasswordDto, body);
    if (!form.ok) return web.send(this.form(web, purpose, token, checked.user.name, checked.user.email, form.errors), 422);
    try {
      const session = await this.links.usePasswordLink(purpose, token, form.value);
      res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: this.config.http.secureCookies, path: '/', expires: session.expiresAt });
      web.redirect('/', purpose === 'invitation' ? `Welcome, ${session.user.name}. Your password is set and you are signed in.` : 'Your password is changed. Any other browser signed in to your account has been signed out, and your API tokens no longer work.');
    } catch (error) {
      if (error instanceof LinkRefused) return this.refusedLink(web, purpose, error.problem);
      web.send(this.form(web, purpose, token, checked.user.name, checked.user.email, refusalToErrors(error)), 422);
    }
  }

  private form(web: WebContext, purpose: AccountLinkPurpose, token: string, name: string, email: string, errors: Record<string, string>): string {
    const page = PAGES[purpose];
    return this.views.render(page.view, web.frame(page.title), { action: `/${page.path}/${encodeURIComponent(token)}`, name, email, minLength: MIN_PASSWORD_LENGTH, errors });
  }

  private refusedLink(web: WebContext, purpose: AccountLinkPurpose, problem: LinkProblem): void {
    const page = PAGES[purpose];
    const { status, message } = PROBLEMS[problem];
    const title = purpose === 'invitation' ? 'This invitation cannot be used' : 'This reset link cannot be used';
    web.send(this.views.render('password-link-refused', web.frame(title, undefined, { forms: false }), { message, again: problem === 'taken' ? null : page.again, againUrl: page.againUrl, isReset: purpose === 'password_reset' }), status);
  }
}
