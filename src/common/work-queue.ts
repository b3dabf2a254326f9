import { performance } from 'node:perf_hooks';
import { RetryLaterException } from './retry-later.exception';

export interface WorkQueueOptions {
  /** What is being limited, for messages: "PDF reports". */
  name: string;
  /** What the running ones are doing, for messages: "printing". */
  doing: string;
  /** The settings behind the bounds, for messages: "PDF_CONCURRENCY=2, PDF_QUEUE_MAX=8". */
  settings: string;
  /** At most this many run at once. */
  concurrency: number;
  /** At most this many wait for a turn; one more is refused at once with 503. 0: never wait. */
  maxQueued: number;
  /** A wait longer than this ends in 503: the caller has likely given up by then anyway. */
  maxWaitMs: number;
  /** How long one turn is expected to take before any has been measured (for Retry-After). */
  expectedTurnMs: number;
  /** Appended to the refusal, e.g. what else to ask for. */
  hint?: string;
}

/** Hands back a turn; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  grant(release: Release): void;
  timer: NodeJS.Timeout;
}

/**
 * A bounded first-in-first-out queue in front of costly work: at most `concurrency` turns are held
 * at once, at most `maxQueued` callers wait, and anyone beyond is refused with a 503 whose
 * Retry-After is the measured time for the queue to move on. Per process: each instance bounds its
 * own memory and CPU.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  /** Moving average of how long a turn is held, in milliseconds. */
  private averageTurnMs: number;

  constructor(private readonly options: WorkQueueOptions) {
    this.averageTurnMs = options.expectedTurnMs;
  }

  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** A turn, at once or after the ones ahead; refused (503, Retry-After) when the queue is full or the wait too long. */
  acquire(): Promise<Release> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.options.maxQueued) return Promise.reject(this.full());
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(this.waitedTooLong());
        }, this.options.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private releaser(): Release {
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.averageTurnMs = 0.8 * this.averageTurnMs + 0.2 * (performance.now() - started);
      const next = this.waiting.shift();
      if (!next) {
        this.running -= 1;
        return;
      }
      // The turn passes straight to the next in line: `running` stays the same.
      clearTimeout(next.timer);
      next.grant(this.releaser());
    };
  }

  /** Seconds until everyone now running or waiting has had a turn, at the measured pace; at least 1. */
  private retryAfterSeconds(): number {
    const rounds = (this.running + this.waiting.length) / this.options.concurrency;
    return Math.max(1, Math.ceil((rounds * this.averageTurnMs) / 1000));
  }

  private full(): RetryLaterException {
    const seconds = this.retryAfterSeconds();
    return new RetryLaterException(seconds,
      `Too many ${this.options.name} at once: ${this.running} ${this.options.doing} and ${this.waiting.length} waiting, the most this server takes ` +
      `(${this.options.settings}). Try again in ${seconds} s${this.options.hint ? `, ${this.options.hint}` : ''}.`,
      { running: this.running, waiting: this.waiting.length });
  }

  private waitedTooLong(): RetryLaterException {
    const seconds = this.retryAfterSeconds();
    return new RetryLaterException(seconds,
      `This request waited ${Math.round(this.options.maxWaitMs / 1000)} s for its turn among the ${this.options.name} and did not get one ` +
      `(${this.options.settings}). Try again in ${seconds} s${this.options.hint ? `, ${this.options.hint}` : ''}.`,
      { running: this.running, waiting: this.waiting.length });
  }
}
