import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { RetryLaterException } from '../common/retry-later.exception';
import { WebCsrf } from './web-csrf';
import { ViewRenderer } from './view-renderer';
import { requestLanguage } from './web-context';
import { DEFAULT_LANGUAGE } from '../i18n/i18n';

/** The statuses whose page has a title (and, in other languages than English, a message) of its own in the catalogue (errorPage). */
const NAMED_STATUSES = new Set([400, 403, 404, 409, 413, 422, 429]);

/**
 * Errors on web pages are pages, not JSON: no session → the sign-in page (then back here), anything
 * else → an error page in words. Internal errors are logged and shown without their details.
 * Cookies: see WebCsrf.tokenFor (a signed-out page sets a cookie only if it has a form).
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebExceptionFilter');

  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: WebCsrf,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status === 401) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }
    // Busy (a full report queue) is said in words and with Retry-After; it is no fault to log.
    const busy = exception instanceof RetryLaterException;
    if (busy) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    else if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    // The error page's only form is "Sign out": signed out, there is no form, so no token and no
    // cookie (a 404 of the public ledger sets no more cookies than the ledger itself).
    const user = req.user ?? null;
    const lang = requestLanguage(req, user);
    const name = busy ? 'busy' : NAMED_STATUSES.has(status) ? String(status) : 'other';
    const internal = status >= 500 && !busy;
    // The refusals of the services are English sentences (the API's): a page in another language
    // says what kind of refusal it is in its own words instead.
    const message = internal ? this.views.t(lang, 'errorPage.internal') : lang === DEFAULT_LANGUAGE ? messageOf(exception as HttpException) : this.views.t(lang, `errorPage.messages.${name}`);
    const frame = { title: this.views.t(lang, `errorPage.titles.${name}`), user, lang, csrfToken: user ? this.csrf.tokenFor(req, res) : '' };
    res.status(status).type('html').send(this.views.render('error', frame, { status, message }));
  }
}

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}
