import type { DataSource, ObjectLiteral } from 'typeorm';

/**
 * TypeORM's SQLite driver writes every number parameter into the SQL text (`WHERE id = 240`),
 * because better-sqlite3 binds a JavaScript number as REAL. Each id then makes a statement of its
 * own: SQLite parses and plans it again, and the driver's statement cache turns over, so the hot
 * statements are prepared again too. A safe integer is handed over as a BigInt instead, which
 * better-sqlite3 binds as INTEGER: the value the literal gave, in one statement for every id.
 * Fractional numbers keep TypeORM's way.
 */
export function bindIntegerParameters(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const driver = dataSource.driver;
  const escape = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql: string, parameters: ObjectLiteral) => {
    if (!parameters) return escape(sql, parameters);
    const bound: ObjectLiteral = {};
    for (const [key, value] of Object.entries(parameters)) bound[key] = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
    return escape(sql, bound);
  };
}
