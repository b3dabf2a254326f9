import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import type { DatabaseConfig } from '../../config/database.config';
import { CliError } from './cli-error';

/** Pages copied per step while nobody else writes: small enough for a smooth progress bar. */
const PAGES_PER_STEP = 1000;
/**
 * SQLite restarts an online backup when another connection (the running service) writes between
 * two steps. After this many restarts the rest is copied in one step, i.e. one read transaction:
 * a consistent snapshot that never restarts (in WAL mode it does not block the writers either).
 */
const RESTARTS_BEFORE_ONE_STEP = 3;
/** Below this size the copy takes a moment: no progress lines when not on a terminal. */
const PROGRESS_LINES_FROM_BYTES = 64 * 1024 * 1024;

/** Tables counted in the copy, as the person restoring would name them. */
const COUNTED = [
  ['coalitions', 'coalition'],
  ['users', 'app_user'],
  ['review cycles', 'review_cycle'],
  ['recommendations', 'recommendation'],
  ['status changes', 'status_change'],
  ['evidence items', 'evidence'],
  ['deadlines', 'deadline'],
  ['notifications', 'notification'],
] as const;

/**
 * `backup --out FILE [--force]`: an online copy of the SQLite database, taken while the service may
 * be running. Unlike every other command it does not boot the application: booting runs pending
 * migrations, and a backup taken before an upgrade must be of the database as it was.
 */
export function registerBackupCommand(program: Command, databaseConfig: () => DatabaseConfig, print: (line: string) => void): void {
  program
    .command('backup')
    .description('Copy the SQLite database to a file while the service may be running, and check the copy (PostgreSQL: explains pg_dump)')
    .requiredOption('--out <file>', 'the file to write; an existing file is kept unless --force')
    .option('--force', 'replace --out if it exists', false)
    .action(async (options: { out: string; force: boolean }) => {
      const database = databaseConfig();
      const out = resolve(options.out);
      if (database.type === 'postgres') throw new CliError(postgresInstructions(database, out));
      if (database.path === ':memory:') throw new CliError('DATABASE_URL names an in-memory database: there is nothing on disk to back up');
      if (!existsSync(database.path)) throw new CliError(`the database file ${database.path} does not exist (DATABASE_URL=sqlite:…): nothing to back up`);
      if (out === database.path) throw new CliError('--out: that is the database itself; name another file');
      if (!existsSync(dirname(out))) throw new CliError(`--out: the folder ${dirname(out)} does not exist`);
      if (existsSync(out) && !options.force) throw new CliError(`--out: ${out} already exists; add --force to replace it`);

      // Written beside the target and renamed into place: a failed run never leaves half a backup under the name asked for.
      const temporary = `${out}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await copyOnline(database.path, temporary);
        const check = inspect(temporary);
        if (check.integrity !== 'ok') throw new CliError(`the copy failed its integrity check (${check.integrity}); ${out} was not written`);
        await rename(temporary, out);
        const { size } = await stat(out);
        print(`Backed up ${database.path} to ${out} (${formatBytes(size)}).`);
        print(check.counts.length > 0
          ? `It holds ${check.counts.map(([label, n]) => `${n.toLocaleString('en-US')} ${label}`).join(', ')}.`
          : 'It holds none of the tables of upr-followup: is DATABASE_URL the right file?');
        print('Evidence files are not in it: copy the folder DATA_DIR/evidence as well (see docs/operations.md).');
      } finally {
        await rm(temporary, { force: true });
      }
    });
}

/** better-sqlite3's online backup (the SQLite backup API), with progress on a terminal or for large files. */
async function copyOnline(source: string, target: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  const totalBytes = (await stat(source)).size;
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'backing up [{bar}] {percentage}% | {value}/{total} pages', stream: process.stderr }) : undefined;
  let restarts = 0;
  let lastRemaining = Number.POSITIVE_INFINITY;
  let lastTenth = -1;
  try {
    await db.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > lastRemaining) restarts += 1;
        lastRemaining = remainingPages;
        const done = totalPages - remainingPages;
        if (bar) {
          if (bar.getTotal() !== totalPages) bar.start(totalPages, done);
          bar.update(done);
        } else if (totalBytes >= PROGRESS_LINES_FROM_BYTES) {
          const tenth = Math.floor((done / Math.max(1, totalPages)) * 10);
          if (tenth !== lastTenth) process.stderr.write(`backing up: ${tenth * 10}% (${done}/${totalPages} pages)\n`);
          lastTenth = tenth;
        }
        return restarts >= RESTARTS_BEFORE_ONE_STEP ? Math.max(remainingPages, 1) : PAGES_PER_STEP;
      },
    });
  } finally {
    bar?.stop();
    db.close();
  }
}

/** Opens the copy on its own: it must pass SQLite's check and answer the counts. */
function inspect(file: string): { integrity: string; counts: [string, number][] } {
  // Not read-only: the copy carries the WAL flag of its source, and SQLite wants to make the WAL index.
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check).join('; ');
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name));
    const counts = COUNTED.filter(([, table]) => tables.has(table))
      .map(([label, table]): [string, number] => [label, (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n]);
    return { integrity, counts };
  } finally {
    db.close();
  }
}

/** PostgreSQL is backed up with its own tools; the exact commands, without printing any password. */
function postgresInstructions(database: Extract<DatabaseConfig, { type: 'postgres' }>, out: string): string {
  const schema = database.schema ? ` --schema=${database.schema}` : '';
  return [
    'DATABASE_URL names PostgreSQL: this command copies SQLite files only. Back up PostgreSQL with pg_dump',
    '(online and consistent while the service runs; use a pg_dump at least as new as the server):',
    '',
    `  pg_dump --format=custom --no-owner${schema} --file=${out} "$DATABASE_URL"`,
    '',
    'and restore into an empty database (or schema) with:',
    '',
    `  pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" ${out}`,
    '',
    'then start the service on it. Evidence files live in DATA_DIR/evidence: copy that folder too. See docs/operations.md.',
  ].join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
