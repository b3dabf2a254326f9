import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'upr_';

/** 32 random bytes: guessing one is hopeless, so a fast hash is enough to store it. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
