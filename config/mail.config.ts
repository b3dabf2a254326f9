import { IsEmail, IsOptional, Matches } from 'class-validator';

export class MailEnvironment {
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be smtp://[user:pass@]host:port or smtps://...' })
  SMTP_URL?: string;

  @IsEmail({}, { message: 'MAIL_FROM must be an email address such as upr-followup@example.org' })
  MAIL_FROM = 'upr-followup@localhost.localdomain';
}

export interface MailConfig {
  smtpUrl?: string;
  from: string;
}

export function toMailConfig(env: MailEnvironment): MailConfig {
  return { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM };
}
