import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * First key of the PostgreSQL advisory lock taken around migrations ("UPRF"). The second key is a
 * hash of the schema, so instances on different schemas of one database (the test suites) do not
 * wait on each other; instances on the same schema always do.
 */
export const MIGRATION_LOCK_KEY = 0x55505246;
/** How often a waiting instance tries the lock again. */
const RETRY_MS = 100;

/** A lock that is released by the database or the operating system if its holder dies. */
interface MigrationLock {
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Runs the pending migrations under a cross-process lock, so several instances started at the
 * same moment on one fresh database apply each migration exactly once. TypeORM 1.x takes no lock
 * of its own: each instance reads the list of applied migrations, then applies what it thinks is
 * missing, and two of them race on the same CREATE TABLE. Under the lock the second instance
 * finds nothing pending.
 */
export async function runMigrationsUnderLock(dataSource: DataSource, logger = new Logger('Migrations')): Promise<void> {
  const lock = await openLock(dataSource);
  if (!lock) {
    await dataSource.runMigrations(); // an in-memory SQLite database: only this process can see it
    return;
  }
  try {
    let waiting = false;
    while (!(await lock.tryAcquire())) {
      if (!waiting) logger.log('Another instance is running the migrations; waiting for it to finish');
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    const applied = await dataSource.runMigrations();
    if (applied.length > 0) logger.log(`Applied ${applied.length} migrations: ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await lock.release();
  }
}

async function openLock(dataSource: DataSource): Promise<MigrationLock | null> {
  if (dataSource.options.type === 'postgres') return postgresLock(dataSource);
  const path = String(dataSource.options.database);
  return path === ':memory:' ? null : sqliteLock(`${path}.migration-lock`);
}

/**
 * pg_try_advisory_lock on one connection held for the whole run (the lock belongs to the session;
 * migrations themselves run on other connections of the pool). A crashed holder's session ends
 * and PostgreSQL drops its lock.
 */
async function postgresLock(dataSource: DataSource): Promise<MigrationLock> {
  const runner: QueryRunner = dataSource.createQueryRunner();
  await runner.connect();
  const keys = `${MIGRATION_LOCK_KEY}, hashtext(coalesce(current_schema(), ''))`;
  let held = false;
  return {
    async tryAcquire() {
      const [row] = await runner.query(`SELECT pg_try_advisory_lock(${keys}) AS locked`) as { locked: boolean }[];
      held = row.locked;
      return held;
    },
    async release() {
      try {
        if (held) await runner.query(`SELECT pg_advisory_unlock(${keys})`);
      } finally {
        await runner.release();
      }
    },
  };
}

/**
 * SQLite's own write lock does not cover TypeORM's read-then-apply sequence (the list of applied
 * migrations is read outside the migration's transaction), so the lock is an exclusive transaction
 * on a small companion file next to the database. The operating system releases the file lock if
 * the process dies. A separate file, because holding a write transaction on the database itself
 * would block the migrations too.
 */
function sqliteLock(lockPath: string): MigrationLock {
  // timeout 0: never block the event loop inside better-sqlite3; the caller polls.
  const db = new Database(lockPath, { timeout: 0 });
  return {
    async tryAcquire() {
      try {
        db.exec('BEGIN EXCLUSIVE');
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
        throw error;
      }
    },
    async release() {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    },
  };
}
