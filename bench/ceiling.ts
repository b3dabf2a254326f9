import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { RANDOM_ID, Statement } from './scenarios';
import { Percentiles, percentiles } from './stats';

/** Runs one statement straight on the database driver, bypassing the application. */
export interface Executor {
  /** e.g. "SQLite 3.53.2", for the report. */
  version: string;
  /** Returns nothing when the driver is synchronous, so no promise is awaited per statement. */
  execute(statement: Statement, params: unknown[]): void | Promise<unknown>;
  close(): Promise<void>;
}

/** better-sqlite3 on the benchmark's database file, read-only, one prepared statement per SQL text. */
export function sqliteExecutor(file: string): Executor {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const prepared = new Map<string, Database.Statement>();
  const { version } = db.prepare('SELECT sqlite_version() AS version').get() as { version: string };
  return {
    version: `SQLite ${version}`,
    execute(statement, params) {
      let stmt = prepared.get(statement.sql);
      if (!stmt) prepared.set(statement.sql, (stmt = db.prepare(statement.sql)));
      if (statement.mode === 'all') stmt.all(...params);
      else stmt.get(...params);
    },
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
      let name = names.get(statement.sql);
      if (!name) names.set(statement.sql, (name = `bench_${names.size}`));
      return client.query({ name, text: statement.sql, values: params });
    },
    close: () => client.end(),
  };
}

/**
 * Times one scenario's statements together, as one request would run them, over many iterations
 * (at most `seconds`, at least a few dozen), after a short warm-up.
 */
export async function measureCeiling(executor: Executor, statements: Statement[], randomId: () => number, seconds: number): Promise<Percentiles> {
  const once = async () => {
    const id = randomId();
    for (const statement of statements) {
      const pending = executor.execute(statement, statement.params.map((p) => (p === RANDOM_ID ? id : p)));
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
