import type { AuthUser } from './auth-user';

/**
 * Who an API token or a browser's session belongs to. Accounts owns tokens and sessions and provides
 * this under CREDENTIALS; the guard only asks. (Auth sits below accounts: every feature, accounts
 * included, uses its guard and decorators, so it cannot import accounts' services itself.)
 */
export interface Credentials {
  /** The active user of an unrevoked API token, or null. */
  userOfToken(token: string): Promise<AuthUser | null>;
  /** The active user of an unexpired session cookie, or null. */
  userOfSession(token: string): Promise<AuthUser | null>;
}

export const CREDENTIALS = Symbol('CREDENTIALS');
