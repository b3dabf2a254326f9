import { BadGatewayException, Injectable, Logger, UnprocessableEntityException } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthUser } from '../auth/auth-user';
import { generateToken, hashToken } from '../auth/token.util';
import { BackgroundWork, describeError } from '../common/background-work';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { isUniqueViolation } from '../database/unique-violation';
import type { AccountLink, AccountLinkPurpose } from './account-link.entity';
import { AccountEmails } from './account-emails';
import { InvitationResponse, InviteUserDto, PersonRow, SetPasswordDto } from './account-links.dto';
import { AccountLinksRepository } from './account-links.repository';
import { mapUser } from './accounts.dto';
import { AccountsRepository } from './accounts.repository';
import { User } from './user.entity';
import { emailTaken } from './users.service';
import { WebSessionsRepository } from './web-sessions.repository';
import { WebSessionsService } from './web-sessions.service';

const INVITATION_TTL_MS = 7 * 24 * 3600_000;
const PASSWORD_RESET_TTL_MS = 3600_000;

/**
 * Why a link cannot be used, in the words the page shows. `taken`: an invitation to an address that
 * has meanwhile become another coalition's account (an address signs in to one account only).
 */
export type LinkProblem = 'unknown' | 'expired' | 'used' | 'taken';

export type LinkCheck = { ok: true; user: User; link: AccountLink } | { ok: false; problem: LinkProblem };

/**
 * One-time links sent by email: invitations (an admin adds a person, who chooses their first
 * password) and password resets. Only a token's SHA-256 is stored; each link works once and
 * until it expires. Emails go out after the transaction commits, never for a rolled-back one.
 */
