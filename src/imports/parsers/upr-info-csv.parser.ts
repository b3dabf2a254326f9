import type { Readable } from 'node:stream';
import type { ImportedRecommendation, ParsedRow, ParseProgress, RecommendationParser, RowProblem, RowProblemCode } from '../import-record';
import { PLEDGE_RESPONSE, type RecommendationResponse } from '../../vocabulary/recommendation.vocabulary';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { quoted } from '../import-limit';
import { columnIndexes, readCsvRowBatches } from './csv-rows';
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
    let columns: UprInfoColumns | undefined;
    for await (const rows of readCsvRowBatches(input, this.limits, onProgress)) {
      const parsed: ParsedRow[] = [];
      for (const row of rows) {
        if (row.problem !== undefined) {
          parsed.push({ problem: { line: row.line, problem: row.problem, code: 'unreadableRecord' } });
        } else if (!columns) {
          columns = headerColumns(row.fields);
        } else {
          const result = toRecord(row.line, row.fields, columns);
          parsed.push('problem' in result ? { problem: result.problem } : { record: result });
        }
      }
      if (parsed.length > 0) yield parsed;
    }
    if (!columns) throw new Error('UPR Info CSV: the file is empty; expected the header ' + UPR_INFO_COLUMNS.join(','));
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

function toRecord(line: number, fields: string[], columns: UprInfoColumns): ImportedRecommendation | { problem: RowProblem } {
  const cell = (index: number) => fieldAt(fields, index);
  const stateUnderReview = collapseWhiteSpace(cell(columns.to));
  const text = collapseWhiteSpace(cell(columns.text));
  const responseValue = collapseWhiteSpace(cell(columns.response));
  const responseKey = responseValue.toLowerCase();
  // Own keys only: a cell saying "constructor" is no response.
  const response = Object.hasOwn(RESPONSES, responseKey) ? RESPONSES[responseKey] : undefined;
  const action = cell(columns.action).trim();
  const session = cell(columns.session).trim();

  if (!stateUnderReview) return rowProblem(line, 'To', 'the State under Review (To) is empty', 'stateUnderReviewEmpty');
  if (!text) return rowProblem(line, 'Text', 'the recommendation text is empty', 'textEmpty');
  if (!response) return rowProblem(line, 'Response', `${quoted(responseValue)} is not a UPR Info response; expected Accepted, Noted, Not Supported, Voluntary Pledge or nothing`, 'notAResponse', { value: quoted(responseValue), expected: 'Accepted, Noted, Not Supported, Voluntary Pledge' });
  if (action && !/^[1-5]$/.test(action)) return rowProblem(line, 'Action', `${quoted(action)} is not an action category; expected 1 to 5 or nothing`, 'notAnActionCategory', { value: quoted(action) });
  if (session && !/^\d+$/.test(session)) return rowProblem(line, 'Session', `${quoted(session)} is not a session number`, 'notASession', { value: quoted(session) });

  const from = collapseWhiteSpace(cell(columns.from));
  // UPR Info files a pledge as "recommended" by the reviewed State itself: it has no recommending State.
  const pledge = responseKey === 'voluntary pledge';
  return {
    line,
    stateUnderReview,
    session: session || null,
    cycleNumber: cycleNumberForSession(session),
    documentSymbol: null,
    paragraph: null,
    text,
    recommendingStates: from && !pledge ? [from] : [],
    response,
    kind: pledge ? 'voluntary_pledge' : undefined,
    themes: splitValues(cell(columns.issue), ','),
    affectedPersons: [],
    sdgs: [],
    actionCategory: action ? Number(action) : null,
  };
}

function fieldAt(fields: string[], index: number): string {
  return fields[index] ?? '';
}

function rowProblem(line: number, field: string, message: string, code: RowProblemCode, values?: RowProblem['values']): { problem: RowProblem } {
  return { problem: { line, field, problem: message, code, values } };
}
