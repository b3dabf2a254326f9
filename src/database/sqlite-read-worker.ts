import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Query-only connections to the SQLite file, each in a worker thread, for long reads (the cycle
 * report's list: about a second of SQLite's CPU at 100,000 recommendations). On the application's
 * own connection such a read holds the event loop for all of it, every other request waiting, and
 * uses one core of two; here it runs beside the event loop, which meanwhile counts the report's
 * figures and sends what is ready. WAL mode (data-source-options.ts) lets them read while the
 * application writes; each statement sees the last commit, as on the main connection.
 *
 * Up to `threads` workers (by default two, or one on a single core): a statement goes to the one
 * with the least work queued, so a reader that asks for several chunks at once has two of them
 * read at the same time, on two cores (the report's list is SQLite's CPU, not the event loop's:
 * profiled, the main thread idles through most of it). Each worker runs its statements one at a
 * time, in the order sent; answers from different workers may come in any order.
 *
 * The worker's code is a plain script (not a compiled module), so that it runs the same from
 * dist/ and from the TypeScript sources the tests load.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.timeoutMs });
db.pragma('query_only = ON');
const statements = new Map();
const plucked = new Map();
parentPort.on('message', ({ id, sql, params, join }) => {
  try {
    if (typeof join === 'string') {
      let statement = plucked.get(sql);
      if (!statement) plucked.set(sql, (statement = db.prepare(sql).pluck()));
      parentPort.postMessage({ id, rows: statement.all(...params).join(join) });
      return;
    }
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    parentPort.postMessage({ id, rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface Pending {
  worker: Worker;
  resolve: (rows: unknown) => void;
  reject: (error: Error) => void;
}

export class SqliteReadWorker {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly file: string,
    private readonly timeoutMs: number,
    private readonly threads = Math.min(2, availableParallelism()),
  ) {}

  /** Runs one SELECT in a worker; its rows come back as better-sqlite3 gives them. */
  query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.send<T[]>({ sql, params });
  }

  /**
   * Runs one SELECT of one column in a worker and answers its values joined with `separator`, as one
   * string: handing over one string is a copy, where thousands of row objects were each cloned (at
   * 100,000 rows of the report's list: half a second of CPU more, in both threads).
   */
  queryJoined(sql: string, params: unknown[], separator: string): Promise<string> {
    return this.send<string>({ sql, params, join: separator });
  }

  private send<T>(message: { sql: string; params: unknown[]; join?: string }): Promise<T> {
    const worker = this.leastBusy();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { worker, resolve: resolve as (rows: unknown) => void, reject });
      // Busy, it keeps the process alive (a command-line report waits on it alone); idle, it must not.
      worker.ref();
      worker.postMessage({ id, ...message });
    });
  }

  /** How many worker threads are running now. */
  get threadCount(): number {
    return this.workers.length;
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** An idle worker, a new one while there are fewer than `threads`, else the one with the fewest statements waiting. */
  private leastBusy(): Worker {
    let best: Worker | null = null;
    let bestLoad = Infinity;
    for (const worker of this.workers) {
      const load = this.waitingOn(worker);
      if (load < bestLoad) [best, bestLoad] = [worker, load];
    }
    if (best && (bestLoad === 0 || this.workers.length >= this.threads)) return best;
    return this.start();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.file, timeoutMs: this.timeoutMs },
    });
    worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.waitingOn(worker) === 0) worker.unref();
      if (!waiting) return;
      if (error !== undefined) waiting.reject(new Error(error));
      else waiting.resolve(rows);
    });
    // A worker that failed or ended answers nothing more: what waits on it fails, and it leaves the pool (the next query starts another).
    const fail = (error: Error) => {
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers.splice(index, 1);
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue;
        this.pending.delete(id);
        waiting.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite read worker exited (code ${code})`)));
    this.workers.push(worker);
    return worker;
  }

  private waitingOn(worker: Worker): number {
    let count = 0;
    for (const waiting of this.pending.values()) if (waiting.worker === worker) count++;
    return count;
  }
}
