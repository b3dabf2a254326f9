import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { generateToken, hashToken } from '../auth/token.util';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { type Page, pageOf, type PageQuery, pageWindow } from '../common/pagination';
import { mapToken, type TokenResponse } from './accounts.dto';
import { AccountsRepository } from './accounts.repository';
import { ApiToken } from './api-token.entity';

/** Writing last-used time on every request would turn every read into a write; once a minute is plenty. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class TokensService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly clock: Clock,
  ) {}

  /** Creates a token for a user; the plain token is returned only here and never stored. */
  async create(userId: number, label: string): Promise<{ token: string; record: ApiToken }> {
    const token = generateToken();
    const record = await this.accounts.insertToken({ userId, label, tokenHash: hashToken(token) });
    return { token, record };
  }

  async authenticate(token: string): Promise<AuthUser | null> {
    const record = await this.accounts.findUsableToken(hashToken(token));
    if (!record) return null;
    const now = this.clock.now();
    if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.accounts.touchToken(record.id, now);
    }
    return record.user;
  }

  /** A page of the person's own tokens, revoked ones included. */
  async list(auth: AuthUser, query: PageQuery): Promise<Page<TokenResponse>> {
    const { rows, total } = await this.accounts.pageTokensOfUser(auth.id, pageWindow(query));
    return pageOf(rows, total, query, mapToken);
  }

  async revoke(auth: AuthUser, tokenId: number): Promise<void> {
    const token = await this.accounts.findTokenOfUser(auth.id, tokenId);
    if (!token) throw notFound('Token', tokenId);
    await this.accounts.revokeToken(token.id, this.clock.now());
  }
}
