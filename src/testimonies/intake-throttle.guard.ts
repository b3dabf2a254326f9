import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';

const HOUR_MS = 60 * 60_000;

/**
 * The counters, one set per application: Nest makes a guard named in @UseGuards once per module that
 * uses it, so the API's guard and the intake form's (web/testify) count in this provider, together.
 */
@Injectable()
export class IntakeThrottleCounts implements OnApplicationShutdown {
  readonly storage = new ThrottlerStorageService();

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }
}

function tooMany(response: Response, seconds: number, where: string): HttpException {
  const wait = Math.max(1, Math.ceil(seconds));
  response.setHeader('Retry-After', String(wait));
  const minutes = Math.ceil(wait / 60);
  return new HttpException({
    statusCode: HttpStatus.TOO_MANY_REQUESTS,
    error: 'Too Many Requests',
    message: `Too many testimonies were sent ${where} in the last hour. Nothing was received from this request: please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  }, HttpStatus.TOO_MANY_REQUESTS);
}

/**
 * The public intake's throttle, per client address (all coalitions together) and per coalition
 * (its slug, all addresses together), counted in @nestjs/throttler's storage in this instance's
 * memory (like the sign-in throttle: docs/operations.md): a sliding hour in which refused requests do
 * not count (no block duration). A guard, so a refused request is answered
 * before its body or files are read. The address is held in memory for the hour and never stored.
 */
@Injectable()
export class IntakeThrottleGuard implements CanActivate {
  private readonly storage: ThrottlerStorageService;
  private readonly perAddress: number;
  private readonly perCoalition: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig, counts: IntakeThrottleCounts) {
    this.storage = counts.storage;
    this.perAddress = config.testimony.perAddressPerHour;
    this.perCoalition = config.testimony.perCoalitionPerHour;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const slug = String(request.params.slug ?? '').toLowerCase();
    const byAddress = await this.storage.increment(`address:${request.ip ?? 'unknown'}`, HOUR_MS, this.perAddress, 0, 'intake-address');
    if (byAddress.isBlocked) throw tooMany(response, byAddress.timeToBlockExpire, 'from your address');
    const byCoalition = await this.storage.increment(`coalition:${slug}`, HOUR_MS, this.perCoalition, 0, 'intake-coalition');
    if (byCoalition.isBlocked) throw tooMany(response, byCoalition.timeToBlockExpire, 'to this coalition');
    return true;
  }
}
