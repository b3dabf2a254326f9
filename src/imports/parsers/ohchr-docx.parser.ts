import type { Readable } from 'node:stream';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { ImportLimitError, quoted } from '../import-limit';
import type { ParsedRow, ParseProgress, RecommendationParser, RowProblem, RowProblemCode } from '../import-record';
import type { RecommendationResponse } from '../../vocabulary/recommendation.vocabulary';
import { readAllBytes } from './byte-progress';
import { readDocx, type DocxCell } from './docx-tables';
import { namesStates, splitRecommendingStates, splitStateList, takeTrailingStates } from './recommending-states';
import { collapseWhiteSpace, cycleNumberForSession, sdgNumber, sdgTargetValue, sdgValues, splitParagraph, splitValues } from './text-values';

type Column = 'recommendation' | 'recommendationAndStates' | 'position' | 'themes' | 'recommendingStates' | 'sdgs' | 'affectedPersons';

/**
 * Header texts of the layouts OHCHR has used, matched on the cell's text with white space and line
 * breaks collapsed. The current lists' "Recommendation and recommending State" is tested first, then
 * the older "Recommending State/s" before "Recommendation".
 */
const HEADERS: [Column, RegExp][] = [
  ['recommendationAndStates', /^recommendations?\s+and\s+recommending\s+states?\b/i],
  ['recommendingStates', /recommending state/i],
  ['recommendation', /^recommendations?\b/i],
  ['position', /position/i],
  ['sdgs', /\bsdgs?\b|sustainable development/i],
  ['affectedPersons', /affected persons/i],
  ['themes', /theme/i],
];

const POSITIONS: Record<string, RecommendationResponse> = {
  '': 'pending',
  pending: 'pending',
  supported: 'supported',
  accepted: 'supported',
  noted: 'noted',
  rejected: 'noted',
  'not supported': 'noted',
  'supported/noted': 'supported_in_part',
  'partially supported': 'supported_in_part',
  'supported in part': 'supported_in_part',
};

/**
 * "UPR of China (2nd Cycle – 17th session)", as the page header of the matrices says; the State's
 * name may have brackets of its own ("UPR of Venezuela (Bolivarian Republic of) (3rd Cycle ...").
 */
const TITLES = [
  /\bUPR of (?:the )?(.+?)\s*\(\s*(\d+)\s*(?:st|nd|rd|th)?\s+cycle\b[^)]*?(\d+)\s*(?:st|nd|rd|th)?\s+session\s*\)/i,
  /\bUPR of (?:the )?([^\t]+?)\s*(?:\t|$)/i,
];
/** "Source of position: A/HRC/25/5/Add.1 - Para. 186.28.": the responses are an addendum to the outcome report A/HRC/25/5. */
/** The current lists' paragraph after the text: "; Source of Position: A/HRC/52/11/Add.1 - Para.3". */
const SOURCE_PARAGRAPH = /^[\s;]*Source of position\s*:\s*(.*?)[\s;.]*$/is;
const SOURCE_OF_POSITION = /Source of position\s*:.*$/is;
const OUTCOME_SYMBOL = /Source of position\s*:\s*([A-Z]+\/[A-Z]+\/\d+\/\d+)/i;

/**
 * The OHCHR thematic list ("matrix") of a State's recommendations: one table, theme rows spanning
 * it, then one row per recommendation. Columns are found by their header text, because the layout
 * changed over the years. When the document does not name the State under Review, records carry
 * an empty stateUnderReview and the import must be given the cycle (--cycle / cycleId).
 */
export class OhchrDocxParser implements RecommendationParser {
  readonly format = 'ohchr-docx' as const;

  constructor(private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS) {}