@Injectable()
export class AccountLinksService {
  private readonly logger = new Logger('AccountLinksService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly accounts: AccountsRepository,
    private readonly links: AccountLinksRepository,
    private readonly sessions: WebSessionsRepository,
    private readonly webSessions: WebSessionsService,
    private readonly emails: AccountEmails,
    private readonly background: BackgroundWork,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Adds a person who cannot sign in yet (no password) and emails them a link to choose one.
   * If the email cannot be sent the person stays invited and the admin is told to resend (502).
   *
   * An address that already signs in to another coalition's account gets the same row, answer and
   * listing in this coalition (an invited person who has not accepted), so the coalition learns
   * nothing about the other one; the email to the address says what happened instead of carrying a
   * link, and the row never signs in. Only this coalition's own duplicate is refused.
   */
  async invite(auth: AuthUser, input: InviteUserDto): Promise<InvitationResponse> {
    const { user, link, email } = await this.dataSource.transaction(async (manager) => {
      if (await this.accounts.findUserInCoalitionByEmail(auth.coalitionId, input.email, manager)) throw emailTaken(input.email);
      const account = await this.accounts.findAccountBySignInEmail(input.email, manager);
      const created = await this.accounts.saveUser(
        manager.create(User, {
          coalitionId: auth.coalitionId, email: input.email.toLowerCase(), signInEmail: null, name: input.name, role: input.role, passwordHash: '',
          ...(input.language ? { language: input.language } : {}),
        }),
        manager,
      );
      // A link is issued either way: its expiry is what the People page shows for a pending invitation.
      const issued = await this.issue(created.id, 'invitation', manager);
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'user', entityId: created.id, action: 'invited', at: this.clock.now(),
        after: { email: created.email, name: created.name, role: created.role, invitationExpiresAt: issued.link.expiresAt.toISOString() },
      }, manager);
      return { user: created, link: issued.link, email: await this.queueInvitation(created, account, issued, auth.name, manager) };
    });
    await this.sendOrExplain(user, email);
    return { user: mapUser(user), expiresAt: link.expiresAt.toISOString() };
  }

  /** A new invitation link for someone who has not accepted yet; the links sent before stop working. */
  async resendInvitation(auth: AuthUser, userId: number): Promise<InvitationResponse> {
    const { user, link, email } = await this.dataSource.transaction(async (manager) => {
      const found = await this.accounts.findUserInCoalition(auth.coalitionId, userId, manager);
      if (!found) throw notFound('User', userId);
      if (found.passwordHash !== '') throw conflict(`${found.email} has already accepted the invitation and chosen a password`, { field: 'userId' });
      if (!found.active) throw conflict(`${found.email} is deactivated; reactivate them before resending the invitation`, { field: 'userId' });
      const account = await this.accounts.findAccountBySignInEmail(found.email, manager);
      const issued = await this.issue(found.id, 'invitation', manager);
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'user', entityId: found.id, action: 'invitation_resent', at: this.clock.now(),
        after: { invitationExpiresAt: issued.link.expiresAt.toISOString() },
      }, manager);
      return { user: found, link: issued.link, email: await this.queueInvitation(found, account, issued, auth.name, manager) };
    });
    await this.sendOrExplain(user, email);
    return { user: mapUser(user), expiresAt: link.expiresAt.toISOString() };
  }

  /**
   * Emails a reset link if the address signs in to an active account. Returns before anything is
   * looked up or written: the work runs after the answer (BackgroundWork), so the answer is the
   * same, and takes as long, whether or not the address has an account. A failure is logged
   * without the address or the link.
   */
  requestPasswordReset(email: string): void {
    this.background.run('a password reset request', () => this.issuePasswordReset(email.trim()));
  }

  private async issuePasswordReset(email: string): Promise<void> {
    const user = await this.accounts.findAccountBySignInEmail(email);
    if (!user || !user.active || user.passwordHash === '') return;
    const queued = await this.dataSource.transaction(async (manager) => {
      const { link, token } = await this.issue(user.id, 'password_reset', manager);
      return this.emails.queueLink(user, link, token, undefined, manager);
    });
    await this.emails.deliver(queued);
  }

  /** Whether a link from an email can still be used (the page shows the form, or why not). */
  async check(purpose: AccountLinkPurpose, token: string, manager: EntityManager = this.dataSource.manager): Promise<LinkCheck> {
    if (typeof token !== 'string' || token.length > 200) return { ok: false, problem: 'unknown' };
    const link = await this.links.findLinkByTokenHash(hashToken(token), purpose, manager);
    if (!link) return { ok: false, problem: 'unknown' };
    if (link.usedAt) return { ok: false, problem: 'used' };
    if (link.expiresAt.getTime() <= this.clock.now().getTime()) return { ok: false, problem: 'expired' };
    const user = await manager.findOneBy(User, { id: link.userId });
    // A deactivated person's links are as good as gone.
    if (!user || !user.active) return { ok: false, problem: 'unknown' };
    // Only the person behind the address has this link, so telling them is no leak.
    if (purpose === 'invitation' && (await this.accounts.findAccountBySignInEmail(user.email, manager))) return { ok: false, problem: 'taken' };
    return { ok: true, user, link };
  }

  /**
   * Sets the password chosen through a link and signs that browser in. Accepting an invitation
   * makes the address sign in to this account. A reset signs the person out of every browser and
   * revokes their API tokens first: whoever knew the old password may have made a token with it.
   * Returns the new session, or throws LinkRefused.
   */
  async usePasswordLink(purpose: AccountLinkPurpose, token: string, input: SetPasswordDto): Promise<{ token: string; expiresAt: Date; user: User }> {
    if (input.password !== input.confirmation) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'The two passwords are not the same',
        details: [{ field: 'confirmation', problem: 'confirmation must repeat the password exactly' }],
      });
    }
    const passwordHash = await hash(input.password);
    const user = await this.dataSource
      .transaction(async (manager) => {
        const checked = await this.check(purpose, token, manager);
        if (!checked.ok || !(await this.links.claimLink(checked.link.id, this.clock.now(), manager))) {
          throw new LinkRefused(checked.ok ? 'used' : checked.problem);
        }
        await this.links.spendOpenLinks(checked.user.id, purpose, this.clock.now(), manager);
        checked.user.passwordHash = passwordHash;
        if (purpose === 'invitation') checked.user.signInEmail = checked.user.email;
        if (purpose === 'password_reset') {
          await this.sessions.deleteSessionsOfUser(checked.user.id, manager);
          await this.accounts.revokeTokensOfUser(checked.user.id, this.clock.now(), manager);
        }
        return this.accounts.saveUser(checked.user, manager);
      })
      .catch((error: unknown) => {
        // Two invitations to one address accepted at the same moment: the second finds it taken.
        throw isUniqueViolation(error) ? new LinkRefused('taken') : error;
      });
    return { ...(await this.webSessions.startSession(user.id)), user };
  }

  /** The coalition's people with whether each has accepted their invitation. */
  async listPeople(auth: AuthUser): Promise<PersonRow[]> {
    const [users, invitations] = await Promise.all([
      this.accounts.listUsersInCoalition(auth.coalitionId),
      this.links.findLatestInvitationsInCoalition(auth.coalitionId),
    ]);
    const now = this.clock.now().getTime();
    return users.map((user) => {
      const pending = user.passwordHash === '';
      const invitation = pending ? invitations.get(user.id) : undefined;
      return {
        ...mapUser(user),
        pending,
        invitationExpiresAt: invitation?.expiresAt.toISOString() ?? null,
        invitationExpired: !!invitation && (invitation.usedAt !== null || invitation.expiresAt.getTime() <= now),
      };
    });
  }

  private async issue(userId: number, purpose: AccountLinkPurpose, manager: EntityManager): Promise<{ link: AccountLink; token: string }> {
    const now = this.clock.now();
    await this.links.spendOpenLinks(userId, purpose, now, manager);
    const token = generateToken();
    const ttl = purpose === 'invitation' ? INVITATION_TTL_MS : PASSWORD_RESET_TTL_MS;
    const link = await this.links.insertLink({ userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + ttl) }, manager);
    return { link, token };
  }

  /**
   * The invitation's email, or, to an address that signs in to another coalition's account, the
   * notice that says what happened (no link); its outbox key.
   */
  private queueInvitation(user: User, account: User | null, issued: { link: AccountLink; token: string }, invitedBy: string, manager: EntityManager): Promise<string> {
    return account
      ? this.emails.queueExistingAccountNotice(account, user, invitedBy, `link:${issued.link.id}`, manager)
      : this.emails.queueLink(user, issued.link, issued.token, invitedBy, manager);
  }

  /** Delivers the invitation's email now; if it fails, the same 502 whichever email it was. */
  private async sendOrExplain(user: User, email: string): Promise<void> {
    try {
      await this.emails.deliver(email);
    } catch (error) {
      this.logger.warn(`invitation email for user ${user.id} not sent: ${describeError(error)}`);
      throw new BadGatewayException({
        statusCode: 502,
        error: 'Bad Gateway',
        message: `${user.email} is invited, but the invitation email could not be sent (${String((error as Error).message).slice(0, 200)}). Resend the invitation once email works again.`,
        details: { userId: user.id, email: user.email, resend: `/api/v1/users/${user.id}/invitations` },
      });
    }
  }
}

/** A link that is unknown, expired, already used or for an address taken since; the page says which. */
export class LinkRefused extends Error {
  constructor(readonly problem: LinkProblem) {
    super(`account link refused: ${problem}`);
  }
}
