import { Body, Get, Inject, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import { FirstRunService } from '../../accounts/first-run.service';
import { WebSessionsService } from '../../accounts/web-sessions.service';
import { Public, SESSION_COOKIE } from '../../auth/auth.decorators';
import { safeLocalPath, Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { type PageFrame, ViewRenderer } from '../view-renderer';
import { type AppLanguage, DEFAULT_LANGUAGE, pickAppLanguage } from '../../i18n/i18n';

@WebController()
export class SignInController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: WebSessionsService,
    private readonly firstRun: FirstRunService,
    private readonly views: ViewRenderer,
  ) {}

  /** While no account exists there is no one to sign in: the one-time setup page instead. */
  @Get('login')
  @Public()
  async signInPage(@Web() web: WebContext, @Query('next') next: string | undefined, @Res() _res: Response): Promise<void> {
    if (web.user) return web.redirect(safeLocalPath(next));
    if (!(await this.firstRun.isSetUp())) return web.redirect('/setup');
    web.send(this.views.render('sign-in', this.frame(web), { next: safeLocalPath(next), email: '' }));
  }

  /** Throttled per address (LOGIN_ATTEMPTS_PER_MINUTE): guessing passwords is slow. */
  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  async signIn(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeLocalPath(typeof body.next === 'string' ? body.next : undefined);
    const session = email && password ? await this.sessions.signIn(email, password) : null;
    if (!session) {
      const frame = this.frame(web);
      const errors = { form: this.views.t(frame.lang, 'signIn.refused') };
      const setupOpen = !(await this.firstRun.isSetUp());
      return web.send(this.views.render('sign-in', frame, { next, email, errors, setupOpen }), 422);
    }
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.http.secureCookies,
      path: '/',
      expires: session.expiresAt,
    });
    web.redirect(next);
  }

  @Post('logout')
  @Public()
  async signOut(@Web() web: WebContext, @Res() res: Response): Promise<void> {
    const token = web.request.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string') await this.sessions.signOut(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    // The sign-in page that follows knows nobody: it keeps the language of the person who left.
    const language = web.user?.language ?? DEFAULT_LANGUAGE;
    web.redirect(language === DEFAULT_LANGUAGE ? '/login' : `/login?lang=${language}`, this.views.t(language, 'signIn.signedOut'));
  }

  /**
   * Nobody is signed in yet: the page speaks `?lang=` (kept by the form's own address), else the
   * browser's Accept-Language, among the application's languages.
   */
  private frame(web: WebContext): PageFrame & { lang: AppLanguage } {
    const lang = pickAppLanguage(web.request.query.lang, (...languages) => web.request.acceptsLanguages(...languages));
    return { ...web.frame(this.views.t(lang, 'signIn.title')), lang };
  }
}
