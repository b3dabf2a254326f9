import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { toInteger } from './validate-section';

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
}

export interface HttpConfig {
  port: number;
  appUrl: string;
  bodyLimitBytes: number;
  /** How long a browser stays signed in. */
  sessionDays: number;
  /** Sign-in attempts one address (IP) may make per minute before it is told to wait. */
  loginAttemptsPerMinute: number;
  /** Cookies are marked Secure when the service is reached over HTTPS (APP_URL https://…). */
  secureCookies: boolean;
}

export function toHttpConfig(env: HttpEnvironment): HttpConfig {
  const appUrl = env.APP_URL ?? `http://localhost:${env.PORT}`;
  return {
    port: env.PORT,
    appUrl: appUrl.replace(/\/+$/, ''),
    bodyLimitBytes: env.BODY_LIMIT_KB * 1024,
    sessionDays: env.SESSION_DAYS,
    loginAttemptsPerMinute: env.LOGIN_ATTEMPTS_PER_MINUTE,
    secureCookies: appUrl.startsWith('https:'),
  };
}
