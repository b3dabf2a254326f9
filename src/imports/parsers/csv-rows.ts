import { parse, type CsvError } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import type { ImportLimits } from '../../../config/imports.config';
import { ImportLimitError } from '../import-limit';
import type { ParseProgress } from '../import-record';
import { CsvScanner, type Handover, type ScannedRecord } from './csv-scanner';
import { TextDecodingStream } from './text-decoding';

/** One CSV record with the 1-based line of the file it starts on (the header is line 1). */
export type CsvRow = { line: number; fields: string[]; problem?: undefined } | { line: number; fields?: undefined; problem: string };

/**
 * The records of a CSV file in any encoding and with any line ends (CRLF, LF, or CR only as the
 * UPR Info files have), streaming. A record csv-parse cannot read (a stray quote) comes out as a
 * problem; records whose fields are all empty (spreadsheets pad their exports with them) are left out.
 * A line, a cell, a row count or a column count past the limits stops the file with the limit named.
 *
 * Plain records are read by CsvScanner; from the first one it will not vouch for, the rest of the
 * file goes to csv-parse, which reads it with its own recovery and messages.
 */
export async function* readCsvRows(input: Readable, limits: ImportLimits, onProgress?: ParseProgress): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvRowBatches(input, limits, onProgress)) yield* batch;
}

/**
 * The rows of readCsvRows, in batches: those of each piece of decoded text (about 64 KB, some
 * hundreds of rows) together. A row handed through an async generator costs a promise and a turn of
 * the microtask queue at each level; a batch costs them once for all its rows (issue 14).
 */
export async function* readCsvRowBatches(input: Readable, limits: ImportLimits, onProgress?: ParseProgress): AsyncGenerator<CsvRow[]> {
  let records = 0;
  const counted = (line: number) => {
    records += 1;
    if (records > limits.maxRows) throw new ImportLimitError('IMPORT_MAX_ROWS', `the file has more than ${limits.maxRows} rows (at line ${line})`);
  };
  const decoder = new TextDecodingStream((bytes) => onProgress?.(bytes));
  // Errors of the input reach the loop below through the decoder; the callback only keeps pipeline from throwing.
  pipeline(input, decoder, () => undefined);
  const texts = decoder[Symbol.asyncIterator]() as AsyncIterator<string>;
  const scanner = new CsvScanner(limits.maxLineChars);
  try {
    for (;;) {
      const next = await texts.next();
      const { records: scanned, handover } = scanner.scan(next.done ? '' : next.value, next.done === true);
      const rows = checkedRows(scanned, limits, counted);
      if (rows.length > 0) yield rows;
      if (handover) {
        // The rest of the file is the rare path (a file csv-parse reads with its recovery): a row at a time.
        for await (const row of parsedRows(handover, texts, limits, counted)) yield [row];
        return;
      }
      if (next.done) return;
    }
  } finally {
    // A reader that stops early (a limit, a refused file) closes the file.
    decoder.destroy();
  }
}

/**
 * The records within the limits as rows. The loop over every record of a file is a function of its
 * own: inside the generator, V8 compiled the whole generator to optimise the loop (on-stack
 * replacement), again after each deoptimisation, at many times the cost of compiling the loop alone.
 */
function checkedRows(scanned: ScannedRecord[], limits: ImportLimits, counted: (line: number) => void): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const record of scanned) {
    const row = checked(record.fields, record.line, record.line + record.lines - 1, limits);
    if (!row) continue;
    counted(row.line);
    rows.push(row);
  }
  return rows;
}

/**
 * A record within the column and cell limits as a row; null when all its fields are empty. `line`:
 * where it starts; `lastLine`: where it ends, which a limit's message names.
 */
function checked(fields: string[], line: number, lastLine: number, limits: ImportLimits): CsvRow | null {
  if (fields.length > limits.maxColumns) {
    throw new ImportLimitError('IMPORT_MAX_COLUMNS', `line ${lastLine} has ${fields.length} columns, over the ${limits.maxColumns} allowed`);
  }
  let empty = true;
  for (let index = 0; index < fields.length; index += 1) {
    const field = fields[index];
    if (field.length > limits.maxCellChars) {
      throw new ImportLimitError('IMPORT_MAX_CELL_CHARS', `line ${lastLine}, column ${index + 1} holds ${field.length} characters, over the ${limits.maxCellChars} allowed`);
    }
    if (empty && field.trim() !== '') empty = false;
  }
  return empty ? null : { line, fields };
}

/**
 * The rest of the file, from the record CsvScanner handed over, read by csv-parse. Empty lines in
 * front of it (csv-parse skips them) make csv-parse count lines, in its messages too, as the file does.
 */
async function* parsedRows(handover: Handover, texts: AsyncIterator<string>, limits: ImportLimits, counted: (line: number) => void): AsyncGenerator<CsvRow> {
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
    // csv-parse keeps a record in memory until it ends: a file with no line end would be read whole.
    max_record_size: limits.maxLineChars,
    on_skip: (error: CsvError | undefined) => {
      const line = Number(error?.lines) || 0;
      // Thrown here, the error ends the parse instead of skipping the record.
      if (error?.code === 'CSV_MAX_RECORD_SIZE') {
        throw new ImportLimitError('IMPORT_MAX_LINE_KB', `line ${line} is longer than ${Math.round(limits.maxLineChars / 1024)} KB`);
      }
      counted(line);
      if (!skipped.has(line)) skipped.set(line, error?.message ?? 'unreadable record');
      return undefined;
    },
    info: true,
  });
  const rest = async function* (): AsyncGenerator<string> {
    yield '\n'.repeat(handover.line - 1) + handover.text;
    for (let next = await texts.next(); !next.done; next = await texts.next()) yield next.value;
  };
  // Errors reach the loop below through the parser; the callback only keeps pipeline from throwing.
  pipeline(Readable.from(rest()), parser, () => undefined);

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
    const row = checked(record, info.lines - overCounted - breaksInside, info.lines - overCounted, limits);
    if (!row) continue;
    counted(row.line);
    yield* skippedBefore(row.line);
    yield row;
  }
  yield* skippedBefore(Infinity);
}

/** The header name as columns are compared: no BOM, no surrounding space, any case. */
export function columnKey(name: string): string {
  return name.replace(/^\ufeff/, '').trim().toLowerCase();
}

/** Where each named column is, by header name compared without case or surrounding space. */
export function columnIndexes(header: string[]): Map<string, number> {
  const indexes = new Map<string, number>();
  header.forEach((name, index) => {
    const key = columnKey(name);
    if (key && !indexes.has(key)) indexes.set(key, index);
  });
  return indexes;
}

/** The names given more than once, each once, in one pass (a header can have thousands of columns). */
export function duplicatedColumns(header: string[]): string[] {
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const name of header) {
    const key = columnKey(name);
    if (key && seen.has(key)) duplicated.add(key);
    seen.add(key);
  }
  return [...duplicated];
}
