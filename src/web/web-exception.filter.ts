import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { RetryLaterException } from '../common/retry-later.exception';
import { WebCsrf } from './web-csrf';
import { ViewRenderer } from './view-renderer';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That cannot be done now',
  413: 'Too large',
  422: 'That did not work',
  429: 'Too many attempts',
};

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
    const message = status >= 500 && !busy ? 'Something went wrong on our side; it has been logged. Please try again.' : messageOf(exception as HttpException);
    // The error page's only form is "Sign out": signed out, there is no form, so no token and no
    // cookie (a 404 of the public ledger sets no more cookies than the ledger itself).
    const user = req.user ?? null;
    const frame = { title: busy ? 'Busy, try again shortly' : TITLES[status] ?? 'Something went wrong', user, csrfToken: user ? this.csrf.tokenFor(req, res) : '' };
    res.status(status).type('html').send(this.views.render('error', frame, { status, message }));
  }
}

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}
