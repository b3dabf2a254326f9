import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, isIP, Max, Min, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { toInteger } from './validate-section';

/**
 * Which proxies' X-Forwarded-For Express believes (its 'trust proxy' setting): false (none), the
 * number of proxies in front of the service, or the proxies' addresses, subnets and the names
 * Express knows. `true` (believe any address) is not offered: any client could then choose the
 * address the sign-in throttle counts.
 */
export type TrustProxy = false | number | string[];

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_PROXY_HELP =
  'TRUST_PROXY must be off, the number of proxies in front of the service (1 to 10), or a comma-separated list of their addresses, ' +
  `subnets (10.0.0.0/8) and ${TRUST_PROXY_NAMES.join(', ')}; "on" is not allowed, as any client could then choose its address`;

export function parseTrustProxy(value: string): TrustProxy | null {
  const text = value.trim().toLowerCase();
  if (text === 'off') return false;
  if (/^\d+$/.test(text)) return Number(text) >= 1 && Number(text) <= 10 ? Number(text) : null;
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.every(isTrustedProxy) ? entries : null;
}

function isTrustedProxy(entry: string): boolean {
  if (TRUST_PROXY_NAMES.includes(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const version = isIP(address) ? (address.includes(':') ? 6 : 4) : 0;
  if (version === 0 || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

@ValidatorConstraint({ name: 'trustProxy' })
class IsTrustProxy implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseTrustProxy(value) !== null;
  }

  defaultMessage(): string {
    return TRUST_PROXY_HELP;
  }
}

export class HttpEnvironment {
  @Transform(toInteger)
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT = 3000;

  /** Default: http://localhost:<PORT>. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, {
    message: 'APP_URL must be an absolute http(s) URL such as https://upr.example.org',
  })
  APP_URL?: string;

  @Transform(toInteger)
  @IsInt({ message: 'BODY_LIMIT_KB must be a whole number of kilobytes (1 to 10240)' })
  @Min(1, { message: 'BODY_LIMIT_KB must be a whole number of kilobytes (1 to 10240)' })
  @Max(10240, { message: 'BODY_LIMIT_KB must be a whole number of kilobytes (1 to 10240)' })
  BODY_LIMIT_KB = 256;

  @Transform(toInteger)
  @IsInt({ message: 'SESSION_DAYS must be a whole number of days (1 to 90)' })
  @Min(1, { message: 'SESSION_DAYS must be a whole number of days (1 to 90)' })
  @Max(90, { message: 'SESSION_DAYS must be a whole number of days (1 to 90)' })
  SESSION_DAYS = 14;

  @Transform(toInteger)
  @IsInt({ message: 'LOGIN_ATTEMPTS_PER_MINUTE must be a whole number (1 to 1000)' })
  @Min(1, { message: 'LOGIN_ATTEMPTS_PER_MINUTE must be a whole number (1 to 1000)' })
  @Max(1000, { message: 'LOGIN_ATTEMPTS_PER_MINUTE must be a whole number (1 to 1000)' })
  LOGIN_ATTEMPTS_PER_MINUTE = 10;

  @Validate(IsTrustProxy)
  TRUST_PROXY = 'off';
}

export interface HttpConfig {
  port: number;
  appUrl: string;
  /** APP_URL's host name: the domain of Message-IDs and calendar UIDs. */
  appHost: string;
  bodyLimitBytes: number;
  /** How long a browser stays signed in. */
  sessionDays: number;
  /** Sign-in attempts one address (IP) may make per minute before it is told to wait. */
  loginAttemptsPerMinute: number;
  /** Cookies are marked Secure when the service is reached over HTTPS (APP_URL https://…). */
  secureCookies: boolean;
  /** Express's 'trust proxy': whose X-Forwarded-For gives the client's address (req.ip). */
  trustProxy: TrustProxy;
}

export function toHttpConfig(env: HttpEnvironment): HttpConfig {
  const appUrl = env.APP_URL ?? `http://localhost:${env.PORT}`;
  return {
    port: env.PORT,
    appUrl: appUrl.replace(/\/+$/, ''),
    appHost: new URL(appUrl).hostname || 'localhost',
    bodyLimitBytes: env.BODY_LIMIT_KB * 1024,
    sessionDays: env.SESSION_DAYS,
    loginAttemptsPerMinute: env.LOGIN_ATTEMPTS_PER_MINUTE,
    secureCookies: appUrl.startsWith('https:'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY) ?? false,
  };
}
