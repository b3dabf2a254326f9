import { parse, type CsvError } from 'csv-parse';
import { pipeline, type Readable } from 'node:stream';
import type { ParseProgress } from '../import-record';
import { TextDecodingStream } from './text-decoding';

/** One CSV record with the 1-based line of the file it starts on (the header is line 1). */
export type CsvRow = { line: number; fields: string[]; problem?: undefined } | { line: number; fields?: undefined; problem: string };

/**
 * The records of a CSV file in any encoding and with any line ends (CRLF, LF, or CR only as the
 * UPR Info files have), streaming. A record csv-parse cannot read (a stray quote) comes out as a
 * problem; records whose fields are all empty (spreadsheets pad their exports with them) are left out.
 */
export async function* readCsvRows(input: Readable, onProgress?: ParseProgress): AsyncGenerator<CsvRow> {
  // csv-parse reports a bad record as soon as it meets it, often before the good ones ahead of it
  // have been read here, and sometimes twice: hold the first report per line until its turn.
  const skipped = new Map<number, string>();
  const skippedBefore = function* (line: number): Generator<CsvRow> {
    for (const [skippedLine, problem] of skipped) {
      if (skippedLine >= line) continue;
      skipped.delete(skippedLine);
      yield { line: skippedLine, problem };
    }
  };
  const parser = parse({
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      const line = Number(error?.lines) || 0;
      if (!skipped.has(line)) skipped.set(line, error?.message ?? 'unreadable record');
      return undefined;
    },
    info: true,
  });
  // Errors reach the loop below through the parser; the callback only keeps pipeline from throwing.
  pipeline(input, new TextDecodingStream((bytes) => onProgress?.(bytes)), parser, () => undefined);

  // csv-parse counts a CRLF inside a quoted field as two lines; undo that to keep line numbers true.
  let overCounted = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    let breaksInside = 0;
    for (const field of record) {
      // Nearly no field holds a line break: look for one before counting with regular expressions.
      if (!field.includes('\r') && !field.includes('\n')) continue;
      overCounted += field.match(/\r\n/g)?.length ?? 0;
      breaksInside += field.match(/\r\n|\r|\n/g)?.length ?? 0;
    }
    if (record.every((field) => field.trim() === '')) continue;
    const line = info.lines - overCounted - breaksInside;
    yield* skippedBefore(line);
    yield { line, fields: record };
  }
  yield* skippedBefore(Infinity);
}

/** Where each named column is, by header name compared without case or surrounding space. */
export function columnIndexes(header: string[]): Map<string, number> {
  const indexes = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.replace(/^\ufeff/, '').trim().toLowerCase();
    if (key && !indexes.has(key)) indexes.set(key, index);
  });
  return indexes;
}
