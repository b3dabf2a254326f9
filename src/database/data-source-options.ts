import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../../config/database.config';
import { MIGRATIONS } from '../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** How long a writer waits for SQLite's lock before giving up, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

interface SqliteHandle {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

/**
 * TypeORM opens every transaction with a plain, deferred BEGIN. In WAL mode a deferred transaction
 * that has read cannot become the writer once another process has committed since: SQLite answers
 * "database is locked" at once, without waiting for the busy timeout (SQLITE_BUSY_SNAPSHOT). With
 * several processes on one file (several instances, a command beside the server) that turned
 * concurrent status changes into 500s. BEGIN IMMEDIATE takes the write lock first, waiting up to
 * the busy timeout for it; within one process it changes nothing (one connection, one writer).
 */
function beginTransactionsImmediately(db: SqliteHandle): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => prepare(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql);
}

/** `entities`: the application's (src/entities.ts); a migration test may give none. */
export function buildDataSourceOptions(config: DatabaseConfig, entities: NonNullable<DataSourceOptions['entities']>): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    // Run by runMigrationsUnderLock (database.module.ts) instead, so concurrent starts apply each once.
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['error'] as ('error')[],
  };
  if (config.type === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.path,
      enableWAL: true,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      // Prepared statements kept per connection (TypeORM's default, 100, is less than the application's
      // distinct statements: the cache turned over and the hot ones were prepared again and again).
      statementCacheSize: 1000,
      // Each migration runs in its own transaction, so a failed one leaves nothing half-applied.
      migrationsTransactionMode: 'each',
      prepareDatabase: (db: SqliteHandle) => {
        // Safe with WAL (a crash can lose the last commits' durability, never consistency) and much faster.
        db.pragma('synchronous = NORMAL');
        // A checkpoint every 10,000 pages (about 40 MB of log) instead of 1,000: each checkpoint syncs the
        // file, and a page changed again and again (an index's hot leaf) is copied once per checkpoint,
        // not once per 1,000 pages. Measured: COMMIT 0.26 -> 0.20 ms on the status-change path. The log
        // is cut back to 64 MB after a checkpoint so that it does not keep its largest size for ever.
        db.pragma('wal_autocheckpoint = 10000');
        db.pragma('journal_size_limit = 67108864');
        // Deleted content is overwritten with zeros, not left in free pages for a copy of the file to
        // show: a withdrawn testimony (issue 13) must leave nothing behind. Costs writes on deletes only.
        db.pragma('secure_delete = ON');
        beginTransactionsImmediately(db);
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: config.url,
    schema: config.schema,
    migrationsTransactionMode: 'each',
    // Hand-written SQL names tables without a schema; the search path makes it find the right ones.
    extra: config.schema ? { options: `-c search_path=${config.schema}` } : undefined,
  };
}
