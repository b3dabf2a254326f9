import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { mapPolicy, ReminderPolicyResponse, UpdateReminderPolicyDto } from './notifications.dto';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { policyOf } from './reminder-policy';
import { DEFAULT_REMINDER_POLICY } from './reminder-policy.entity';
import { RECIPIENTS, type Recipients } from './recipients';
import { type UnsubscribeScope, UnsubscribeTokens } from './unsubscribe-tokens';
import type { AppLanguage } from '../i18n/i18n';

export interface UnsubscribeResult {
  /** What stopped, in the API's English words. */
  unsubscribed: string;
  email: string;
  scope: UnsubscribeScope;
  /** The person's language, for the page that says so. */
  language: AppLanguage;
}

/** The coalition's reminder policy, and one-click unsubscribe. */
@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: NotificationSettingsRepository,
    private readonly tokens: UnsubscribeTokens,
    private readonly clock: Clock,
    @Inject(RECIPIENTS) private readonly recipients: Recipients,
  ) {}

  async getPolicy(auth: AuthUser): Promise<ReminderPolicyResponse> {
    return mapPolicy(policyOf(await this.settings.policyOf(auth.coalitionId)));
  }

  /** Applies to deadlines planned from now on (created or edited); reminders already planned keep their times. */
  async updatePolicy(auth: AuthUser, dto: UpdateReminderPolicyDto): Promise<ReminderPolicyResponse> {
    return this.dataSource.transaction(async (manager) => {
      const policy = (await this.settings.policyOf(auth.coalitionId, manager)) ?? { coalitionId: auth.coalitionId, ...DEFAULT_REMINDER_POLICY };
      if (dto.offsetsDays !== undefined) policy.offsetsDays = [...dto.offsetsDays].sort((a, b) => b - a).join(',');
      if (dto.hour !== undefined) policy.hour = dto.hour;
      if (dto.overdueNotice !== undefined) policy.overdueNotice = dto.overdueNotice;
      return mapPolicy(policyOf(await this.settings.savePolicy(policy, manager)));
    });
  }

  /**
   * One-click unsubscribe (RFC 8058). A forged, expired or already-used token changes nothing and
   * says so; a good one turns that kind of email off and spends itself.
   */
  async unsubscribe(token: string): Promise<UnsubscribeResult> {
    const claim = await this.tokens.verify(token, this.clock.now());
    const refused = new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'This unsubscribe link is not valid, has expired, or was already used. Change your email settings after signing in instead.',
    });
    if (!claim) throw refused;
    return this.dataSource.transaction(async (manager) => {
      const [recipient] = await this.recipients.byIds([claim.userId], manager);
      const preference = await this.settings.preferenceOf(claim.userId, manager);
      if (!recipient || preference.preferencesVersion !== claim.version) throw refused;
      if (claim.scope === 'reminders' || claim.scope === 'all') preference.remindersMode = 'off';
      if (claim.scope === 'statusChanges' || claim.scope === 'all') preference.statusChangesMode = 'off';
      preference.preferencesVersion += 1;
      await this.settings.savePreference(preference, manager);
      const what = { reminders: 'deadline reminders', statusChanges: 'change notices', all: 'reminders and change notices' }[claim.scope];
      return { unsubscribed: what, email: recipient.email, scope: claim.scope, language: recipient.language };
    });
  }

  /** The language of the person a genuine, unexpired link names (its page speaks it); null for any other link. */
  async languageOfLink(token: string): Promise<AppLanguage | null> {
    const claim = await this.tokens.verify(token, this.clock.now());
    if (!claim) return null;
    const [recipient] = await this.recipients.byIds([claim.userId]);
    return recipient?.language ?? null;
  }
}
