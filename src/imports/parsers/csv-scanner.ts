/** A record the scanner read, with the 1-based line of the file it starts on. */
export interface ScannedRecord {
  line: number;
  /** Lines it spans: one, and one more per line break inside a quoted field. */
  lines: number;
  fields: string[];
  /** Where the next record starts in the text scanned. */
  next: number;
}

/** Where the scanner stopped vouching: the rest of the text from the start of a record, and that record's line. */
export interface Handover {
  line: number;
  text: string;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * The fast path of readCsvRows: well-formed RFC 4180 text (comma, double quote doubled inside
 * quotes, records ended by CRLF, LF or CR alone, empty lines skipped), fed chunk by chunk. csv-parse
 * read the UPR Info export at a third of the import's parsing cost, much of it in per-record
 * bookkeeping and garbage; this reads the same records with a few string slices each.
 *
 * It reads only what it is sure of. At the first record that is not plain (a stray quote, anything
 * after a closing quote but a comma or a line end, a quote never closed, a record longer than the
 * line limit) it stops and hands back the text from that record's start, for csv-parse to read
 * with its own recovery and messages: the records read here are exactly those csv-parse would read.
 */
export class CsvScanner {
  /** Text of the record not yet ended, from its first character. */
  private carry = '';
  /** The line `carry` starts on. */
  private line = 1;

  constructor(private readonly maxRecordChars: number) {}

  /**
   * The records that end in the text so far (`last`: no more text follows), or the records before the
   * first one it will not read and the text from there on.
   */
  scan(text: string, last: boolean): { records: ScannedRecord[]; handover?: Handover } {
    const buffer = this.carry.length === 0 ? text : this.carry + text;
    const records: ScannedRecord[] = [];
    const end = buffer.length;
    let start = 0;
    let line = this.line;
    while (start < end) {
      const first = buffer.charCodeAt(start);
      // An empty line: no record.
      if (first === LF || first === CR) {
        if (first === CR && start + 1 === end && !last) break; // a CR whose LF may come next
        start += first === CR && buffer.charCodeAt(start + 1) === LF ? 2 : 1;
        line += 1;
        continue;
      }
      const record = readRecord(buffer, start, line, last);
      if (record === INCOMPLETE) break;
      if (record === UNREADABLE || record.next - start > this.maxRecordChars) return this.handover(records, buffer, start, line);
      records.push(record);
      line += record.lines;
      start = record.next;
    }
    this.carry = start === 0 ? buffer : buffer.slice(start);
    this.line = line;
    // Unended for longer than a record may be: csv-parse says so with the limit named.
    if (this.carry.length > this.maxRecordChars || (last && this.carry.length > 0)) return this.handover(records, this.carry, 0, line);
    return { records };
  }

  private handover(records: ScannedRecord[], buffer: string, start: number, line: number): { records: ScannedRecord[]; handover: Handover } {
    this.carry = '';
    return { records, handover: { line, text: buffer.slice(start) } };
  }
}

const INCOMPLETE = 0;
const UNREADABLE = 1;

/**
 * One record from `start` (on line `line`): its fields, where the next one starts and how many lines it spans; or
 * INCOMPLETE when the text ends first (and more may come), or UNREADABLE.
 */
function readRecord(buffer: string, start: number, line: number, last: boolean): ScannedRecord | typeof INCOMPLETE | typeof UNREADABLE {
  const end = buffer.length;
  const fields: string[] = [];
  let lines = 1;
  let i = start;
  for (;;) {
    let value: string;
    if (buffer.charCodeAt(i) === QUOTE) {
      const open = i + 1;
      let from = open;
      let doubled = false;
      for (;;) {
        const close = buffer.indexOf('"', from);
        if (close === -1) return last ? UNREADABLE : INCOMPLETE;
        if (close + 1 === end && !last) return INCOMPLETE; // a doubled quote may be cut in two
        if (buffer.charCodeAt(close + 1) === QUOTE) {
          doubled = true;
          from = close + 2;
          continue;
        }
        // One slice, not a value built piece by piece: that is a string of another kind (a rope), and
        // each kind V8 meets late (the first doubled quote of the UPR Info export is 4 MB in) costs
        // another optimisation of every function the value goes through.
        value = doubled ? buffer.slice(open, close).replaceAll('""', '"') : buffer.slice(open, close);
        i = close + 1;
        break;
      }
      lines += lineBreaks(value);
    } else {
      let j = i;
      let code = 0;
      while (j < end) {
        code = buffer.charCodeAt(j);
        if (code === COMMA || code === CR || code === LF) break;
        if (code === QUOTE) return UNREADABLE;
        j += 1;
      }
      if (j === end && !last) return INCOMPLETE;
      value = buffer.slice(i, j);
      i = j;
    }
    fields.push(value);
    if (i === end) {
      if (!last) return INCOMPLETE;
      return { line, lines, fields, next: end };
    }
    const code = buffer.charCodeAt(i);
    if (code === COMMA) {
      i += 1;
      continue;
    }
    if (code === LF) return { line, lines, fields, next: i + 1 };
    if (code === CR) {
      if (i + 1 === end && !last) return INCOMPLETE;
      return { line, lines, fields, next: buffer.charCodeAt(i + 1) === LF ? i + 2 : i + 1 };
    }
    return UNREADABLE; // after a closing quote, something else than a comma or a line end
  }
}

/** Line breaks in a value: CRLF, CR or LF, each one. */
function lineBreaks(value: string): number {
  let count = 0;
  for (let i = value.indexOf('\r') === -1 && value.indexOf('\n') === -1 ? value.length : 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code === LF) count += 1;
    else if (code === CR) {
      count += 1;
      if (value.charCodeAt(i + 1) === LF) i += 1;
    }
  }
  return count;
}
