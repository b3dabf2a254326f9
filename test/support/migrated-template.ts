import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app.config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { ENTITIES } from '../../src/entities';

/**
 * Where the run's migrated template is, for the workers (globalSetup's process.env is theirs):
 * a SQLite file, or (PostgreSQL) a file with the schema's name and pg_dump's script of it.
 */
export const TEMPLATE_ENV = 'UPR_TEST_TEMPLATE';
/** The process that made the template, and removes it at the end. */
const TEMPLATE_OWNER_ENV = 'UPR_TEST_TEMPLATE_OWNER';

/** The PostgreSQL template: the schema's name in the script, and the script (read once per worker). */
let postgresTemplate: { schema: string; script: string } | undefined;

/**
 * Creates `schema` as a copy of the migrated template: its tables, indexes, functions, triggers and
 * rows. The script names the template's schema everywhere (in table names, and in the functions'
 * own search_path), and that name is random enough to be replaced as a word.
 */
export async function copyPostgresTemplate(url: string, file: string, schema: string): Promise<void> {
  postgresTemplate ??= JSON.parse(readFileSync(file, 'utf8')) as { schema: string; script: string };
  const script = postgresTemplate.script.replace(new RegExp(`\\b${postgresTemplate.schema}\\b`, 'g'), schema);
  await onServer(url, `BEGIN;\n${script}\nCOMMIT;`);
}

/**
 * Migrates one database from empty, once per test run, for the suites to copy: running all the
 * migrations again for every application a suite boots cost a few hundred milliseconds per boot on
 * SQLite and seconds on PostgreSQL (each migration its own transaction, thirty-odd commits). A copy
 * is the database the migrations made (SQLite: the file; PostgreSQL: the schema through pg_dump's
 * script of it, as a backup restores it), a new one per suite, dropped afterwards. The migrations
 * still run from empty here, and in every suite that asks for an empty database
 * (test/schema.e2e-spec.ts, which also compares a copy with a freshly migrated database, the
 * migration suites, several instances starting together); the application's start on a copy
 * checks them and finds none pending.
 */
export async function createMigratedTemplate(): Promise<void> {
  // A test run started by a test (test/prerequisites.e2e-spec.ts) uses its parent's template.
  const inherited = process.env[TEMPLATE_ENV];
  if (inherited && existsSync(inherited)) return;
  process.env[TEMPLATE_OWNER_ENV] = String(process.pid);
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('postgres')) {
    const schema = `upr_template_${randomBytes(5).toString('hex')}`;
    await onServer(url, `CREATE SCHEMA ${schema}`);
    try {
      await migrate({ DATABASE_URL: url, DATABASE_SCHEMA: schema });
      // pg_dump's script of the migrated schema, rows included (the seeded vocabularies, the
      // migrations table), replayed under a new name in one transaction per suite: a fraction of a
      // second, where the migrations take seconds (each its own transaction).
      const script = execFileSync('pg_dump', ['--schema', schema, '--inserts', '--rows-per-insert=1000', '--no-owner', '--no-privileges', url], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
        // psql's meta-commands (pg_dump 15.14 and later), which the server does not know.
        .replace(/^\\(un)?restrict .*$/gm, '');
      const file = join(mkdtempSync(join(tmpdir(), 'upr-template-')), 'template.sql');
      writeFileSync(file, JSON.stringify({ schema, script }));
      process.env[TEMPLATE_ENV] = file;
    } finally {
      await onServer(url, `DROP SCHEMA ${schema} CASCADE`);
    }
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'upr-template-'));
  const file = join(dir, 'template.sqlite');
  await migrate({ DATABASE_URL: `sqlite:${file}` });
  // Closing the last connection checkpoints the write-ahead log into the file and deletes it: the
  // file alone is then the whole database, safe to copy.
  if (existsSync(`${file}-wal`)) throw new Error(`the template ${file} still has a write-ahead log after closing`);
  process.env[TEMPLATE_ENV] = file;
}

export async function dropMigratedTemplate(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (!template || process.env[TEMPLATE_OWNER_ENV] !== String(process.pid)) return;
  rmSync(join(template, '..'), { recursive: true, force: true });
}

export async function onServer(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function migrate(env: Record<string, string>): Promise<void> {
  const dataSource = new DataSource(buildDataSourceOptions(loadConfig({ ...env, DATA_DIR: tmpdir() }).database, ENTITIES));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
