import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { notFound } from '../common/errors';
import { NotificationPreferences } from '../notifications/notification-preferences.service';
import { mapPreferences, PreferencesResponse, UpdatePreferencesDto } from '../notifications/notifications.dto';
import { AccountsRepository } from './accounts.repository';

/**
 * "My preferences": the person's time zone (the account's: pages and emails use it) and how they
 * are emailed (notifications' own), read and changed together in one transaction.
 */
@Injectable()
export class MyPreferencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly preferences: NotificationPreferences,
  ) {}

  async get(auth: AuthUser): Promise<PreferencesResponse> {
    const user = await this.accounts.findUserInCoalition(auth.coalitionId, auth.id);
    if (!user) throw notFound('User', auth.id);
    return mapPreferences(await this.preferences.of(auth.id), user.timeZone);
  }

  async update(auth: AuthUser, dto: UpdatePreferencesDto): Promise<PreferencesResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.findUserInCoalition(auth.coalitionId, auth.id, manager);
      if (!user) throw notFound('User', auth.id);
      if (dto.timeZone !== undefined && dto.timeZone !== user.timeZone) await this.accounts.setTimeZone(user.id, dto.timeZone, manager);
      const preference = await this.preferences.update(auth.id, dto, manager);
      return mapPreferences(preference, dto.timeZone ?? user.timeZone);
    });
  }
}