  async *parse(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow> {
    const document = await readDocx(await readAllBytes(input, this.limits.maxUnzippedBytes, onProgress), this.limits).catch((error: Error) => {
      if (error instanceof ImportLimitError) throw error;
      throw new Error(`OHCHR DOCX: ${error.message}`);
    });
    const title = TITLES.map((pattern) => document.titleLines.map((line) => pattern.exec(line)).find(Boolean)).find(Boolean);
    const session = title?.[3] ?? null;
    const review = {
      stateUnderReview: title ? collapseWhiteSpace(title[1]) : '',
      session,
      cycleNumber: title?.[2] ? Number(title[2]) : cycleNumberForSession(session),
      documentSymbol: OUTCOME_SYMBOL.exec(allText(document.tables))?.[1] ?? null,
    };

    let line = 0;
    let columns: Map<number, Column> | undefined;
    let headingTheme: string | null = null;
    for (const row of document.tables.flat()) {
      line += 1;
      const texts = row.map((cell) => collapseWhiteSpace(cell.paragraphs.join(' ')));
      if (texts.every((text) => text === '')) continue;
      const header = headerColumns(row, texts);
      if (header) {
        columns = header;
      } else if (columns && row.length === 1) {
        // A row spanning the table: a theme heading ("Theme: A12 ...") or a section title.
        const theme = THEME_ROW.exec(texts[0]);
        if (theme) headingTheme = theme[1];
      } else if (columns && [...columns.values()].includes('recommendationAndStates')) {
        // The current lists: a theme heading may also be an unmerged row with the theme in its first cell.
        const theme = THEME_ROW.exec(texts[0]);
        if (theme) headingTheme = theme[1];
        else yield currentRecommendationRow(line, row, columns, headingTheme, review);
      } else if (columns) {
        yield recommendationRow(line, row, columns, headingTheme, review);
      }
    }
    if (!columns) throw new Error('OHCHR DOCX: no table with a "Recommendation" column and a "Position" or "Themes" column was found');
  }
}

const THEME_ROW = /^Themes?\s*:\s*(.+)$/i;

function headerColumns(row: DocxCell[], texts: string[]): Map<number, Column> | undefined {
  if (texts.some((text) => text.length > 80)) return undefined;
  const columns = new Map<number, Column>();
  row.forEach((cell, index) => {
    const column = HEADERS.find(([, pattern]) => pattern.test(texts[index]))?.[0];
    if (column && ![...columns.values()].includes(column)) columns.set(cell.column, column);
  });
  const values = [...columns.values()];
  return (values.includes('recommendation') || values.includes('recommendationAndStates')) && values.length > 1 ? columns : undefined;
}

interface Review {
  stateUnderReview: string;
  session: string | null;
  cycleNumber: number | null;
  documentSymbol: string | null;
}

function recommendationRow(line: number, row: DocxCell[], columns: Map<number, Column>, headingTheme: string | null, review: Review): ParsedRow {
  const paragraphsOf = (column: Column) => row.filter((cell) => columns.get(cell.column) === column).flatMap((cell) => cell.paragraphs);
  const symbol = OUTCOME_SYMBOL.exec([...paragraphsOf('recommendation'), ...paragraphsOf('position')].join('\n'))?.[1];
  // Some layouts put the source of the position in the text cell, others in the position cell.
  const withoutSource = (paragraphs: string[]) => collapseWhiteSpace(paragraphs.map((paragraph) => paragraph.replace(SOURCE_OF_POSITION, '')).join(' '));

  const { paragraph, text: wording } = splitParagraph(withoutSource(paragraphsOf('recommendation')));
  const stateColumn = paragraphsOf('recommendingStates').flatMap(statesInCell);
  const { text, states } = stateColumn.length > 0 ? { text: wording, states: stateColumn } : splitRecommendingStates(wording);
  const position = withoutSource(paragraphsOf('position'));
  const response = POSITIONS[position.toLowerCase().replace(/\s*\/\s*/g, '/')];
  if (!text) return { problem: { line, field: 'Recommendation', problem: 'the row has no recommendation text', code: 'textEmpty' } };
  if (!response) return { problem: { line, field: 'Position', problem: `${quoted(position)} is not a position; expected Supported, Noted, Supported/Noted or nothing`, code: 'notAPosition', values: { value: quoted(position), expected: 'Supported, Noted, Supported/Noted' } } };

  const described = describedBy(paragraphsOf('themes'));
  const themes = [...new Set([...(headingTheme ? [headingTheme] : []), ...described.themes])];
  // Values that name no goal are left out, as they always were in these layouts; targets are kept for the import to check.
  const cellSdgs = sdgValues(paragraphsOf('sdgs').flatMap((value) => splitValues(value, /[,;]/)));
  const sdgs = [...described.sdgs, ...cellSdgs.goals];
  const sdgTargets = [...new Set([...described.sdgTargets, ...cellSdgs.targets])];
  return {
    record: {
      line,
      ...review,
      documentSymbol: symbol ?? review.documentSymbol,
      paragraph,
      text,
      recommendingStates: states,
      response,
      themes,
      affectedPersons: [...new Set([...described.affectedPersons, ...paragraphsOf('affectedPersons').flatMap(listItems)])],
      sdgs: [...new Set(sdgs.filter((goal): goal is number => goal !== null))].sort((a, b) => a - b),
      ...(sdgTargets.length > 0 ? { sdgTargets } : {}),
      actionCategory: null,
    },
  };
}

/**
 * The themes cell: theme lines ("A12 Acceptance of international norms"), then "Affected persons:"
 * and "- general" lines, sometimes "SDGs:" and goal lines. Theme lines that are SDGs
 * ("S16 SDG 16 - peace, justice ...") go to the goals.
 */
function describedBy(paragraphs: string[]): { themes: string[]; affectedPersons: string[]; sdgs: (number | null)[]; sdgTargets: string[] } {
  const result = { themes: [] as string[], affectedPersons: [] as string[], sdgs: [] as (number | null)[], sdgTargets: [] as string[] };
  let section: 'themes' | 'affectedPersons' | 'sdgs' = 'themes';
  for (const item of paragraphs.flatMap((paragraph) => paragraph.split('\n')).map(collapseWhiteSpace)) {
    const label = /^(Affected persons|Groups? of persons|SDGs?)\s*:\s*(.*)$/i.exec(item);
    if (label) section = /^sdg/i.test(label[1]) ? 'sdgs' : 'affectedPersons';
    const value = collapseWhiteSpace((label ? label[2] : item).replace(/^-\s*/, ''));
    if (!value) continue;
    const target = section === 'sdgs' ? sdgTargetValue(value) : null;
    if (target) result.sdgTargets.push(target);
    else if (section === 'sdgs' || (section === 'themes' && /^S\d{1,2}\s+SDG\b/i.test(value))) result.sdgs.push(sdgNumber(value));
    else result[section].push(value);
  }
  return result;
}

/**
 * A row of the current lists (fourth cycle, 2023 onward): "Recommendation and recommending State" |
 * "Position of the State under review" | "Human rights themes and groups of persons" | "Relevant
 * SDGs". The first cell holds "26.1 Text ... (State; State)", then a paragraph "; Source of
 * Position: A/HRC/52/11/Add.1 - Para.3"; the position is Supported or Noted; the SDG cell has one
 * goal a paragraph, "- 5 - GENDER EQUALITY".
 */
function currentRecommendationRow(line: number, row: DocxCell[], columns: Map<number, Column>, headingTheme: string | null, review: Review): ParsedRow {
  const paragraphsOf = (column: Column) => row.filter((cell) => columns.get(cell.column) === column).flatMap((cell) => cell.paragraphs);
  const problem = (field: string, message: string, code: RowProblemCode, values?: RowProblem['values']): ParsedRow => ({ problem: { line, field, problem: message, code, values } });
  const wording: string[] = [];
  const sources: string[] = [];
  for (const paragraph of [...paragraphsOf('recommendationAndStates'), ...paragraphsOf('position')]) {
    const source = SOURCE_PARAGRAPH.exec(paragraph);
    if (source) sources.push(collapseWhiteSpace(source[1]));
  }
  for (const paragraph of paragraphsOf('recommendationAndStates')) if (!SOURCE_PARAGRAPH.test(paragraph)) wording.push(paragraph);
  const { paragraph, text: withStates } = splitParagraph(collapseWhiteSpace(wording.join(' ')));
  // One wording a row: the States are the bracketed group(s) that end it, ";" or "." after them dropped.
  const split = takeTrailingStates(withStates.replace(/\)\s*[;.]$/, ')'), namesStates);
  const text = collapseWhiteSpace(split.text);
  const states = [...new Set(split.states.flatMap(splitStateList))];
  const position = collapseWhiteSpace(paragraphsOf('position').filter((value) => !SOURCE_PARAGRAPH.test(value)).join(' '));
  const response = CURRENT_POSITIONS[position.toLowerCase().replace(/\.$/, '')];

