import type { Readable } from 'node:stream';
import type { ImportedRecommendation, ParsedRow, ParseProgress, RecommendationParser, RowProblem, RowProblemCode } from '../import-record';
import { PLEDGE_RESPONSE, type RecommendationResponse } from '../../vocabulary/recommendation.vocabulary';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { quoted } from '../import-limit';
import { columnIndexes, readCsvRows } from './csv-rows';
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
    let columns: Map<string, number> | undefined;
    for await (const row of readCsvRows(input, this.limits, onProgress)) {
      if (row.problem !== undefined) {
        yield { problem: { line: row.line, problem: row.problem, code: 'unreadableRecord' } };
      } else if (!columns) {
        columns = headerColumns(row.fields);
      } else {
        const cell = (name: string) => row.fields[columns!.get(name.toLowerCase()) ?? -1] ?? '';
        const result = toRecord(row.line, cell);
        yield 'problem' in result ? { problem: result.problem } : { record: result };
      }
    }
    if (!columns) throw new Error('UPR Info CSV: the file is empty; expected the header ' + UPR_INFO_COLUMNS.join(','));
  }
}

function headerColumns(header: string[]): Map<string, number> {
  const columns = columnIndexes(header);
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.has(name.toLowerCase()));
  if (missing.length > 0) {
    throw new Error(`UPR Info CSV: the header lacks ${missing.join(', ')}; expected ${UPR_INFO_COLUMNS.join(',')} (found ${header.slice(0, 20).join(',').slice(0, 200)})`);
  }
  return columns;
}

function toRecord(line: number, cell: (name: string) => string): ImportedRecommendation | { problem: RowProblem } {
  const stateUnderReview = collapseWhiteSpace(cell('To'));
  const text = collapseWhiteSpace(cell('Text'));
  const responseValue = collapseWhiteSpace(cell('Response'));
  // Own keys only: a cell saying "constructor" is no response.
  const response = Object.hasOwn(RESPONSES, responseValue.toLowerCase()) ? RESPONSES[responseValue.toLowerCase()] : undefined;
  const action = cell('Action').trim();
  const session = cell('Session').trim();
  const problem = (field: string, message: string, code: RowProblemCode, values?: RowProblem['values']) => ({ problem: { line, field, problem: message, code, values } });

  if (!stateUnderReview) return problem('To', 'the State under Review (To) is empty', 'stateUnderReviewEmpty');
  if (!text) return problem('Text', 'the recommendation text is empty', 'textEmpty');
  if (!response) return problem('Response', `${quoted(responseValue)} is not a UPR Info response; expected Accepted, Noted, Not Supported, Voluntary Pledge or nothing`, 'notAResponse', { value: quoted(responseValue), expected: 'Accepted, Noted, Not Supported, Voluntary Pledge' });
  if (action && !/^[1-5]$/.test(action)) return problem('Action', `${quoted(action)} is not an action category; expected 1 to 5 or nothing`, 'notAnActionCategory', { value: quoted(action) });
  if (session && !/^\d+$/.test(session)) return problem('Session', `${quoted(session)} is not a session number`, 'notASession', { value: quoted(session) });

  const from = collapseWhiteSpace(cell('From'));
  // UPR Info files a pledge as "recommended" by the reviewed State itself: it has no recommending State.
  const pledge = responseValue.toLowerCase() === 'voluntary pledge';
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
    themes: splitValues(cell('Issue'), ','),
    affectedPersons: [],
    sdgs: [],
    actionCategory: action ? Number(action) : null,
  };
}
