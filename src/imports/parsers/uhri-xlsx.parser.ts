import type { Readable } from 'node:stream';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { ImportLimitError, quoted, shortened } from '../import-limit';
import type { ParsedRow, ParseProgress, RecommendationParser, RowProblem, RowProblemCode } from '../import-record';
import type { RecommendationResponse } from '../../vocabulary/recommendation.vocabulary';
import { readAllBytes } from './byte-progress';
import { withoutRepeatedStates } from './recommending-states';
import { firstWorksheetRows, type SheetRow } from './xlsx-sheet';
import { collapseWhiteSpace, cycleNumberForSession, sdgValues, splitParagraph } from './text-values';

/** The columns read, by header as the UN spells it ("Reccomending") and as it might be corrected. */
const COLUMNS = {
  text: ['text'],
  countriesConcerned: ['countries concerned'],
  documentSymbol: ['document symbol'],
  themes: ['themes'],
  affectedPersons: ['affected persons'],
  sdgs: ['sdgs'],
  recommendingStates: ['upr reccomending states', 'upr recommending states'],
  position: ['upr position'],
  type: ['type'],
  session: ['upr session'],
};
type Column = keyof typeof COLUMNS;

const POSITIONS: Record<string, RecommendationResponse> = {
  '': 'pending',
  supported: 'supported',
  noted: 'noted',
  'supported/noted': 'supported_in_part',
};

/**
 * The export of the Universal Human Rights Index (XLSX), read as a stream. Only rows of Type
 * "Recommendations" are imported; "Concerns/Observations" (treaty bodies' findings) are skipped
 * without a word, since they are not recommendations to follow up. Columns are found by header.
 */
export class UhriXlsxParser implements RecommendationParser {
  readonly format = 'uhri-xlsx' as const;

  constructor(private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS) {}

  async *parse(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow> {
    let columns: Map<Column, number> | undefined;
    // A ZIP's directory is at its end: the file is read whole (within the unzip budget) first.
    const file = await readAllBytes(input, this.limits.maxUnzippedBytes);
    for await (const batch of readableRows(file, this.limits, onProgress)) {
      for (const { line, values } of batch) {
        if (!columns) columns = headerColumns(values);
        else if (values.some((value) => value.trim() !== '')) {
          const parsed = toRow(line, (column) => values[columns!.get(column) ?? -1] ?? '');
          if (parsed) yield parsed;
        }
      }
    }
    if (!columns) throw new Error('UHRI XLSX: the workbook has no header row');
  }
}

/** The first worksheet's rows; a file that is not a readable workbook is named as such, a limit as itself. */
async function* readableRows(file: Buffer, limits: ImportLimits, onProgress?: ParseProgress): AsyncGenerator<SheetRow[]> {
  try {
    yield* firstWorksheetRows(file, limits, onProgress);
  } catch (error) {
    if (error instanceof ImportLimitError) throw error;
    throw new Error(`UHRI XLSX: the file cannot be read as a workbook (${(error as Error).message})`);
  }
}

function headerColumns(header: string[]): Map<Column, number> | undefined {
  if (header.every((value) => value.trim() === '')) return undefined;
  const names = header.map((name) => collapseWhiteSpace(name).toLowerCase());
  const columns = new Map<Column, number>();
  for (const [column, spellings] of Object.entries(COLUMNS) as [Column, string[]][]) {
    const index = names.findIndex((name) => spellings.includes(name));
    if (index !== -1) columns.set(column, index);
  }
  const missing = (['text', 'countriesConcerned'] as Column[]).filter((column) => !columns.has(column));
  if (missing.length > 0) {
    throw new Error(`UHRI XLSX: the first row lacks ${missing.map((column) => `"${COLUMNS[column][0]}"`).join(' and ')}; expected the UHRI export header (Text, Countries Concerned, Reccomending Body, Document Symbol, ...)`);
  }
  return columns;
}

function toRow(line: number, cell: (column: Column) => string): ParsedRow | undefined {
  const type = collapseWhiteSpace(cell('type')).toLowerCase();
  if (type && type !== 'recommendations' && type !== 'recommendation') return undefined;

  const countries = listValues(cell('countriesConcerned'));
  const position = collapseWhiteSpace(cell('position'));
  const response = POSITIONS[position.toLowerCase().replace(/\s*\/\s*/g, '/')];
  const recommendingStates = listValues(cell('recommendingStates'));
  const { paragraph, text } = splitParagraph(withoutRepeatedStates(collapseWhiteSpace(cell('text')), recommendingStates));
  const session = /\d+/.exec(cell('session'))?.[0] ?? null;
  const problem = (field: string, message: string, code: RowProblemCode, values?: RowProblem['values']): ParsedRow => ({ problem: { line, field, problem: message, code, values } });

  if (!text) return problem('Text', 'the recommendation text is empty', 'textEmpty');
  if (countries.length === 0) return problem('Countries Concerned', 'no country is named', 'noCountry');
  if (countries.length > 1) {
    const names = shortened(countries.join(', '), 200);
    return problem('Countries Concerned', `names ${countries.length} countries (${names}); a recommendation has one State under Review`, 'manyCountries', { count: countries.length, names });
  }
  if (!response) return problem('UPR Position', `${quoted(position)} is not a position; expected Supported, Noted, Supported/Noted or nothing`, 'notAPosition', { value: quoted(position), expected: 'Supported, Noted, Supported/Noted' });

  const sdgs = sdgValues(listValues(cell('sdgs')));
  if (sdgs.bad !== null) return problem('Sdgs', `${quoted(sdgs.bad)} does not name a Sustainable Development Goal (1 to 17) or a target ("5.1")`, 'notAnSdg', { value: quoted(sdgs.bad) });
  return {
    record: {
      line,
      stateUnderReview: countries[0],
      session,
      cycleNumber: cycleNumberForSession(session),
      documentSymbol: collapseWhiteSpace(cell('documentSymbol')) || null,
      paragraph,
      text,
      recommendingStates,
      response,
      themes: listValues(cell('themes')),
      affectedPersons: listValues(cell('affectedPersons')),
      sdgs: sdgs.goals,
      ...(sdgs.targets.length > 0 ? { sdgTargets: sdgs.targets } : {}),
      actionCategory: null,
    },
  };
}

/** A multi-valued UHRI cell: one value per line, each written "- value". */
function listValues(cell: string): string[] {
  return cell.split(/\r?\n/).map((line) => collapseWhiteSpace(line.replace(/^\s*-\s+/, ''))).filter(Boolean);
}
