import { loadExcelJs } from '../../common/lazy-modules';
import { Readable } from 'node:stream';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { ImportLimitError, quoted, shortened } from '../import-limit';
import type { ParsedRow, ParseProgress, RecommendationParser, RowProblem, RowProblemCode } from '../import-record';
import type { RecommendationResponse } from '../../vocabulary/recommendation.vocabulary';
import { countingBytes, readAllBytes } from './byte-progress';
import { withoutRepeatedStates } from './recommending-states';
import { inPieces } from '../import-source';
import { ZipArchive } from './zip-archive';
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

  constructor(
    private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
    private readonly stallMs = XLSX_STALL_MS,
  ) {}

  async *parse(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow> {
    let columns: Map<Column, number> | undefined;
    // exceljs inflates the parts itself: check the whole file against the limits first.
    const file = await readAllBytes(input, this.limits.maxUnzippedBytes);
    await checkWorkbook(file, this.limits);
    for await (const { line, values } of sheetRows(Readable.from(inPieces(file)), this.stallMs, this.limits, onProgress)) {
      if (!columns) columns = headerColumns(values);
      else if (values.some((value) => value.trim() !== '')) {
        const parsed = toRow(line, (column) => values[columns!.get(column) ?? -1] ?? '');
        if (parsed) yield parsed;
      }
    }
    if (!columns) throw new Error('UHRI XLSX: the workbook has no header row');
  }
}

/** The ZIP checks of zip-archive.ts, every part inflated once under the budget, before exceljs reads it. */
async function checkWorkbook(file: Buffer, limits: ImportLimits): Promise<void> {
  let zip: ZipArchive | undefined;
  try {
    zip = await ZipArchive.open(file, limits, '.xlsx file');
    await zip.checkAll();
  } catch (error) {
    if (error instanceof ImportLimitError) throw error;
    throw new Error(`UHRI XLSX: the file cannot be read as a workbook (${(error as Error).message})`);
  } finally {
    zip?.close();
  }
}

/**
 * exceljs's streaming reader waits for ever on some damaged or truncated files (a ZIP entry whose
 * stream gets neither its end nor an error), which left an import request hanging. A reader that
 * neither takes a byte nor gives a row for this long is stuck on a broken file. Generous: parsing a
 * large workbook's shared strings takes bytes all along, but a slow disk or a busy machine may pause.
 */
export const XLSX_STALL_MS = 20_000;

/** The rows of the first worksheet as text, numbered as the spreadsheet numbers them. */
async function* sheetRows(input: Readable, stallMs: number, limits: ImportLimits, onProgress?: ParseProgress): AsyncGenerator<{ line: number; values: string[] }> {
  let lastProgress = Date.now();
  const bytes = countingBytes(input, (done, total) => {
    lastProgress = Date.now();
    onProgress?.(done, total);
  });
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(bytes, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore',
  });
  async function* rows(): AsyncGenerator<{ line: number; values: string[] } | null> {
    let firstSheet = true;
    for await (const sheet of workbook) {
      // The export has one sheet; later ones are read through only so that the stream ends properly.
      for await (const row of sheet) yield firstSheet ? { line: row.number, values: rowValues(row.number, row.values as unknown[], limits) } : null;
      firstSheet = false;
    }
  }
  const iterator = rows();
  try {
    for (;;) {
      // Only the reader's own time counts, not the time the caller takes between rows.
      lastProgress = Date.now();
      const next = await untilStalled(iterator.next(), () => lastProgress, stallMs);
      if (next.done) return;
      if (next.value) yield next.value;
    }
  } catch (error) {
    bytes.destroy();
    if (error instanceof ImportLimitError) throw error;
    throw new Error(`UHRI XLSX: the file cannot be read as a workbook (${(error as Error).message})`);
  }
}

/** The step's result, or an error once nothing has progressed for `ms`. */
async function untilStalled<T>(step: Promise<T>, lastProgress: () => number, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (Date.now() - lastProgress() > ms) reject(new Error('the reader stopped in the middle of the file: it is damaged or incomplete'));
    }, Math.max(10, Math.floor(ms / 4)));
  });
  try {
    return await Promise.race([step, stalled]);
  } finally {
    clearInterval(timer);
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

/** A row's cells as text, refused past the limits before any cell is copied. */
function rowValues(line: number, values: unknown[], limits: ImportLimits): string[] {
  if (line > limits.maxRows) throw new ImportLimitError('IMPORT_MAX_ROWS', `the worksheet has more than ${limits.maxRows} rows`);
  if (values.length > limits.maxColumns + 1) throw new ImportLimitError('IMPORT_MAX_COLUMNS', `row ${line} has more than ${limits.maxColumns} columns`);
  return Array.from(values, (value, index) => {
    const text = cellText(value);
    if (text.length > limits.maxCellChars) throw new ImportLimitError('IMPORT_MAX_CELL_CHARS', `row ${line}, column ${index} holds more than ${limits.maxCellChars} characters`);
    return text;
  });
}

/** A cell as text, whatever exceljs made of it: rich text, a hyperlink, a formula's result. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
  if (cell.richText) return cell.richText.map((part) => part.text).join('');
  if (cell.text !== undefined) return cellText(cell.text);
  return cellText(cell.result);
}
