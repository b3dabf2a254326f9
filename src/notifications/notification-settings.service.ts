import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Coalition } from '../accounts/coalition.entity';
import { User } from '../accounts/user.entity';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import {
  mapPolicy, mapPreferences, PreferencesResponse, ReminderPolicyResponse, UpdatePreferencesDto, UpdateReminderPolicyDto,
} from './notifications.dto';
import { policyOf } from './reminder-policy';
import { UnsubscribeTokens } from './unsubscribe-tokens';

/** Members' email preferences, the coalition's reminder policy, and one-click unsubscribe. */
@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: UnsubscribeTokens,
    private readonly clock: Clock,
  ) {}

  async getPreferences(auth: AuthUser): Promise<PreferencesResponse> {
    return mapPreferences(await this.user(auth.id));
  }

  /** Any change spends the unsubscribe links already sent (they carry the old preferences version). */
  async updatePreferences(auth: AuthUser, dto: UpdatePreferencesDto): Promise<PreferencesResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.findOneByOrFail(User, { id: auth.id });
      if (dto.reminders !== undefined) user.remindersMode = dto.reminders;
      if (dto.statusChanges !== undefined) user.statusChangesMode = dto.statusChanges;
      if (dto.timeZone !== undefined) user.timeZone = dto.timeZone;
      if (dto.digestHour !== undefined) user.digestHour = dto.digestHour;
      user.preferencesVersion += 1;
      return mapPreferences(await manager.save(User, user));
    });
  }

  async getPolicy(auth: AuthUser): Promise<ReminderPolicyResponse> {
    return mapPolicy(policyOf(await this.dataSource.manager.findOneByOrFail(Coalition, { id: auth.coalitionId })));
  }

  /** Applies to deadlines planned from now on (created or edited); reminders already planned keep their times. */
  async updatePolicy(auth: AuthUser, dto: UpdateReminderPolicyDto): Promise<ReminderPolicyResponse> {
    return this.dataSource.transaction(async (manager) => {
      const coalition = await manager.findOneByOrFail(Coalition, { id: auth.coalitionId });
      if (dto.offsetsDays !== undefined) coalition.reminderOffsetsDays = [...dto.offsetsDays].sort((a, b) => b - a).join(',');
      if (dto.hour !== undefined) coalition.reminderHour = dto.hour;
      if (dto.overdueNotice !== undefined) coalition.overdueNotice = dto.overdueNotice;
      return mapPolicy(policyOf(await manager.save(Coalition, coalition)));
    });
  }

  /**
   * One-click unsubscribe (RFC 8058). A forged, expired or already-used token changes nothing and
   * says so; a good one turns that kind of email off and spends itself.
   */
  async unsubscribe(token: string): Promise<{ unsubscribed: string; email: string }> {
    const claim = await this.tokens.verify(token, this.clock.now());
    const refused = new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'This unsubscribe link is not valid, has expired, or was already used. Change your email settings after signing in instead.',
    });
    if (!claim) throw refused;
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.findOneBy(User, { id: claim.userId });
      if (!user || user.preferencesVersion !== claim.version) throw refused;
      if (claim.scope === 'reminders' || claim.scope === 'all') user.remindersMode = 'off';
      if (claim.scope === 'statusChanges' || claim.scope === 'all') user.statusChangesMode = 'off';
      user.preferencesVersion += 1;
      await manager.save(User, user);
      const what = { reminders: 'deadline reminders', statusChanges: 'change notices', all: 'reminders and change notices' }[claim.scope];
      return { unsubscribed: what, email: user.email };
    });
  }

  private async user(id: number): Promise<User> {
    const user = await this.dataSource.manager.findOneBy(User, { id });
    if (!user) throw notFound('User', id);
    return user;
  }
}
