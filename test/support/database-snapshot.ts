import type { DataSource } from 'typeorm';

/** Columns a refused request may still change: the caller's token records when it was last used. */
const VOLATILE: Record<string, string[]> = { api_token: ['last_used_at'] };

/** The application's tables as the migrations made them (SQLite or the test's PostgreSQL schema). */
export async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    dataSource.options.type === 'postgres'
      ? await dataSource.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
      : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  // FTS5's shadow tables and the migrations' own bookkeeping are not the application's rows.
  return rows.map((r) => r.name).filter((name) => name !== 'migrations' && !name.startsWith('recommendation_fts')).sort();
}

/** Row count of every table; COUNT(*) is a string on PostgreSQL and a number on SQLite. */
export async function rowCounts(dataSource: DataSource, tables?: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables ?? (await tableNames(dataSource))) {
    const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`);
    counts[table] = Number(row.n);
  }
  return counts;
}

/**
 * Every row of every table (volatile columns left out), in a stable order: equal before and after
 * a request means the request changed nothing, not merely added or removed no row. For the small
 * databases of the tests only.
 */
export async function snapshot(dataSource: DataSource, tables?: string[]): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const table of tables ?? (await tableNames(dataSource))) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM "${table}"`);
    const volatile = VOLATILE[table] ?? [];
    all[table] = rows
      .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([column]) => !volatile.includes(column)))))
      .sort();
  }
  return all;
}
