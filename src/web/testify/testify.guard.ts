import { CanActivate, ExecutionContext, ForbiddenException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import { IntakeThrottleGuard } from '../../testimonies/intake-throttle.guard';

/**
 * The intake form's own protection, in place of the signed-in pages' CSRF token (web-csrf.ts),
 * which needs a cookie: the form sets none (docs/testimony.md, "The form"). Every answer is
 * `Cache-Control: no-store` (a re-filled form or a receipt stays out of caches). A POST is refused
 * (403) when the browser says it came from another site: `Sec-Fetch-Site` other than
 * `same-origin` (a header pages cannot forge), or, from a browser too old to send it, an `Origin`
 * other than this site's. A request with neither comes from no browser, so it cannot be a forgery
 * carried by someone's browser, and it could as well use the API. Then the API's throttle
 * (the same counters: the form and the API together, per address and per coalition).
 */
@Injectable()
export class TestifyGuard implements CanActivate {
  private readonly appOrigin: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly throttle: IntakeThrottleGuard,
  ) {
    this.appOrigin = new URL(config.http.appUrl).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    if (request.method !== 'POST') return true;
    if (!this.fromThisSite(request)) {
      throw new ForbiddenException({ statusCode: HttpStatus.FORBIDDEN, error: 'Forbidden', message: 'This form was not sent from this site', details: { origin: true } });
    }
    return this.throttle.canActivate(context);
  }

  private fromThisSite(request: Request): boolean {
    const fetchSite = request.get('sec-fetch-site');
    if (fetchSite !== undefined) return fetchSite === 'same-origin' || fetchSite === 'none';
    const origin = request.get('origin');
    if (origin === undefined) return true;
    return origin === this.appOrigin || origin === `${request.protocol}://${request.get('host')}`;
  }
}
