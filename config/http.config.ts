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
}

export interface HttpConfig {
  port: number;
  appUrl: string;
  bodyLimitBytes: number;
}

export function toHttpConfig(env: HttpEnvironment): HttpConfig {
  const appUrl = env.APP_URL ?? `http://localhost:${env.PORT}`;
  return { port: env.PORT, appUrl: appUrl.replace(/\/+$/, ''), bodyLimitBytes: env.BODY_LIMIT_KB * 1024 };
}
