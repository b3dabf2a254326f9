import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { SESSION_COOKIE } from '../auth/auth.decorators';
import { sharedSecret } from '../database/shared-secret';

const CSRF_COOKIE = 'upr_csrf';
/** Identifies a browser that is not signed in yet, so the sign-in and reset forms are protected too. */
const VISITOR_COOKIE = 'upr_visitor';

/**
 * CSRF protection of every form (csrf-csrf, double submit bound to the session): each page gets a
 * token that its forms send back as `_csrf`; a POST without the matching token is refused. Forms
 * that upload files (multipart) send it in the action URL's query, because their body is read only
 * after this check. The HMAC key is shared by every instance on the database.
 */
@Injectable()
export class WebCsrf implements OnModuleInit {
  private csrf!: DoubleCsrfUtilities;


  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const secret = (await sharedSecret(this.dataSource, 'csrf')).toString('utf8');
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => String(req.cookies?.[SESSION_COOKIE] ?? req.cookies?.[VISITOR_COOKIE] ?? ''),
      cookieName: CSRF_COOKIE,
      cookieOptions: { sameSite: 'lax', secure: this.config.http.secureCookies, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (req) => (req.is('multipart/form-data') ? req.query?._csrf : req.body?._csrf),
    });
  }

  /**
   * The token for this page's forms (and the cookie it is checked against). The rule for cookies:
   * only a page with a CSRF-checked form gets them: the sign-in, password and invitation pages, and
   * every page of a signed-in person (it has "Sign out"). A signed-out page without such a form (the
   * public ledger and its files, every error page, the unsubscribe pages, whose link is its own
   * credential, and calendar feeds) never calls this, so it sets no cookie, whatever its status.
   */
  tokenFor(req: Request, res: Response): string {
    if (!req.cookies?.[SESSION_COOKIE] && !req.cookies?.[VISITOR_COOKIE]) {
      const visitor = randomBytes(16).toString('base64url');
      res.cookie(VISITOR_COOKIE, visitor, { sameSite: 'lax', secure: this.config.http.secureCookies, httpOnly: true, path: '/' });
      req.cookies = { ...req.cookies, [VISITOR_COOKIE]: visitor };
    }
    return this.csrf.generateCsrfToken(req, res);
  }

  isValid(req: Request): boolean {
    return this.csrf.validateRequest(req);
  }
}

/** Refuses a form post whose CSRF token does not match (403, shown as a page asking to reload). */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly csrf: WebCsrf) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & { webCsrf?: WebCsrf }>();
    req.webCsrf = this.csrf; // for the @Web() context, which makes each page's token
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || this.csrf.isValid(req)) return true;
    throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'This form has expired or did not come from this site. Go back, reload the page and try again.', details: { csrf: true } });
  }
}
