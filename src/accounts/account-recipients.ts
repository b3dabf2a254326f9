import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Recipient, Recipients } from '../notifications/recipients';
import { AccountsRepository } from './accounts.repository';

/** Accounts' answer to notifications' "who is this person" (provided as RECIPIENTS). */
@Injectable()
export class AccountRecipients implements Recipients {
  constructor(private readonly accounts: AccountsRepository) {}

  async byIds(ids: number[], manager?: EntityManager): Promise<Recipient[]> {
    if (ids.length === 0) return [];
    const users = await this.accounts.findUsersWithCoalition(ids, manager);
    return users.map((user) => ({
      id: user.id,
      coalitionId: user.coalitionId,
      coalitionName: user.coalition?.name ?? '',
      email: user.email,
      name: user.name,
      active: user.active,
      timeZone: user.timeZone,
      language: user.language,
    }));
  }
}
