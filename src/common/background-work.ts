import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';

/**
 * Work that must not make the answer wait, nor change it: it starts once the current request's
 * answer has been written (setImmediate runs after the synchronous `res.send`), and its failure is
 * logged, never thrown. Shutting down waits for the work under way, so it does not meet a closed
 * database or mail transport: provided by a module that imports those, its onModuleDestroy runs
 * before theirs (Nest destroys importers first).
 */
@Injectable()
export class BackgroundWork implements OnModuleDestroy {
  private readonly logger = new Logger('BackgroundWork');
  private readonly running = new Set<Promise<void>>();

  /**
   * Runs `work` after the answer. `what` names the work in the log; it must not hold what the
   * work is about (an address, a token), and neither does the log line: only the error's kind.
   */
  run(what: string, work: () => Promise<unknown>): void {
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn(`${what} failed: ${describeError(error)}`),
      )
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Once the work started so far has finished (shutting down; tests that look at what it wrote). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  onModuleDestroy(): Promise<void> {
    return this.settled();
  }
}

/**
 * The error's class and codes, without its message: a mail server's or the database's message can
 * quote the address or the values involved.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return [error.name, typeof code === 'string' ? code : null, typeof responseCode === 'number' ? `SMTP ${responseCode}` : null].filter(Boolean).join(' ');
}
