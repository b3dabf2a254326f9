import { LIST_CELLS } from './report-list-sql';
import { spreadsheetSafe } from './spreadsheet-safe';

/**
 * RFC 4180 CSV (CRLF, fields quoted when they hold a comma, quote or line break), with a UTF-8
 * byte order mark so that Excel shows accents right, and every text cell made spreadsheet-safe.
 * The database writes each line (ReportsRepository.listCsvText, by the rule of csvField, which
 * test/reports-list.e2e-spec.ts holds it to); the State under review, the same on every line, ends
 * each. One string per chunk of rows.
 */
export async function* csvChunks(list: (lineEnd: string) => AsyncIterable<string>, stateUnderReview: string, stateCode: string | null): AsyncGenerator<string> {
  yield `\uFEFF${LIST_CELLS.join(',')}\r\n`;
  const end = `,${csvField(stateUnderReview)},${csvField(stateCode)}\r\n`;
  for await (const chunk of list(end)) {
    if (chunk.length > 0) yield chunk + end;
  }
}

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = spreadsheetSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
