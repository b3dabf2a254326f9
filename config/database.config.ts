import { isAbsolute, resolve } from 'node:path';
import { IsOptional, Matches } from 'class-validator';

const URL_RULE = 'DATABASE_URL must be sqlite:<file path> (e.g. sqlite:data/upr-followup.sqlite) or postgres://user@host:5432/database';

export class DatabaseEnvironment {
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { message: URL_RULE })
  DATABASE_URL = 'sqlite:data/upr-followup.sqlite';

  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case PostgreSQL schema name (letters, digits, _)' })
  DATABASE_SCHEMA?: string;
}

export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  | { type: 'postgres'; url: string; schema?: string };

export function toDatabaseConfig(env: DatabaseEnvironment, cwd = process.cwd()): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return { type: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : resolve(cwd, path) };
  }
  return { type: 'postgres', url, schema: env.DATABASE_SCHEMA };
}
