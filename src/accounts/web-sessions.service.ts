import { Inject, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import type { AuthUser } from '../auth/auth-user';
import { generateToken, hashToken } from '../auth/token.util';
import { Clock } from '../common/clock';
import { AccountsRepository } from './accounts.repository';
import { WebSessionsRepository } from './web-sessions.repository';

/** Browser sign-in: a password check, then a random session token kept in an httpOnly cookie. */
@Injectable()
export class WebSessionsService {
  /** Compared against when the address is unknown, so a wrong address takes as long as a wrong password. */
  private readonly decoyHash = hash('not a password anyone has');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly accounts: AccountsRepository,
    private readonly sessions: WebSessionsRepository,
  ) {}

  /** The session token for the cookie, or null when the address, the password or the account is not usable. */
  async signIn(email: string, password: string): Promise<{ token: string; expiresAt: Date } | null> {
    const user = await this.accounts.findAccountBySignInEmail(email.trim());
    // Invited people have no password until they accept; deactivated people cannot sign in.
    const usable = user && user.active && user.passwordHash !== '';
    const matches = await verify(usable ? user.passwordHash : await this.decoyHash, password).catch(() => false);
    if (!usable || !matches) return null;
    return this.startSession(user.id);
  }

  /** A new session for a person whose identity is already proven (password, or a link from an email). */
  async startSession(userId: number): Promise<{ token: string; expiresAt: Date }> {
    const token = generateToken();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.http.sessionDays * 24 * 3600_000);
    await this.sessions.insertSession(userId, hashToken(token), expiresAt);
    return { token, expiresAt };
  }

  authenticate(token: string): Promise<AuthUser | null> {
    return this.sessions.findSessionUser(hashToken(token), this.clock.now());
  }

  async signOut(token: string): Promise<void> {
    await this.sessions.deleteSession(hashToken(token));
  }
}
