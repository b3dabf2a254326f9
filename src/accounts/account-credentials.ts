import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import type { Credentials } from '../auth/credentials';
import { TokensService } from './tokens.service';
import { WebSessionsService } from './web-sessions.service';

/** What the guard needs to know of accounts (auth/credentials.ts), from its tokens and sessions. */
@Injectable()
export class AccountCredentials implements Credentials {
  constructor(
    private readonly tokens: TokensService,
    private readonly sessions: WebSessionsService,
  ) {}

  userOfToken(token: string): Promise<AuthUser | null> {
    return this.tokens.authenticate(token);
  }

  userOfSession(token: string): Promise<AuthUser | null> {
    return this.sessions.authenticate(token);
  }
}
