import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { APP_LANGUAGES, type AppLanguage } from '../i18n/i18n';
import { IsOptionalNotNull, IsTimeZone } from '../common/validators';
import { Digest } from './digest.entity';
import { DELIVERY_MODES, DIGEST_STATES, type DeliveryMode, type DigestState } from '../vocabulary/notification.vocabulary';
import type { NotificationPreference } from './notification-preference.entity';
import type { CoalitionReminderPolicy } from './reminder-policy';

const modeMessage = (field: string) => ({ message: `${field} must be one of: ${DELIVERY_MODES.join(', ')}`, context: { allowed: DELIVERY_MODES } });

export class UpdatePreferencesDto {
  @ApiPropertyOptional({ enum: DELIVERY_MODES, description: 'Deadline reminders, overdue and evidence-due notices' })
  @IsOptionalNotNull()
  @IsIn(DELIVERY_MODES, modeMessage('reminders'))
  reminders?: DeliveryMode;

  @ApiPropertyOptional({ enum: DELIVERY_MODES, description: 'Status and response changes of recommendations you own or follow' })
  @IsOptionalNotNull()
  @IsIn(DELIVERY_MODES, modeMessage('statusChanges'))
  statusChanges?: DeliveryMode;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptionalNotNull()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: APP_LANGUAGES, description: 'The language of your web pages and of the emails sent to you (the API answers in English)' })
  @IsOptionalNotNull()
  @IsIn(APP_LANGUAGES, { message: `language must be one of: ${APP_LANGUAGES.join(', ')} (got "$value")`, context: { allowed: APP_LANGUAGES } })
  language?: AppLanguage;

  @ApiPropertyOptional({ minimum: 0, maximum: 23, description: 'Local hour of the daily digest' })
  @IsOptionalNotNull()
  @IsInt({ message: 'digestHour must be a whole hour from 0 to 23' })
  @Min(0, { message: 'digestHour must be a whole hour from 0 to 23' })
  @Max(23, { message: 'digestHour must be a whole hour from 0 to 23' })
  digestHour?: number;
}

export class PreferencesResponse {
  @ApiProperty({ enum: DELIVERY_MODES }) reminders: DeliveryMode;
  @ApiProperty({ enum: DELIVERY_MODES }) statusChanges: DeliveryMode;
  @ApiProperty() timeZone: string;
  @ApiProperty({ enum: APP_LANGUAGES }) language: AppLanguage;
  @ApiProperty() digestHour: number;
  @ApiProperty({ description: 'Sent even when reminders are off' }) criticalNotices: string;
}

/** `timeZone` and `language` are the account's (accounts owns them); the rest is notifications' own. */
export function mapPreferences(preference: NotificationPreference, account: { timeZone: string; language: AppLanguage }): PreferencesResponse {
  return {
    reminders: preference.remindersMode,
    statusChanges: preference.statusChangesMode,
    timeZone: account.timeZone,
    language: account.language,
    digestHour: preference.digestHour,
    criticalNotices: 'Overdue notices for deadlines assigned to you are always sent.',
  };
}

export class UpdateReminderPolicyDto {
  @ApiPropertyOptional({ type: [Number], example: [14, 7, 1], description: 'Days before each deadline' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true, message: 'offsetsDays must hold whole numbers of days from 0 to 365' })
  @Min(0, { each: true, message: 'offsetsDays must hold whole numbers of days from 0 to 365' })
  @Max(365, { each: true, message: 'offsetsDays must hold whole numbers of days from 0 to 365' })
  offsetsDays?: number[];

  @ApiPropertyOptional({ minimum: 0, maximum: 23, description: "Local hour, in each recipient's time zone" })
  @IsOptionalNotNull()
  @IsInt({ message: 'hour must be a whole hour from 0 to 23' })
  @Min(0, { message: 'hour must be a whole hour from 0 to 23' })
  @Max(23, { message: 'hour must be a whole hour from 0 to 23' })
  hour?: number;

  @ApiPropertyOptional({ description: 'One overdue notice when a deadline passes while open' })
  @IsOptionalNotNull()
  @IsBoolean()
  overdueNotice?: boolean;
}

export class ReminderPolicyResponse {
  @ApiProperty({ type: [Number] }) offsetsDays: number[];
  @ApiProperty() hour: number;
  @ApiProperty() overdueNotice: boolean;
}

export function mapPolicy(policy: CoalitionReminderPolicy): ReminderPolicyResponse {
  return { offsetsDays: policy.offsetsDays, hour: policy.hour, overdueNotice: policy.overdueNotice };
}

const LISTED_STATES = ['pending', 'failed', 'suppressed'] as const;

export class ListOutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LISTED_STATES, description: 'Default: all three' })
  @IsOptional()
  @Type(() => String)
  @IsIn(LISTED_STATES, { message: `state must be one of: ${LISTED_STATES.join(', ')}`, context: { allowed: LISTED_STATES } })
  state?: (typeof LISTED_STATES)[number];
}

export class OutboxEmailResponse {
  @ApiProperty() id: number;
  @ApiProperty() recipientId: number;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ enum: DIGEST_STATES }) state: DigestState;
  @ApiProperty() window: string;
  @ApiProperty() dueAt: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty() notifications: number;
}

export class OutboxPage {
  @ApiProperty({ type: [OutboxEmailResponse] }) items: OutboxEmailResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

/** `recipientEmail`: the address it went to, or the recipient's current one while it has not gone. */
export function mapOutboxEmail(digest: Digest, recipientEmail: string | undefined, notifications: number): OutboxEmailResponse {
  return {
    id: digest.id,
    recipientId: digest.recipientId,
    recipientEmail: recipientEmail ?? digest.toAddress ?? '',
    state: digest.state,
    window: digest.windowKey,
    dueAt: digest.dueAt.toISOString(),
    attempts: digest.attempts,
    nextAttemptAt: digest.nextAttemptAt?.toISOString() ?? null,
    lastError: digest.lastError,
    notifications,
  };
}

export { LISTED_STATES };
