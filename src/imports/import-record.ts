import type { Readable } from 'node:stream';
import type { RecommendationKind, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';

export const IMPORT_FORMATS = ['upr-info-csv', 'uhri-xlsx', 'ohchr-docx', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * One recommendation as a source states it, before it is matched to a cycle. Sources with one
 * row per recommending State (UPR Info) give one record per row; the import merges them.
 */
export interface ImportedRecommendation {
  /** Where it came from, for messages: the 1-based line of a CSV file, or "row N" of a table. */
  line: number;
  /** State under Review, as the source spells it. */
  stateUnderReview: string;
  /** The review session, e.g. "9" (UPR Info, UHRI), when the source says. */
  session: string | null;
  /** The UPR cycle number, when the source says or it follows from the session. */
  cycleNumber: number | null;
  /** Outcome document symbol, e.g. "A/HRC/25/5", when the source says. */
  documentSymbol: string | null;
  /** Paragraph, e.g. "186.1"; null when the source has none. */
  paragraph: string | null;
  text: string;
  recommendingStates: string[];
  response: RecommendationResponse;
  /** A voluntary pledge of the State itself (UPR Info); absent: a recommendation. */
  kind?: RecommendationKind;
  themes: string[];
  affectedPersons: string[];
  sdgs: number[];
  /** SDG targets: as the source writes them ("Target 5.1"), then as stored ("5.1") once the import has checked them; absent: none. */
  sdgTargets?: string[];
  actionCategory: number | null;
  /**
   * Where the State's position was published, as the current OHCHR lists say it ("A/HRC/52/11/Add.1 -
   * Para.3"); not stored yet: the cycle keeps the outcome report's symbol (documentSymbol).
   */
  positionSource?: string | null;
}

/**
 * Why a row could not be read, as a code with its values: what a page needs to say it in another
 * language than the API's English (app catalogue `importProblems.<code>`, issue 13).
 */
export const ROW_PROBLEM_CODES = [
  'textEmpty', 'stateUnderReviewEmpty', 'noCountry', 'manyCountries', 'notAPosition', 'noPosition', 'notAResponse',
  'notAnActionCategory', 'notASession', 'notACycle', 'notAnSdg', 'noRecommendingState', 'paragraphConflict',
  'noStateUnderReview', 'unreadableRecord', 'badHeader', 'cycleClosed', 'noCycle',
] as const;
export type RowProblemCode = (typeof ROW_PROBLEM_CODES)[number];

/** A row the parser could not read, with the reason in words (English) and as a code. */
export interface RowProblem {
  line: number;
  field?: string;
  problem: string;
  code: RowProblemCode;
  /** The values the reason names (the file's own words, numbers), for saying it in another language. */
  values?: Record<string, string | number>;
}

export type ParsedRow = { record: ImportedRecommendation; problem?: undefined } | { record?: undefined; problem: RowProblem };

export interface ParseProgress {
  /** Bytes or rows read so far, and the total when known, for a progress bar. */
  (done: number, total?: number): void;
}

/** Reads one format. Streams: memory stays flat however large the file. */
export interface RecommendationParser {
  readonly format: ImportFormat;
  parse(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow>;
  /** The same rows in batches, where a parser reads many small rows (each row through an async iterator costs a promise). */
  parseBatches?(input: Readable, onProgress?: ParseProgress): AsyncIterable<ParsedRow[]>;
}
