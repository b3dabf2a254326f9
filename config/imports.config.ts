import { WholeNumber } from './validate-section';

const whole = (name: string, min: number, max: number, unit: string) => `${name} must be a whole number of ${unit} (${min} to ${max})`;

/**
 * Bounds on what one import file may cost, whatever route it comes by (API, page, command line).
 * The defaults take every real source we know (the whole UPR Info export, a UHRI export of a few
 * States, any OHCHR matrix) with room to spare, and keep a hostile file to a few hundred MB of
 * memory: see docs/operations.md#limits for what each one protects.
 */
export class ImportsEnvironment {
  /** What a ZIP-based file (DOCX, XLSX) may unzip to, all entries together. */
  @WholeNumber(1, 4096, whole('IMPORT_MAX_UNZIPPED_MB', 1, 4096, 'megabytes'))
  IMPORT_MAX_UNZIPPED_MB = 100;

  @WholeNumber(1, 100000, whole('IMPORT_MAX_ZIP_ENTRIES', 1, 100000, 'entries'))
  IMPORT_MAX_ZIP_ENTRIES = 1000;

  /** Unzipped size over zipped size, for entries above 1 MB unzipped. Word XML packs 20-40 to 1. */
  @WholeNumber(10, 100000, whole('IMPORT_MAX_ZIP_RATIO', 10, 100000, 'times'))
  IMPORT_MAX_ZIP_RATIO = 200;

  /** Rows of a file (CSV records, spreadsheet rows, table rows). The UPR Info export has 41,066. */
  @WholeNumber(1, 10000000, whole('IMPORT_MAX_ROWS', 1, 10000000, 'rows'))
  IMPORT_MAX_ROWS = 250_000;

  /** Columns of a header or row. The sources have 11 to 25. */
  @WholeNumber(10, 100000, whole('IMPORT_MAX_COLUMNS', 10, 100000, 'columns'))
  IMPORT_MAX_COLUMNS = 200;

  /** Characters in one cell. The longest real recommendation we have seen is about 3,000. */
  @WholeNumber(1000, 10000000, whole('IMPORT_MAX_CELL_CHARS', 1000, 10000000, 'characters'))
  IMPORT_MAX_CELL_CHARS = 32_768;

  /** One CSV line (record), quoted line breaks included. */
  @WholeNumber(16, 1048576, whole('IMPORT_MAX_LINE_KB', 16, 1048576, 'kilobytes'))
  IMPORT_MAX_LINE_KB = 256;

  /** How deep XML elements may nest in a DOCX or XLSX part. Word's own documents stay under 30. */
  @WholeNumber(16, 10000, whole('IMPORT_MAX_XML_DEPTH', 16, 10000, 'levels'))
  IMPORT_MAX_XML_DEPTH = 256;
}

export interface ImportLimits {
  maxUnzippedBytes: number;
  maxZipEntries: number;
  maxZipRatio: number;
  maxRows: number;
  maxColumns: number;
  maxCellChars: number;
  maxLineChars: number;
  maxXmlDepth: number;
}

export function toImportLimits(env: ImportsEnvironment): ImportLimits {
  return {
    maxUnzippedBytes: env.IMPORT_MAX_UNZIPPED_MB * 1024 * 1024,
    maxZipEntries: env.IMPORT_MAX_ZIP_ENTRIES,
    maxZipRatio: env.IMPORT_MAX_ZIP_RATIO,
    maxRows: env.IMPORT_MAX_ROWS,
    maxColumns: env.IMPORT_MAX_COLUMNS,
    maxCellChars: env.IMPORT_MAX_CELL_CHARS,
    maxLineChars: env.IMPORT_MAX_LINE_KB * 1024,
    maxXmlDepth: env.IMPORT_MAX_XML_DEPTH,
  };
}

/** The defaults, for code that runs without a configuration (parsers' unit tests, benchmarks). */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = toImportLimits(new ImportsEnvironment());
