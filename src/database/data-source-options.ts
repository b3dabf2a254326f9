import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../../config/database.config';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** How long a writer waits for SQLite's lock before giving up, in milliseconds. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
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
      // Each migration runs in its own transaction, so a failed one leaves nothing half-applied.
      migrationsTransactionMode: 'each',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        // Safe with WAL (a crash can lose the last commits' durability, never consistency) and much faster.
        db.pragma('synchronous = NORMAL');
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
