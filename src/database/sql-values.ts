import { DataSource } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';

/**
 * A moment as hand-written SQL must compare it with stored ones: TypeORM keeps SQLite datetimes as
 * UTC text ("2026-11-29 12:00:00.000"), PostgreSQL takes the Date itself.
 */
export function sqlTime(dataSource: DataSource, at: Date): Date | string {
  return dataSource.options.type === 'postgres' ? at : DateUtils.mixedDateToUtcDatetimeString(at);
}

/** Rows of an UPDATE ... RETURNING: PostgreSQL's driver answers [rows, count], SQLite's the rows. */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return (result as T[]) ?? [];
}

/** Positional parameter n (1-based) in the dialect of the data source. */
export function placeholder(dataSource: DataSource, n: number): string {
  return dataSource.options.type === 'postgres' ? `$${n}` : '?';
}

/**
 * A datetime column read by hand-written SQL, as TypeORM hydrates it into an entity: PostgreSQL's
 * driver already answers a Date; SQLite answers the UTC text TypeORM wrote
 * ("2026-11-29 12:00:00.000", or "2026-11-29 12:00:00" from the datetime('now') default).
 */
export function readSqlTime(value: Date | string): Date {
  if (value instanceof Date) return value;
  let text = value;
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d/.test(text)) text = text.replace(' ', 'T');
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d\d\d)?)?$/.test(text)) text += 'Z';
  return new Date(text);
}

/** readSqlTime for a nullable column. */
export function readNullableSqlTime(value: Date | string | null): Date | null {
  return value === null ? null : readSqlTime(value);
}

/**
 * Hand-written SQL with named parameters (":from") in the dialect of the data source: PostgreSQL's
 * $n once per name, SQLite's "?" once per use with the value repeated (better-sqlite3 reads "?1" as
 * a named parameter, so a statement that uses a value twice must bind it twice). Unlike TypeORM's
 * escapeQueryWithParameters, numbers stay parameters: the same statement text for every chunk, so
 * SQLite prepares it once. Names not in `values` (and "::type" casts) are left as they are.
 */
export function bindNamed(dataSource: DataSource, sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const postgres = dataSource.options.type === 'postgres';
  const bound: unknown[] = [];
  const numbers = new Map<string, number>();
  const text = sql.replace(/(?<!:):([A-Za-z][A-Za-z0-9_]*)/g, (token, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return token;
    if (!postgres) {
      bound.push(values[name]);
      return '?';
    }
    let n = numbers.get(name);
    if (n === undefined) numbers.set(name, (n = bound.push(values[name])));
    return `$${n}`;
  });
  return [text, bound];
}

/**
 * A column in a condition that SQLite must not answer from an index: SQLite (no statistics: the
 * application never runs ANALYZE) takes an equality on an index's first column for a handful of
 * rows, and chose the notification (state, ...) index over a list of ids or emails, so
 * `id IN (20 ids) AND state = 'pending'` read every pending notice: 100,000 of them per email sent
 * when 100,000 reminders were due. Unary + is SQLite's way to keep a term out of index choice;
 * PostgreSQL (which has statistics, and no unary + for text) gets the column itself.
 */
export function notIndexed(dataSource: DataSource, column: string): string {
  return dataSource.options.type === 'postgres' ? column : `+${column}`;
}