  if (!text) return problem('Recommendation and recommending State', 'the row has no recommendation text', 'textEmpty');
  if (states.length === 0) return problem('Recommendation and recommending State', `${quoted(withStates)} does not end with the recommending State(s) in brackets, e.g. "(Chile; Côte d'Ivoire)"`, 'noRecommendingState', { value: quoted(withStates) });
  if (!response && position) {
    return problem('Position of the State under review', `${quoted(position)} is not a position; expected Supported, Noted or Supported/Noted`, 'notAPosition', { value: quoted(position), expected: 'Supported, Noted, Supported/Noted' });
  }
  if (!response) return problem('Position of the State under review', 'the row has no position; expected Supported, Noted or Supported/Noted', 'noPosition', { expected: 'Supported, Noted, Supported/Noted' });
  // The SDG cell lists goals ("- 5 - GENDER EQUALITY") and may list targets ("- 5.1 - End all forms ...", "Target 5.1").
  const cell = sdgValues(paragraphsOf('sdgs').flatMap(listItems));
  if (cell.bad !== null) return problem('Relevant SDGs', `${quoted(cell.bad)} does not name a Sustainable Development Goal (1 to 17) or a target ("5.1")`, 'notAnSdg', { value: quoted(cell.bad) });

  const described = describedBy(paragraphsOf('themes'));
  const sdgs = [...described.sdgs, ...cell.goals].filter((goal): goal is number => goal !== null);
  const sdgTargets = [...new Set([...described.sdgTargets, ...cell.targets])];
  return {
    record: {
      line,
      ...review,
      documentSymbol: OUTCOME_SYMBOL.exec(sources.map((source) => `Source of position: ${source}`).join('\n'))?.[1] ?? review.documentSymbol,
      paragraph,
      text,
      recommendingStates: states,
      response,
      themes: [...new Set([...(headingTheme ? [headingTheme] : []), ...described.themes])],
      affectedPersons: [...new Set(described.affectedPersons)],
      sdgs: [...new Set(sdgs)].sort((a, b) => a - b),
      ...(sdgTargets.length > 0 ? { sdgTargets } : {}),
      actionCategory: null,
      positionSource: sources[0] ?? null,
    },
  };
}

/** The current lists give every recommendation a position: Supported or Noted, nothing else. */
// As in the older layouts and UHRI: "Supported/Noted" (supported in part) is a position OHCHR uses.
const CURRENT_POSITIONS: Record<string, RecommendationResponse> = { supported: 'supported', noted: 'noted', 'supported/noted': 'supported_in_part' };

function listItems(paragraph: string): string[] {
  return splitValues(paragraph, '\n').map((item) => collapseWhiteSpace(item.replace(/^-\s*/, ''))).filter(Boolean);
}

/**
 * A "Recommending State/s" cell: "(France)(Iran (Islamic Republic of))", or names separated by
 * line breaks, ";" or commas outside brackets.
 */
function statesInCell(paragraph: string): string[] {
  const bracketed = takeTrailingStates(paragraph.trim());
  if (bracketed.states.length > 0 && bracketed.text.trim() === '') return bracketed.states;
  return listItems(paragraph).flatMap((item) => splitValues(item, /[;,](?![^()]*\))/));
}

function allText(tables: DocxCell[][][]): string {
  return tables.flat(2).map((cell) => cell.paragraphs.join('\n')).join('\n');
}
