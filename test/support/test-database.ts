import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app.config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { ENTITIES } from '../../src/entities';

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
