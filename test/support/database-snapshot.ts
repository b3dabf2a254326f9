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
 * Every row of every table (volatile columns left out), as one text per table with its rows sorted:
 * equal before and after a request means the request changed nothing, not merely added or removed no
 * row. The database writes the text itself, all tables in one query (a row per line: SQLite's quote()
 * of each column, PostgreSQL's row literal), so that a check costs one round trip and a string
 * comparison per table instead of every row through the ORM, JSON.stringify and a deep equality
 * (the authorization matrix checks twice per refused request). For the small databases of the tests only.
 */
export async function snapshot(dataSource: DataSource, tables?: string[]): Promise<Record<string, string>> {
  const names = tables ?? (await tableNames(dataSource));
  const postgres = dataSource.options.type === 'postgres';
  const parts: string[] = [];
  for (const [index, table] of names.entries()) {
    const volatile = VOLATILE[table] ?? [];
    const columns = (await columnNames(dataSource, table)).filter((column) => !volatile.includes(column)).map((column) => `"${column}"`);
    const row = postgres ? `ROW(${columns.join(', ')})::text` : `concat_ws(',', ${columns.map((column) => `quote(${column})`).join(', ')})`;
    const rows = postgres
      ? `string_agg(${row}, E'\\n' ORDER BY ${row})`
      : `group_concat(${row}, char(10) ORDER BY ${row})`;
    // The index, not the name, comes back: no quoting of a table name inside a string literal.
    parts.push(`SELECT ${index} AS i, COUNT(*) AS n, ${rows} AS r FROM "${table}"`);
  }
  const all: Record<string, string> = {};
  if (parts.length === 0) return all;
  const answers: { i: number | string; n: number | string; r: string | null }[] = await dataSource.query(parts.join(' UNION ALL '));
  for (const answer of answers) all[names[Number(answer.i)]] = `${Number(answer.n)} rows\n${answer.r ?? ''}`;
  return all;
}

const columnCache = new WeakMap<DataSource, Map<string, string[]>>();

/** A table's columns in their order, read once per data source (the migrations ran before the tests). */
async function columnNames(dataSource: DataSource, table: string): Promise<string[]> {
  let tables = columnCache.get(dataSource);
  if (!tables) columnCache.set(dataSource, (tables = new Map()));
  let columns = tables.get(table);
  if (!columns) {
    const rows: { name: string }[] =
      dataSource.options.type === 'postgres'
        ? await dataSource.query(
            `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
            [table],
          )
        : await dataSource.query(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, [table]);
    columns = rows.map((r) => r.name);
    tables.set(table, columns);
  }
  return columns;
}

/**
 * What the migrations made, as comparable text, without the schema's own name (a PostgreSQL test
 * database is a schema with a random name): tables and columns, indexes, constraints, triggers,
 * functions and where each sequence stands. Two databases with equal descriptions and equal
 * snapshot() have the same schema and the same rows.
 */
export async function describeSchema(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type !== 'postgres') {
    const rows: { type: string; name: string; sql: string | null }[] = await dataSource.query(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`);
    return rows.map((r) => `${r.type} ${r.name}: ${r.sql}`);
  }
  const [{ schema }] = (await dataSource.query(`SELECT current_schema() AS schema`)) as { schema: string }[];
  const rows: { line: string }[] = await dataSource.query(
    `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = $1
     UNION ALL SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = $1
     UNION ALL SELECT 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ': ' || pg_get_constraintdef(c.oid)
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1
     UNION ALL SELECT 'trigger ' || t.tgname || ': ' || pg_get_triggerdef(t.oid)
       FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal
     UNION ALL SELECT 'function ' || p.proname || ': ' || pg_get_functiondef(p.oid)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
     UNION ALL SELECT 'sequence ' || sequencename || ' ' || coalesce(last_value::text, 'unused') FROM pg_sequences WHERE schemaname = $1
     ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.line.split(schema).join('<schema>'));
}
