import { join, resolve } from 'node:path';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toInteger } from './validate-section';

export class MailEnvironment {
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be smtp://[user:pass@]host:port or smtps://...' })
  SMTP_URL?: string;

  @IsEmail({}, { message: 'MAIL_FROM must be an email address such as upr-followup@example.org' })
  MAIL_FROM = 'upr-followup@localhost.localdomain';

  @Transform(toInteger)
  @IsInt({ message: 'SMTP_RATE_PER_SECOND must be a whole number of emails per second (1 to 1000)' })
  @Min(1, { message: 'SMTP_RATE_PER_SECOND must be a whole number of emails per second (1 to 1000)' })
  @Max(1000, { message: 'SMTP_RATE_PER_SECOND must be a whole number of emails per second (1 to 1000)' })
  SMTP_RATE_PER_SECOND = 10;

  @Transform(toInteger)
  @IsInt({ message: 'SMTP_MAX_CONNECTIONS must be a whole number (1 to 50)' })
  @Min(1, { message: 'SMTP_MAX_CONNECTIONS must be a whole number (1 to 50)' })
  @Max(50, { message: 'SMTP_MAX_CONNECTIONS must be a whole number (1 to 50)' })
  SMTP_MAX_CONNECTIONS = 3;

  /** Where emails are written as .eml files when SMTP_URL is not set; default <DATA_DIR>/outbox. */
  @IsOptional()
  @IsString()
  MAIL_OUTBOX_DIR?: string;
}

export interface MailConfig {
  smtpUrl?: string;
  from: string;
  ratePerSecond: number;
  maxConnections: number;
  outboxDir: string;
}

export function toMailConfig(env: MailEnvironment, dataDir: string, cwd = process.cwd()): MailConfig {
  return {
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    ratePerSecond: env.SMTP_RATE_PER_SECOND,
    maxConnections: env.SMTP_MAX_CONNECTIONS,
    outboxDir: env.MAIL_OUTBOX_DIR ? resolve(cwd, env.MAIL_OUTBOX_DIR) : join(dataDir, 'outbox'),
  };
}
