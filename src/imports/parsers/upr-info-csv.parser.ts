import type { Readable } from 'node:stream';
import type { ImportedRecommendation, ParsedRow, ParseProgress, RecommendationParser, RowProblem, RowProblemCode } from '../import-record';
import { PLEDGE_RESPONSE, type RecommendationResponse } from '../../vocabulary/recommendation.vocabulary';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { quoted } from '../import-limit';
import { columnIndexes, type CsvRow, readCsvRowBatches } from './csv-rows';
import { collapseWhiteSpace, cycleNumberForSession, splitValues } from './text-values';

export const UPR_INFO_COLUMNS = ['To', 'To-Rgrp', 'To-Org', 'Text', 'From', 'From-Rgrp', 'From-Org', 'Response', 'Action', 'Issue', 'Session'];
const REQUIRED_COLUMNS = ['To', 'Text', 'From', 'Response', 'Session'];

/**
 * UPR Info's responses in the API's words. "Not Supported" is what later exports call Noted. A
 * "Voluntary Pledge" is not a response but a pledge of the State itself (see PLEDGE_RESPONSE).
 */
const RESPONSES: Record<string, RecommendationResponse> = {
  '': 'pending',
  accepted: 'supported',
  noted: 'noted',
  'not supported': 'noted',
  'voluntary pledge': PLEDGE_RESPONSE,
};

/**
 * The UPR Info database export: one row per recommendation and recommending State (the import
 * merges rows with the same State under Review, session and text). The published files are Mac
 * Roman with CR line ends; the encoding is detected, so a UTF-8 re-export reads the same.
 */
export class UprInfoCsvParser implements RecommendationParser {
  readonly format = 'upr-info-csv' as const;

  constructor(private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS) {}

  async *parse(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow> {
    for await (const batch of this.parseBatches(input, onProgress)) yield* batch;
  }

  /** The rows of `parse`, a batch per piece of text read (the import's path: see readCsvRowBatches). */
  async *parseBatches(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow[]> {
    const reader = new UprInfoRowReader();
    for await (const rows of readCsvRowBatches(input, this.limits, onProgress)) {
      const parsed = reader.read(rows);
      if (parsed.length > 0) yield parsed;
    }
    if (!reader.readHeader) throw new Error('UPR Info CSV: the file is empty; expected the header ' + UPR_INFO_COLUMNS.join(','));
  }
}

/**
 * The rows of one file, batch by batch: the header, then records. Out of the generator that hands the
 * batches on, so that V8 optimises this loop alone (see checkedRows in csv-rows.ts).
 */
class UprInfoRowReader {
  private columns: UprInfoColumns | undefined;
  private readonly cells = new RepeatedCells();

  get readHeader(): boolean {
    return this.columns !== undefined;
  }

  read(rows: CsvRow[]): ParsedRow[] {
    const parsed: ParsedRow[] = [];
    for (const row of rows) {
      if (row.problem !== undefined) {
        parsed.push({ problem: { line: row.line, problem: row.problem, code: 'unreadableRecord' } });
      } else if (!this.columns) {
        this.columns = headerColumns(row.fields);
      } else {
        const result = toRecord(row.line, row.fields, this.columns, this.cells);
        parsed.push('problem' in result ? { problem: result.problem } : { record: result });
      }
    }
    return parsed;
  }
}

/** Where each column the import reads is in the file (-1: absent, read as empty), found once from the header. */
type UprInfoColumns = Record<'to' | 'text' | 'from' | 'response' | 'action' | 'issue' | 'session', number>;

function headerColumns(header: string[]): UprInfoColumns {
  const columns = columnIndexes(header);
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.has(name.toLowerCase()));
  if (missing.length > 0) {
    throw new Error(`UPR Info CSV: the header lacks ${missing.join(', ')}; expected ${UPR_INFO_COLUMNS.join(',')} (found ${header.slice(0, 20).join(',').slice(0, 200)})`);
  }
  const at = (name: string) => columns.get(name) ?? -1;
  return { to: at('to'), text: at('text'), from: at('from'), response: at('response'), action: at('action'), issue: at('issue'), session: at('session') };
}

/**
 * What the cells a file repeats row after row are read as, each distinct cell read once: UPR Info's
 * 41,066 rows have 193 States under Review, 169 recommending States, two responses, six actions, 20
 * sessions and 3,120 lists of issues. A lookup costs less than reading the cell again, and keeps
 * toRecord small for V8 to optimise. The rows of one list of issues share its array, and those of one
 * recommending State theirs, as StateNormalizer's rows do: nothing after the parser changes a record's arrays in place.
 */
class RepeatedCells {
  readonly to = new CellReadings(collapseWhiteSpace);
  /** The recommending States of a row: the one the cell names, or none. */
  readonly from = new CellReadings((cell) => {
    const state = collapseWhiteSpace(cell);
    return state ? [state] : [];
  });
  readonly response = new CellReadings(readResponse);
  readonly action = new CellReadings(readAction);
  readonly session = new CellReadings(readSession);
  readonly issues = new CellReadings((cell) => splitValues(cell, ','));
}

/** Distinct cells remembered per column: far more than a real file repeats, few enough for any file's memory. */
const MAX_REMEMBERED_CELLS = 10_000;

class CellReadings<T> {
  private readonly byCell = new Map<string, T>();
  /**
   * The last cell and its reading: a file lists a State's rows, a session's, one after another, and
   * comparing costs less than hashing. Starts as the empty cell, read: always a string, so that the
   * code V8 optimises for comparing strings is not undone by the first row of each file.
   */
  private lastCell = '';
  private lastReading: T;

