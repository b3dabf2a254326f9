import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app.config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { ENTITIES } from '../../src/entities';
import { copyPostgresTemplate, TEMPLATE_ENV } from './migrated-template';

/**
 * A fresh, empty database for one test file: a new SQLite file, or, when DATABASE_URL names
 * PostgreSQL, a new schema in that database (dropped afterwards). Never a mock.
 */
export interface TestDatabase {
  env: Record<string, string>;
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'upr-test-'));
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('postgres')) {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    return postgresDatabase(url, schema, dataDir);
  }
  return {
    kind: 'sqlite',
    dataDir,
    env: { DATABASE_URL: `sqlite:${join(dataDir, 'test.sqlite')}`, DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

function postgresDatabase(url: string, schema: string, dataDir: string): TestDatabase {
  return {
    kind: 'postgres',
    dataDir,
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema, DATA_DIR: dataDir },
    drop: async () => {
      const dropper = new Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA ${schema} CASCADE`);
      await dropper.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh database of its own for one test file, with every migration already applied: a copy of
 * the run's migrated template (see migrated-template.ts), as isolated as an empty one (a SQLite
 * file, or a PostgreSQL schema, of its own; dropped afterwards). Without a template (a run
 * without the globalSetup) it is an empty one, and the application migrates it on start.
 */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) return createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'upr-test-'));
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('postgres')) {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    await copyPostgresTemplate(url, template, schema);
    return postgresDatabase(url, schema, dataDir);
  }
  copyFileSync(template, join(dataDir, 'test.sqlite'));
  return {
    kind: 'sqlite',
    dataDir,
    env: { DATABASE_URL: `sqlite:${join(dataDir, 'test.sqlite')}`, DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/**
 * A connection of the test's own to a test database the application processes use: to seed it or
 * to read what they wrote. It runs no migrations (the application under test does).
 */
export async function connectTo(database: TestDatabase): Promise<DataSource> {
  return new DataSource({ ...buildDataSourceOptions(loadConfig({ ...database.env }).database, ENTITIES), migrationsRun: false }).initialize();
}
