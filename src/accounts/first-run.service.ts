import { type AppLanguage, DEFAULT_LANGUAGE } from '../i18n/i18n';
import { ConflictException, HttpException, HttpStatus, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { isUniqueViolation } from '../database/unique-violation';
import { AccountsRepository } from './accounts.repository';
import { Coalition } from './coalition.entity';
import { FirstRunDto } from './first-run.dto';
import { FirstRunRepository } from './first-run.repository';
import { SetupCode } from './setup-code';
import { User } from './user.entity';
import { WebSessionsService } from './web-sessions.service';

/** A setup that lost the race to another one: said as such, not as a form error. */
export class SetupAlreadyDone extends ConflictException {
  constructor() {
    super({
      statusCode: HttpStatus.CONFLICT,
      error: 'Conflict',
      message: 'This service was set up a moment ago, from another browser or tab: only one first admin is made. Sign in with the account made there.',
    });
  }
}

/**
 * The one-time setup page (as immich and Gitea have): while no user exists, whoever has the setup
 * code from the server's log makes the first coalition and its admin, and is signed in.
 */
@Injectable()
export class FirstRunService {
  /** Once true, true for good (no user is ever deleted), so the sign-in page stops asking. */
  private setUp = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly firstRun: FirstRunRepository,
    private readonly accounts: AccountsRepository,
    private readonly sessions: WebSessionsService,
    private readonly code: SetupCode,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async isSetUp(): Promise<boolean> {
    this.setUp ||= await this.firstRun.isSetUp();
    return this.setUp;
  }

  /** The page exists only while nothing is set up: a 404 for good after. */
  async assertOpen(): Promise<void> {
    if (await this.isSetUp()) {
      throw new NotFoundException({
        statusCode: HttpStatus.NOT_FOUND,
        error: 'Not Found',
        message: 'There is nothing to set up: this service already has its accounts. Sign in, or ask an admin of your coalition to invite you.',
      });
    }
  }

  /** The line the server prints at start while setup is open, or null once it is done. */
  async startNotice(appUrl: string): Promise<string | null> {
    if (await this.isSetUp()) return null;
    return `No account exists yet: open ${appUrl.replace(/\/$/, '')}/setup and enter the setup code ${this.code.value}`;
  }

  /**
   * Checks the code, then creates the coalition, its admin and the setup row in one transaction,
   * and signs the admin in. Two setups at once: on SQLite the transactions run one after the other
   * (BEGIN IMMEDIATE) and the second finds the first's row; on PostgreSQL the second waits on the
   * first's uncommitted unique keys (coalition name, sign-in address, the setup row's id 1) and then
   * fails on one of them. Either way it is refused with SetupAlreadyDone and writes nothing.
   */
  async complete(input: FirstRunDto, language: AppLanguage = DEFAULT_LANGUAGE): Promise<{ user: User; coalition: Coalition; session: { token: string; expiresAt: Date } }> {
    // The caller found it open a moment ago (the page's own check): done since means another won.
    if (await this.isSetUp()) throw new SetupAlreadyDone();
    const checked = this.code.check(input.code);
    if (checked === 'throttled') {
      throw new HttpException(
        { statusCode: HttpStatus.TOO_MANY_REQUESTS, error: 'Too Many Requests', message: 'Too many wrong setup codes were tried in the last minute. Wait a minute, then type the code from the server\'s log again.' },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (checked === 'wrong') throw refused('code', "That is not this server's setup code. Copy it from the line \"No account exists yet\" in the log of this start of the server.");
    if (input.password !== input.confirmation) throw refused('confirmation', 'confirmation must repeat the password exactly');
    const passwordHash = await hash(input.password);
    const email = input.email.toLowerCase();
    let created: { user: User; coalition: Coalition };
    try {
      created = await this.dataSource.transaction(async (manager) => {
        if (await this.firstRun.isSetUp(manager)) throw new SetupAlreadyDone();
        const at = this.clock.now();
        const coalition = await this.accounts.insertCoalition(input.coalition, manager);
        const user = await this.accounts.saveUser(
          manager.create(User, { coalitionId: coalition.id, email, signInEmail: email, name: input.name, role: 'admin', passwordHash, language }),
          manager,
        );
        await this.firstRun.insertSetup(coalition.id, user.id, at, manager);
        // The new admin made both, through the setup page.
        const actor = { id: user.id, name: user.name };
        await this.audit.record({ coalitionId: coalition.id, actor, entity: 'coalition', entityId: coalition.id, action: 'created', at, after: { name: coalition.name, via: 'setup page' } }, manager);
        await this.audit.record({
          coalitionId: coalition.id, actor, entity: 'user', entityId: user.id, action: 'created', at,
          after: { email: user.email, name: user.name, role: user.role, active: user.active },
        }, manager);
        return { user, coalition };
      });
    } catch (error) {
      if (isUniqueViolation(error) && (await this.firstRun.isSetUp())) throw new SetupAlreadyDone();
      throw error;
    }
    this.setUp = true;
    return { ...created, session: await this.sessions.startSession(created.user.id) };
  }
}

function refused(field: string, problem: string): UnprocessableEntityException {
  return new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message: problem, details: [{ field, problem }] });
}
