import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { Statement } from './scenarios';
import { Percentiles, percentiles } from './stats';

/** Runs one statement straight on the database driver, bypassing the application. */
export interface Executor {
  /** e.g. "SQLite 3.53.2", for the report. */
  version: string;
  /** Returns nothing when the driver is synchronous, so no promise is awaited per statement. */
  execute(statement: Statement, params: unknown[]): void | Promise<unknown>;
  /** Rows of a query, for the benchmark's own bookkeeping (not timed). */
  rows<T>(sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * better-sqlite3 on the benchmark's database file, one prepared statement per SQL text. Writable,
 * for the status change's ceiling, with the application's settings (WAL is in the file; see
 * src/database/data-source-options.ts for the rest).
 */
export function sqliteExecutor(file: string): Executor {
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  db.pragma('synchronous = NORMAL');
  const prepared = new Map<string, Database.Statement>();
  const { version } = db.prepare('SELECT sqlite_version() AS version').get() as { version: string };
  return {
    version: `SQLite ${version}`,
    execute(statement, params) {
      let stmt = prepared.get(statement.sql);
      if (!stmt) prepared.set(statement.sql, (stmt = db.prepare(statement.sql)));
      if (statement.mode === 'all') stmt.all(...params);
      else if (statement.mode === 'get') stmt.get(...params);
      else stmt.run(...params);
    },
    rows: async <T>(sql: string, params: unknown[]) => db.prepare(sql).all(...params) as T[],
    close: async () => void db.close(),
  };
}

/** A single pg connection in the benchmark's schema; named queries are prepared once per text. */
export async function postgresExecutor(url: string, schema: string): Promise<Executor> {
  const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const names = new Map<string, string>();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  return {
    version: `PostgreSQL ${rows[0].server_version}`,
    execute(statement, params) {
      // BEGIN and COMMIT cannot be prepared.
      if (statement.params.length === 0) return client.query(statement.sql);
      let name = names.get(statement.sql);
      if (!name) names.set(statement.sql, (name = `bench_${names.size}`));
      return client.query({ name, text: statement.sql, values: params });
    },
    rows: async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[],
    close: () => client.end(),
  };
}

/**
 * Times one scenario's statements together, as one request would run them, over many iterations
 * (at most `seconds`, at least a few dozen), after a short warm-up. `draw` is called once per
 * iteration and gives the values of its slots (a random id, the next status change…).
 */
export async function measureCeiling(
  executor: Executor, statements: Statement[], draw: () => (slot: symbol) => unknown, seconds: number,
): Promise<Percentiles> {
  const once = async () => {
    const value = draw();
    for (const statement of statements) {
      const pending = executor.execute(statement, statement.params.map((p) => (typeof p === 'symbol' ? value(p) : p)));
      if (pending) await pending;
    }
  };
  for (let i = 0; i < 20; i++) await once();
  const timings: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (timings.length < 30 || (performance.now() < deadline && timings.length < 20_000)) {
    const started = performance.now();
    await once();
    timings.push(performance.now() - started);
  }
  return percentiles(timings);
}
