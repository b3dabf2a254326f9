import type { DataSource } from 'typeorm';

/**
 * Every SQL statement the application runs through the data source while `work` runs, in order.
 * Counted where every repository call, query builder, raw query and transaction statement (BEGIN,
 * COMMIT, SAVEPOINT) goes: the query runner's query(), as bench/notifications.bench.ts counts them.
 */
export async function statementsOf(dataSource: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  return (await statementsWithParametersOf(dataSource, work)).map(({ sql }) => sql.replace(/\s+/g, ' ').trim());
}

/** The same, each statement as sent (white space kept) with its parameters: to be explained afterwards (EXPLAIN QUERY PLAN). */
export async function statementsWithParametersOf(dataSource: DataSource, work: () => Promise<unknown>): Promise<{ sql: string; parameters: unknown[] }[]> {
  const runner = dataSource.createQueryRunner();
  const proto = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => Promise<unknown> };
  await runner.release();
  const original = proto.query;
  const statements: { sql: string; parameters: unknown[] }[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    statements.push({ sql: String(args[0]), parameters: (args[1] as unknown[] | undefined) ?? [] });
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.query = original;
  }
  return statements;
}

/**
 * A statement as "VERB table" ("SELECT recommendation", "INSERT notification", "BEGIN"), the same on
 * both databases. A SELECT is named by its first table outside parentheses (not a subquery's).
 */
export function statementShape(sql: string): string {
  if (/^(BEGIN|START TRANSACTION)/i.test(sql)) return 'BEGIN';
  const verb = sql.split(' ')[0].toUpperCase();
  let outer = sql;
  while (/\([^()]*\)/.test(outer)) outer = outer.replace(/\([^()]*\)/g, '');
  const table = /^UPDATE "?(\w+)/i.exec(sql) ?? /^INSERT INTO "?(\w+)/i.exec(sql) ?? /^DELETE FROM "?(\w+)/i.exec(sql) ?? / FROM "?(\w+)/i.exec(outer);
  return table ? `${verb} ${table[1]}` : verb;
}
