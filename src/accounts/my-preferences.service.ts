import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { notFound } from '../common/errors';
import { NotificationPreferences } from '../notifications/notification-preferences.service';
import { mapPreferences, PreferencesResponse, UpdatePreferencesDto } from '../notifications/notifications.dto';
import { AccountsRepository } from './accounts.repository';

/**
 * "My preferences": the person's time zone and language (the account's: pages and emails use them)
 * and how they are emailed (notifications' own), read and changed together in one transaction.
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
    return mapPreferences(await this.preferences.of(auth.id), user);
  }

  async update(auth: AuthUser, dto: UpdatePreferencesDto): Promise<PreferencesResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.findUserInCoalition(auth.coalitionId, auth.id, manager);
      if (!user) throw notFound('User', auth.id);
      if (dto.timeZone !== undefined && dto.timeZone !== user.timeZone) await this.accounts.setTimeZone(user.id, dto.timeZone, manager);
      if (dto.language !== undefined && dto.language !== user.language) await this.accounts.setLanguage(user.id, dto.language, manager);
      const preference = await this.preferences.update(auth.id, dto, manager);
      return mapPreferences(preference, { timeZone: dto.timeZone ?? user.timeZone, language: dto.language ?? user.language });
    });
  }
}
