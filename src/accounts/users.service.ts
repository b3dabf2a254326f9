import { Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthUser } from '../auth/auth-user';
import { BackgroundWork } from '../common/background-work';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { type Page, pageOf, type PageQuery, pageWindow } from '../common/pagination';
import { isUniqueViolation } from '../database/unique-violation';
import { AccountEmails } from './account-emails';
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
    private readonly emails: AccountEmails,
    private readonly background: BackgroundWork,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Every coalition of the instance, by name: for the operator's command line, which serves them all. */
  listCoalitions(): Promise<Coalition[]> {
    return this.accounts.listCoalitions();
  }

  /**
   * Creates a user in the named coalition, creating the coalition if it is new (the command line's
   * way to set up the first admin). Both rows commit together or not at all. The instance's
   * operator sees every coalition, so an address that already signs in anywhere is refused.
   */
  async createWithCoalition(input: CreateUserDto, coalitionName: string): Promise<{ user: User; coalition: Coalition; coalitionCreated: boolean }> {
    const passwordHash = await hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      let coalition = await this.accounts.findCoalitionByName(coalitionName, manager);
      if (
        (await this.accounts.findAccountBySignInEmail(input.email, manager)) ||
        (coalition && (await this.accounts.findUserInCoalitionByEmail(coalition.id, input.email, manager)))
      ) {
        throw emailTaken(input.email);
      }
      const coalitionCreated = !coalition;
      coalition ??= await this.accounts.insertCoalition(coalitionName, manager);
      const email = input.email.toLowerCase();
      const user = await this.accounts.saveUser(
        manager.create(User, { coalitionId: coalition.id, email, signInEmail: email, name: input.name, role: input.role, passwordHash }),
        manager,
      );
      // From the command line: no actor.
      await this.audit.record({
        coalitionId: coalition.id, actor: null, entity: 'user', entityId: user.id, action: 'created', at: this.clock.now(),
        after: { email: user.email, name: user.name, role: user.role, active: user.active },
      }, manager);
      return { user, coalition, coalitionCreated };
    });
  }

  /**
   * An admin adds a person with a password. As for invitations (AccountLinksService.invite), an
   * address that already signs in to another coalition's account is answered and listed exactly
   * as a new one, so the coalition learns nothing about the other: the row is made, but it never
   * signs in (no signInEmail), and the address is told by email, after the answer. Only this
   * coalition's own duplicate is refused.
   */
  async create(auth: AuthUser, input: CreateUserDto): Promise<UserResponse> {
    const passwordHash = await hash(input.password);
    const attempt = () => this.dataSource.transaction(async (manager) => {
      if (await this.accounts.findUserInCoalitionByEmail(auth.coalitionId, input.email, manager)) throw emailTaken(input.email);
      const account = await this.accounts.findAccountBySignInEmail(input.email, manager);
      const email = input.email.toLowerCase();
      const created = await this.accounts.saveUser(
        manager.create(User, { coalitionId: auth.coalitionId, email, signInEmail: account ? null : email, name: input.name, role: input.role, passwordHash }),
        manager,
      );
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'user', entityId: created.id, action: 'created', at: this.clock.now(),
        after: { email: created.email, name: created.name, role: created.role, active: created.active },
      }, manager);
      return { user: created, account };
    });
    // Another coalition (or this one) adding the same new address at the same moment commits first
    // and this insert meets its unique index: once more, the address is then seen for what it is now.
    const { user, account } = await attempt().catch((error: unknown) => {
      if (isUniqueViolation(error)) return attempt();
      throw error;
    });
    // After the answer, and never a 502: a new address gets no email here, so nothing may differ.
    if (account) this.background.run(`the existing-account notice for user ${user.id}`, () => this.emails.sendExistingAccountNotice(account, user, auth.name));
    return mapUser(user);
  }

  async me(auth: AuthUser): Promise<MeResponse> {
    const [user, coalition] = await Promise.all([
      this.accounts.findUserInCoalition(auth.coalitionId, auth.id),
      this.accounts.findCoalitionById(auth.coalitionId),
    ]);
    if (!user || !coalition) throw notFound('User', auth.id);
    return mapMe(user, coalition);
  }

  /** Every person of the coalition (the pages' owner and assignee lists). */
  async list(auth: AuthUser): Promise<UserResponse[]> {
    return (await this.accounts.listUsersInCoalition(auth.coalitionId)).map(mapUser);
  }

  /** GET /users: a page of the same list. */
  async listPage(auth: AuthUser, query: PageQuery): Promise<Page<UserResponse>> {
    const { rows, total } = await this.accounts.pageUsersInCoalition(auth.coalitionId, pageWindow(query));
    return pageOf(rows, total, query, mapUser);
  }

  async update(auth: AuthUser, id: number, input: UpdateUserDto): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.findUserInCoalition(auth.coalitionId, id, manager);
      if (!user) throw notFound('User', id);
      if (user.id === auth.id && (input.active === false || (input.role && input.role !== 'admin'))) {
        throw conflict('You cannot deactivate yourself or remove your own admin role; ask another admin', { field: 'role/active' });
      }
      const before = { name: user.name, role: user.role, active: user.active };
      Object.assign(user, input);
      await this.audit.recordChanges(
        { coalitionId: auth.coalitionId, actor: auth, entity: 'user', entityId: user.id, action: 'updated', at: this.clock.now() },
        before, { name: user.name, role: user.role, active: user.active }, manager,
      );
      // A deactivated person is signed out of every browser at once, not when the session expires.
      if (input.active === false) await this.sessions.deleteSessionsOfUser(user.id, manager);
      return mapUser(await this.accounts.saveUser(user, manager));
    });
  }

  /**
   * For the command line: the account that signs in with this address, or else (an invitation not
   * accepted yet) the first row made for it.
   */
  async findByEmail(email: string): Promise<User | null> {
    return (await this.accounts.findAccountBySignInEmail(email)) ?? this.accounts.findFirstUserByEmail(email);
  }

  /** An active user by id (the calendar feed's owner, named by a signed link rather than a sign-in). */
  findActive(id: number): Promise<User | null> {
    return this.accounts.findActiveUser(id);
  }

  /** The version of the person's calendar feed URL (raised to make the old URL stop working). */
  async calendarTokenVersion(auth: AuthUser): Promise<number> {
    return (await this.accounts.findUserInCoalition(auth.coalitionId, auth.id))?.calendarTokenVersion ?? 0;
  }

  raiseCalendarTokenVersion(auth: AuthUser): Promise<void> {
    return this.accounts.raiseCalendarTokenVersion(auth.id);
  }
}

export function emailTaken(email: string) {
  return conflict(`A user with the email ${email.toLowerCase()} already exists`, { field: 'email' });
}
