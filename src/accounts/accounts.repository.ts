import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { AppLanguage } from '../i18n/i18n';
import { placeholder, readNullableSqlTime } from '../database/sql-values';
import { ApiToken } from './api-token.entity';
import { Coalition } from './coalition.entity';
import type { Role } from '../auth/role';
import { User } from './user.entity';

/** An active token of an active user, as the auth guard needs it on every request. */
export interface UsableToken {
  id: number;
  lastUsedAt: Date | null;
  user: AuthUser;
}

@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findCoalitionByName(name: string, manager: EntityManager = this.dataSource.manager): Promise<Coalition | null> {
    return manager.findOneBy(Coalition, { name });
  }

  listCoalitions(): Promise<Coalition[]> {
    return this.dataSource.manager.find(Coalition, { order: { id: 'ASC' } });
  }

  insertCoalition(name: string, manager: EntityManager): Promise<Coalition> {
    return manager.save(manager.create(Coalition, { name }));
  }

  findCoalitionById(id: number, manager: EntityManager = this.dataSource.manager): Promise<Coalition | null> {
    return manager.findOneBy(Coalition, { id });
  }

  /** The account that signs in with this address (one at most), whichever coalition it is in. */
  findAccountBySignInEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { signInEmail: email.toLowerCase() });
  }

  /** The coalition's row for this address, signing in or not (an address is in a coalition once). */
  findUserInCoalitionByEmail(coalitionId: number, email: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { coalitionId, email: email.toLowerCase() });
  }

  /** The first row made for this address, for the command line when no account signs in with it yet. */
  findFirstUserByEmail(email: string): Promise<User | null> {
    return this.dataSource.manager.findOne(User, { where: { email: email.toLowerCase() }, order: { id: 'ASC' } });
  }

  findUserInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { id, coalitionId });
  }

  listUsersInCoalition(coalitionId: number): Promise<User[]> {
    return this.dataSource.manager.find(User, { where: { coalitionId }, order: { id: 'ASC' } });
  }

  async pageUsersInCoalition(coalitionId: number, window: { skip: number; take: number }): Promise<{ rows: User[]; total: number }> {
    const [rows, total] = await this.dataSource.manager.findAndCount(User, { where: { coalitionId }, order: { id: 'ASC' }, ...window });
    return { rows, total };
  }

  /** How many of these user ids are active users of the coalition (to validate owner and assignee lists). */
  async countActiveUsersInCoalition(coalitionId: number, ids: number[], manager: EntityManager = this.dataSource.manager): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await manager
      .createQueryBuilder(User, 'u')
      .select('u.id', 'id')
      .where('u.coalition_id = :coalitionId AND u.active = :active AND u.id IN (:...ids)', { coalitionId, active: true, ids })
      .getRawMany<{ id: number }>();
    return rows.map((row) => Number(row.id));
  }

  /** These people with their coalitions, deactivated ones included (for notifications' RECIPIENTS). */
  findUsersWithCoalition(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<User[]> {
    return manager.find(User, { where: { id: In(ids) }, relations: { coalition: true } });
  }

  /** These people if active, with their time zones: who a deadline's reminders go to. */
  findActiveUsers(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.find(User, { where: { id: In(ids), active: true }, order: { id: 'ASC' } });
  }

  async setTimeZone(userId: number, timeZone: string, manager: EntityManager): Promise<void> {
    await manager.update(User, { id: userId }, { timeZone });
  }

  async setLanguage(userId: number, language: AppLanguage, manager: EntityManager): Promise<void> {
    await manager.update(User, { id: userId }, { language });
  }

  /** Makes every calendar feed URL signed with the old version stop working (the person reset it). */
  async raiseCalendarTokenVersion(userId: number): Promise<void> {
    await this.dataSource.manager.increment(User, { id: userId }, 'calendarTokenVersion', 1);
  }

  saveUser(user: User, manager: EntityManager = this.dataSource.manager): Promise<User> {
    return manager.save(User, user);
  }

  insertToken(token: Partial<ApiToken>, manager: EntityManager = this.dataSource.manager): Promise<ApiToken> {
    return manager.save(manager.create(ApiToken, token));
  }

  /**
   * The active token with this hash and its (active) user, or null. Runs before every request, so
   * it is one indexed join read as a plain row (no entities, no relation loading).
   */
  async findUsableToken(tokenHash: string): Promise<UsableToken | null> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const rows: {
      id: number; last_used_at: Date | string | null; user_id: number; coalition_id: number; role: Role; email: string; name: string;
    }[] = await this.dataSource.query(
      'SELECT t.id, t.last_used_at, u.id AS user_id, u.coalition_id, u.role, u.email, u.name ' +
        `FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = ${p(1)} AND t.revoked_at IS NULL AND u.active = ${p(2)}`,
      [tokenHash, true],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      id: row.id,
      lastUsedAt: readNullableSqlTime(row.last_used_at),
      user: { id: row.user_id, coalitionId: row.coalition_id, role: row.role, email: row.email, name: row.name },
    };
  }

  touchToken(id: number, at: Date): Promise<unknown> {
    return this.dataSource.manager.update(ApiToken, { id }, { lastUsedAt: at });
  }

  async pageTokensOfUser(userId: number, window: { skip: number; take: number }): Promise<{ rows: ApiToken[]; total: number }> {
    const [rows, total] = await this.dataSource.manager.findAndCount(ApiToken, { where: { userId }, order: { id: 'ASC' }, ...window });
    return { rows, total };
  }

  findTokenOfUser(userId: number, id: number): Promise<ApiToken | null> {
    return this.dataSource.manager.findOneBy(ApiToken, { id, userId });
  }

  revokeToken(id: number, at: Date): Promise<unknown> {
    return this.dataSource.manager.update(ApiToken, { id, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Revokes every token of the user that still works (after a password reset). */
  revokeTokensOfUser(userId: number, at: Date, manager: EntityManager): Promise<unknown> {
    return manager.update(ApiToken, { userId, revokedAt: IsNull() }, { revokedAt: at });
  }

  findActiveUser(id: number): Promise<User | null> {
    return this.dataSource.manager.findOneBy(User, { id, active: true });
  }
}
