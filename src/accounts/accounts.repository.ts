import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiToken } from './api-token.entity';
import { Coalition } from './coalition.entity';
import { User } from './user.entity';

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

  findCoalitionById(id: number): Promise<Coalition | null> {
    return this.dataSource.manager.findOneBy(Coalition, { id });
  }

  findUserByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { email: email.toLowerCase() });
  }

  findUserInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { id, coalitionId });
  }

  listUsersInCoalition(coalitionId: number): Promise<User[]> {
    return this.dataSource.manager.find(User, { where: { coalitionId }, order: { id: 'ASC' } });
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

  saveUser(user: User, manager: EntityManager = this.dataSource.manager): Promise<User> {
    return manager.save(User, user);
  }

  insertToken(token: Partial<ApiToken>, manager: EntityManager = this.dataSource.manager): Promise<ApiToken> {
    return manager.save(manager.create(ApiToken, token));
  }

  /** The active token with this hash, with its user, or null. */
  findUsableToken(tokenHash: string): Promise<ApiToken | null> {
    return this.dataSource.manager.findOne(ApiToken, {
      where: { tokenHash, revokedAt: IsNull(), user: { active: true } },
      relations: { user: true },
    });
  }

  touchToken(id: number, at: Date): Promise<unknown> {
    return this.dataSource.manager.update(ApiToken, { id }, { lastUsedAt: at });
  }

  listTokensOfUser(userId: number): Promise<ApiToken[]> {
    return this.dataSource.manager.find(ApiToken, { where: { userId }, order: { id: 'ASC' } });
  }

  findTokenOfUser(userId: number, id: number): Promise<ApiToken | null> {
    return this.dataSource.manager.findOneBy(ApiToken, { id, userId });
  }

  revokeToken(id: number, at: Date): Promise<unknown> {
    return this.dataSource.manager.update(ApiToken, { id, revokedAt: IsNull() }, { revokedAt: at });
  }
}
