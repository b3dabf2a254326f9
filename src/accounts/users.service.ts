import { Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { conflict, notFound } from '../common/errors';
import { AccountsRepository } from './accounts.repository';
import { CreateUserDto, mapMe, mapUser, MeResponse, UpdateUserDto, UserResponse } from './accounts.dto';
import { Coalition } from './coalition.entity';
import { User } from './user.entity';
import { WebSessionsRepository } from './web-sessions.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly sessions: WebSessionsRepository,
  ) {}

  /**
   * Creates a user in the named coalition, creating the coalition if it is new (the command line's
   * way to set up the first admin). Both rows commit together or not at all.
   */
  async createWithCoalition(input: CreateUserDto, coalitionName: string): Promise<{ user: User; coalition: Coalition; coalitionCreated: boolean }> {
    const passwordHash = await hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      if (await this.accounts.findUserByEmail(input.email, manager)) throw emailTaken(input.email);
      let coalition = await this.accounts.findCoalitionByName(coalitionName, manager);
      const coalitionCreated = !coalition;
      coalition ??= await this.accounts.insertCoalition(coalitionName, manager);
      const user = await this.accounts.saveUser(
        manager.create(User, { coalitionId: coalition.id, email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash }),
        manager,
      );
      return { user, coalition, coalitionCreated };
    });
  }

  async create(auth: AuthUser, input: CreateUserDto): Promise<UserResponse> {
    const passwordHash = await hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      if (await this.accounts.findUserByEmail(input.email, manager)) throw emailTaken(input.email);
      const user = await this.accounts.saveUser(
        manager.create(User, { coalitionId: auth.coalitionId, email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash }),
        manager,
      );
      return mapUser(user);
    });
  }

  async me(auth: AuthUser): Promise<MeResponse> {
    const [user, coalition] = await Promise.all([
      this.accounts.findUserInCoalition(auth.coalitionId, auth.id),
      this.accounts.findCoalitionById(auth.coalitionId),
    ]);
    if (!user || !coalition) throw notFound('User', auth.id);
    return mapMe(user, coalition);
  }

  async list(auth: AuthUser): Promise<UserResponse[]> {
    return (await this.accounts.listUsersInCoalition(auth.coalitionId)).map(mapUser);
  }

  async update(auth: AuthUser, id: number, input: UpdateUserDto): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.findUserInCoalition(auth.coalitionId, id, manager);
      if (!user) throw notFound('User', id);
      if (user.id === auth.id && (input.active === false || (input.role && input.role !== 'admin'))) {
        throw conflict('You cannot deactivate yourself or remove your own admin role; ask another admin', { field: 'role/active' });
      }
      Object.assign(user, input);
      // A deactivated person is signed out of every browser at once, not when the session expires.
      if (input.active === false) await this.sessions.deleteSessionsOfUser(user.id, manager);
      return mapUser(await this.accounts.saveUser(user, manager));
    });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.accounts.findUserByEmail(email);
  }
}

export function emailTaken(email: string) {
  return conflict(`A user with the email ${email.toLowerCase()} already exists`, { field: 'email' });
}