  constructor(private readonly read: (cell: string) => T) {
    this.lastReading = read('');
  }

  of(cell: string): T {
    if (cell === this.lastCell) return this.lastReading;
    let reading = this.byCell.get(cell);
    if (reading === undefined) {
      reading = this.read(cell);
      if (this.byCell.size < MAX_REMEMBERED_CELLS) this.byCell.set(cell, reading);
    }
    this.lastCell = cell;
    this.lastReading = reading;
    return reading;
  }
}

type ResponseCell = { value: string; key: string; response: RecommendationResponse | undefined };

function readResponse(cell: string): ResponseCell {
  const value = collapseWhiteSpace(cell);
  const key = value.toLowerCase();
  // Own keys only: a cell saying "constructor" is no response.
  return { value, key, response: Object.hasOwn(RESPONSES, key) ? RESPONSES[key] : undefined };
}

type ActionCell = { value: string; valid: boolean; category: number | null };

function readAction(cell: string): ActionCell {
  const value = cell.trim();
  return { value, valid: !value || /^[1-5]$/.test(value), category: value ? Number(value) : null };
}

type SessionCell = { value: string; valid: boolean; cycleNumber: number | null };

function readSession(cell: string): SessionCell {
  const value = cell.trim();
  return { value, valid: !value || /^\d+$/.test(value), cycleNumber: cycleNumberForSession(value) };
}

function toRecord(line: number, fields: string[], columns: UprInfoColumns, cells: RepeatedCells): ImportedRecommendation | { problem: RowProblem } {
  const stateUnderReview = cells.to.of(fieldAt(fields, columns.to));
  const text = collapseWhiteSpace(fieldAt(fields, columns.text));
  const response = cells.response.of(fieldAt(fields, columns.response));
  const action = cells.action.of(fieldAt(fields, columns.action));
  const session = cells.session.of(fieldAt(fields, columns.session));

  if (!stateUnderReview) return rowProblem(line, 'To', 'the State under Review (To) is empty', 'stateUnderReviewEmpty');
  if (!text) return rowProblem(line, 'Text', 'the recommendation text is empty', 'textEmpty');
  if (!response.response) return rowProblem(line, 'Response', `${quoted(response.value)} is not a UPR Info response; expected Accepted, Noted, Not Supported, Voluntary Pledge or nothing`, 'notAResponse', { value: quoted(response.value), expected: 'Accepted, Noted, Not Supported, Voluntary Pledge' });
  if (!action.valid) return rowProblem(line, 'Action', `${quoted(action.value)} is not an action category; expected 1 to 5 or nothing`, 'notAnActionCategory', { value: quoted(action.value) });
  if (!session.valid) return rowProblem(line, 'Session', `${quoted(session.value)} is not a session number`, 'notASession', { value: quoted(session.value) });

  // UPR Info files a pledge as "recommended" by the reviewed State itself: it has no recommending State.
  const pledge = response.key === 'voluntary pledge';
  return {
    line,
    stateUnderReview,
    session: session.value || null,
    cycleNumber: session.cycleNumber,
    documentSymbol: null,
    paragraph: null,
    text,
    recommendingStates: pledge ? [] : cells.from.of(fieldAt(fields, columns.from)),
    response: response.response,
    kind: pledge ? 'voluntary_pledge' : undefined,
    themes: cells.issues.of(fieldAt(fields, columns.issue)),
    affectedPersons: [],
    sdgs: [],
    actionCategory: action.category,
  };
}

function fieldAt(fields: string[], index: number): string {
  return fields[index] ?? '';
}

function rowProblem(line: number, field: string, message: string, code: RowProblemCode, values?: RowProblem['values']): { problem: RowProblem } {
  return { problem: { line, field, problem: message, code, values } };
}
