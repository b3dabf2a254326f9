import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sharedSecret } from '../database/shared-secret';

/** How long an unsubscribe link works. */
const VALID_MS = 90 * 24 * 3600_000;

export type UnsubscribeScope = 'reminders' | 'statusChanges' | 'all';

export interface UnsubscribeClaim {
  userId: number;
  scope: UnsubscribeScope;
  /** The recipient's preferences version when the link was made: once preferences change, old links are spent. */
  version: number;
  expiresAt: number;
}

/**
 * Signed, per-recipient unsubscribe tokens (HMAC-SHA256 with a key kept in the database, made on
 * first use). A forged token fails the signature, an old one its expiry, a replayed one the
 * preferences version.
 */
@Injectable()
export class UnsubscribeTokens {
  private key?: Buffer;

  constructor(private readonly dataSource: DataSource) {}

  async sign(claim: Omit<UnsubscribeClaim, 'expiresAt'>, now: Date): Promise<string> {
    const body = Buffer.from(JSON.stringify({ ...claim, expiresAt: now.getTime() + VALID_MS })).toString('base64url');
    return `${body}.${await this.mac(body)}`;
  }

  /** The claim if the token is genuine and unexpired; null otherwise (never an exception). */
  async verify(token: string, now: Date): Promise<UnsubscribeClaim | null> {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || token.length > 1000) return null;
    const expected = Buffer.from(await this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claim = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as UnsubscribeClaim;
      if (!Number.isInteger(claim.userId) || !['reminders', 'statusChanges', 'all'].includes(claim.scope) || !Number.isInteger(claim.version)) return null;
      return claim.expiresAt > now.getTime() ? claim : null;
    } catch {
      return null;
    }
  }

  private async mac(body: string): Promise<string> {
    return createHmac('sha256', await this.signingKey()).update(body).digest('base64url');
  }

  private async signingKey(): Promise<Buffer> {
    this.key ??= await sharedSecret(this.dataSource, 'unsubscribe');
    return this.key;
  }
}
