import type { Readable } from 'node:stream';
import type { ImportedRecommendation, ParsedRow, ParseProgress, RecommendationParser, RowProblem, RowProblemCode } from '../import-record';
import { RESPONSES, type RecommendationResponse } from '../../vocabulary/recommendation.vocabulary';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { quoted } from '../import-limit';
import { columnIndexes, duplicatedColumns, readCsvRows } from './csv-rows';
import { collapseWhiteSpace, cycleNumberForSession, sdgValues, splitValues } from './text-values';

/** The project's CSV template, documented in the README; docs/import-template.csv is an example. */
export const TEMPLATE_COLUMNS = [
  'state_under_review', 'cycle', 'session', 'document_symbol', 'paragraph', 'text',
  'recommending_states', 'response', 'themes', 'affected_persons', 'sdgs', 'action_category',
] as const;
type TemplateColumn = (typeof TEMPLATE_COLUMNS)[number];
const REQUIRED_COLUMNS: TemplateColumn[] = ['state_under_review', 'text'];

/**
 * The CSV template for coalitions that start from a spreadsheet: any column order, multi-valued
 * cells separated by ";", responses in the API's words. UTF-8 with or without BOM is expected; a
 * Windows-1252 or Mac Roman export from an old spreadsheet is recognised and read as well.
 */
export class TemplateCsvParser implements RecommendationParser {
  readonly format = 'csv' as const;

  constructor(private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS) {}

  async *parse(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow> {
    let columns: Map<string, number> | undefined;
    for await (const row of readCsvRows(input, this.limits, onProgress)) {
      if (row.problem !== undefined) {
        yield { problem: { line: row.line, problem: row.problem, code: 'unreadableRecord' } };
      } else if (!columns) {
        columns = columnIndexes(row.fields);
        const headerProblem = checkHeader(row.fields, columns);
        if (headerProblem) yield { problem: headerProblem };
        // Without the required columns no row can be read: one problem says why, not one per row.
        if (REQUIRED_COLUMNS.some((name) => !columns!.has(name))) return;
      } else {
        const cell = (name: TemplateColumn) => row.fields[columns!.get(name) ?? -1] ?? '';
        const result = toRecord(row.line, cell);
        yield 'problem' in result ? { problem: result.problem } : { record: result };
      }
    }
    if (!columns) throw new Error(`CSV template: the file is empty; expected the header ${TEMPLATE_COLUMNS.join(',')}`);
  }
}

function checkHeader(header: string[], columns: Map<string, number>): RowProblem | undefined {
  const known = new Set<string>(TEMPLATE_COLUMNS);
  const unknown = [...columns.keys()].filter((name) => !known.has(name));
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.has(name));
  const duplicated = duplicatedColumns(header);
  const complaints = [
    missing.length > 0 ? `required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing` : '',
    unknown.length > 0 ? `unknown column${unknown.length > 1 ? 's' : ''} ${listed(unknown)}` : '',
    duplicated.length > 0 ? `column${duplicated.length > 1 ? 's' : ''} ${listed(duplicated)} given twice (the first is read)` : '',
  ].filter(Boolean);
  if (complaints.length === 0) return undefined;
  return {
    line: 1,
    field: 'header',
    problem: `${complaints.join('; ')}; the columns are ${TEMPLATE_COLUMNS.join(', ')}`,
    code: 'badHeader',
    values: { missing: missing.join(', '), unknown: listed(unknown), duplicated: listed(duplicated), columns: TEMPLATE_COLUMNS.join(', ') },
  };
}

/** Names for a message: the first ten, each shortened, and how many more. */
function listed(names: string[]): string {
  const shown = names.slice(0, 10).map((name) => (name.length > 40 ? `${name.slice(0, 40)}…` : name)).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}

function toRecord(line: number, cell: (name: TemplateColumn) => string): ImportedRecommendation | { problem: RowProblem } {
  const problem = (field: TemplateColumn, message: string, code: RowProblemCode, values?: RowProblem['values']) => ({ problem: { line, field, problem: message, code, values } });
  const stateUnderReview = collapseWhiteSpace(cell('state_under_review'));
  const text = collapseWhiteSpace(cell('text'));
  const session = collapseWhiteSpace(cell('session')) || null;
  const cycle = cell('cycle').trim();
  const responseValue = collapseWhiteSpace(cell('response'));
  const response = responseValue === '' ? 'pending' : responseValue.toLowerCase().replace(/[\s-]+/g, '_');
  const action = cell('action_category').trim();
  const sdgs = sdgValues(splitValues(cell('sdgs'), ';'));

  if (!stateUnderReview) return problem('state_under_review', 'the State under Review is empty', 'stateUnderReviewEmpty');
  if (!text) return problem('text', 'the recommendation text is empty', 'textEmpty');
  if (cycle && !/^[1-9]\d*$/.test(cycle)) return problem('cycle', `${quoted(cycle)} is not a cycle number (1, 2, 3, 4, ...)`, 'notACycle', { value: quoted(cycle) });
  if (!(RESPONSES as readonly string[]).includes(response)) return problem('response', `${quoted(responseValue)} is not a response; expected ${RESPONSES.join(', ')} or nothing (pending)`, 'notAResponse', { value: quoted(responseValue), expected: RESPONSES.join(', ') });
  if (action && !/^[1-5]$/.test(action)) return problem('action_category', `${quoted(action)} is not an action category; expected 1 to 5 or nothing`, 'notAnActionCategory', { value: quoted(action) });
  if (sdgs.bad !== null) return problem('sdgs', `${quoted(sdgs.bad)} is not a Sustainable Development Goal; expected goals 1 to 17 or targets ("5.1") separated by ";"`, 'notAnSdg', { value: quoted(sdgs.bad) });

  return {
    line,
    stateUnderReview,
    session,
    // A numeric session is a UPR Working Group session and says the cycle; anything else does not.
    cycleNumber: cycle ? Number(cycle) : cycleNumberForSession(session),
    documentSymbol: collapseWhiteSpace(cell('document_symbol')) || null,
    paragraph: collapseWhiteSpace(cell('paragraph')) || null,
    text,
    recommendingStates: splitValues(cell('recommending_states'), ';'),
    response: response as RecommendationResponse,
    themes: splitValues(cell('themes'), ';'),
    affectedPersons: splitValues(cell('affected_persons'), ';'),
    sdgs: sdgs.goals,
    ...(sdgs.targets.length > 0 ? { sdgTargets: sdgs.targets } : {}),
    actionCategory: action ? Number(action) : null,
  };
}
