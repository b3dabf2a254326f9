import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';

/** Letters and digits nobody confuses when copying from a log (no I, O, 0, 1): 32 symbols, 5 bits each. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Wrong codes this process accepts per minute, from all clients together. The sign-in throttle
 * (LOGIN_ATTEMPTS_PER_MINUTE) already limits each client; this limits many clients together, so
 * guessing 40 bits stays out of reach however many addresses an attacker has. Past it, even the
 * right code waits for the minute to end (the operator can also use the command line).
 */
export const WRONG_SETUP_CODES_PER_MINUTE = 20;

export type SetupCodeCheck = 'right' | 'wrong' | 'throttled';

/**
 * The one-time setup page's code: random at each start of the process, printed in its log, held
 * only in its memory. Whoever reads the log runs the instance; whoever only reaches its address
 * cannot set it up. Each instance has its own code and accepts only its own.
 */
@Injectable()
export class SetupCode {
  /** As printed: XXXX-XXXX. */
  readonly value: string;
  private readonly digest: Buffer;
  private windowStartedAt = 0;
  private wrongInWindow = 0;

  constructor(private readonly clock: Clock) {
    const symbols = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    this.value = `${symbols.slice(0, 4)}-${symbols.slice(4)}`;
    this.digest = digestOf(this.value);
  }

  /** In constant time (equal-length digests), ignoring case, spaces and dashes as typed. */
  check(typed: string): SetupCodeCheck {
    const now = this.clock.now().getTime();
    if (now - this.windowStartedAt >= 60_000) {
      this.windowStartedAt = now;
      this.wrongInWindow = 0;
    }
    if (this.wrongInWindow >= WRONG_SETUP_CODES_PER_MINUTE) return 'throttled';
    if (timingSafeEqual(digestOf(typed), this.digest)) return 'right';
    this.wrongInWindow += 1;
    return 'wrong';
  }
}

function digestOf(code: string): Buffer {
  return createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest();
}
