import { posix } from 'node:path';
import type { SaxesTagPlain } from 'saxes';
import type { ImportLimits } from '../../../config/imports.config';
import { ImportLimitError } from '../import-limit';
import type { ParseProgress } from '../import-record';
import { readXmlPart, xmlPartPieces, type TagHandler } from './xml-part';
import { ZipArchive } from './zip-archive';

/** A worksheet row: its number as the spreadsheet shows it, and its cells as text from column A. */
export interface SheetRow {
  line: number;
  values: string[];
}

/**
 * The first worksheet of an .xlsx file (SpreadsheetML, ECMA-376 part 1, §18), as text, in batches of
 * the rows each inflated piece completes.
 *
 * The parts are found through the ZIP's central directory and read in the order they depend on each
 * other: the package's relationships name the workbook, the workbook's name its first sheet and the
 * shared strings, the strings are read before the sheet. exceljs's streaming reader took the parts in
 * the order they are stored and, on Node 18 and later, sometimes lost the last one (exceljs#3064): a
 * workbook written by exceljs stores xl/workbook.xml last, and such a good file was then refused as
 * unreadable now and then. Only the text of cells is kept: shared strings (bounded by the unzip
 * budget, each cut just past the longest cell allowed) and one row at a time.
 */
export async function* firstWorksheetRows(file: Buffer, limits: ImportLimits, onProgress?: ParseProgress): AsyncGenerator<SheetRow[]> {
  const zip = await ZipArchive.open(file, limits, '.xlsx file');
  try {
    const workbookPath = (await relationships(zip, '', limits)).find((rel) => rel.type === 'officeDocument')?.target ?? 'xl/workbook.xml';
    if (!zip.has(workbookPath)) throw new Error(`not an Excel workbook: the file has no ${workbookPath}`);
    const workbookRels = await relationships(zip, workbookPath, limits);
    const sheets = new WorkbookReader();
    await readXmlPart(zip, workbookPath, sheets, limits);
    const sheetPath = workbookRels.find((rel) => rel.id === sheets.firstSheetId && rel.type === 'worksheet')?.target;
    if (!sheetPath || !zip.has(sheetPath)) throw new Error('the workbook names no worksheet that the file holds');
    const stringsPath = workbookRels.find((rel) => rel.type === 'sharedStrings')?.target;
    const strings = new SharedStringsReader(limits.maxCellChars);
    if (stringsPath && zip.has(stringsPath)) await readXmlPart(zip, stringsPath, strings, limits);

    const rows = new WorksheetReader(strings.strings, limits);
    const size = zip.size(sheetPath);
    for await (const _piece of xmlPartPieces(zip, sheetPath, rows, limits, (bytes) => onProgress?.(bytes, size))) {
      const done = rows.take();
      if (done.length > 0) yield done;
    }
  } finally {
    zip.close();
  }
}

interface Relationship {
  id: string;
  /** The last segment of the type's URI: "worksheet", "sharedStrings", "officeDocument" (transitional and strict alike). */
  type: string;
  /** The target as a path inside the ZIP. */
  target: string;
}

/** The relationships of a part ('' for the package), from its .rels part, if it has one. */
async function relationships(zip: ZipArchive, part: string, limits: ImportLimits): Promise<Relationship[]> {
  const relsPath = posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
  if (!zip.has(relsPath)) return [];
  const found: Relationship[] = [];
  await readXmlPart(zip, relsPath, {
    open(tag) {
      if (localName(tag.name) !== 'Relationship' || tag.attributes.TargetMode === 'External') return;
      const { Id: id, Type: type, Target: target } = tag.attributes;
      if (id && type && target) found.push({ id, type: type.slice(type.lastIndexOf('/') + 1), target: partPath(posix.dirname(part), target) });
    },
    close() {},
    text() {},
  }, limits);
  return found;
}

/** A relationship's target as a ZIP entry name: relative to the source part's folder, or absolute from the package's root. */
function partPath(sourceFolder: string, target: string): string {
  const path = target.startsWith('/') ? posix.normalize(target.slice(1)) : posix.normalize(posix.join(sourceFolder, target));
  return path.replace(/^(\.\.\/)+/, '');
}

/** "x:row" and "row" alike: some writers prefix SpreadsheetML's elements. */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The relationship id of the workbook's first sheet (the first tab), whatever its namespace prefix. */
class WorkbookReader implements TagHandler {
  firstSheetId: string | undefined;

  open(tag: SaxesTagPlain): void {
    if (this.firstSheetId !== undefined || localName(tag.name) !== 'sheet') return;
    const idKey = Object.keys(tag.attributes).find((key) => key.includes(':') && localName(key) === 'id');
    this.firstSheetId = idKey ? tag.attributes[idKey] : '';
  }

  close(): void {}
  text(): void {}
}

/** `_x000D_` and the like: characters that XML cannot hold, as SpreadsheetML escapes them (ST_Xstring). */
function unescaped(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/**
 * The shared string table: each `<si>`'s text, runs of rich text joined, phonetic guides (`<rPh>`)
 * left out. A string is cut one character past the longest cell allowed, so that a cell using it is
 * refused for its length as an inline one would be, without holding more of it.
 */
class SharedStringsReader implements TagHandler {
  readonly strings: string[] = [];
  private item: string | null = null;
  private itemDepth = 0;
  private textDepth = 0;
  private phoneticDepth = 0;

  constructor(private readonly maxChars: number) {}

  open(tag: SaxesTagPlain, depth: number): void {
    const name = localName(tag.name);
    if (name === 'si') {
      this.item = '';
      this.itemDepth = depth;
    } else if (name === 'rPh' && this.item !== null) this.phoneticDepth = depth;
    else if (name === 't' && this.item !== null && this.phoneticDepth === 0) this.textDepth = depth;
  }

  close(depth: number): void {
    if (depth === this.textDepth) this.textDepth = 0;
    else if (depth === this.phoneticDepth) this.phoneticDepth = 0;
    else if (depth === this.itemDepth && this.item !== null) {
      this.strings.push(unescaped(this.item));
      this.item = null;
    }
  }

  text(text: string): void {
    if (this.textDepth === 0 || this.item === null || this.item.length > this.maxChars) return;
    this.item += text.length > this.maxChars + 1 ? text.slice(0, this.maxChars + 1) : text;
  }
}

interface OpenCell {
  ref: string;
  column: number;
  type: string;
  text: string;
}

/**
 * A worksheet's rows as text. A cell's text is its value as Excel shows it without formatting: a
 * shared or inline string, a formula's cached result, a number (Excel's serial dates stay numbers),
 * TRUE/FALSE as "true"/"false". Rows and columns are numbered from the `r` attributes, or follow the
 * previous one where a writer leaves them out.
 */
class WorksheetReader implements TagHandler {
  private done: SheetRow[] = [];
  private row: SheetRow | null = null;
  private cell: OpenCell | null = null;
  private dataDepth = 0;
  private rowDepth = 0;
  private cellDepth = 0;
  private textDepth = 0;
  private inlineDepth = 0;
  private phoneticDepth = 0;
  private lastLine = 0;
  private rowsRead = 0;
  private lastColumn = -1;

  constructor(
    private readonly strings: string[],
    private readonly limits: ImportLimits,
  ) {}

  /** The rows completed since the last call. */
  take(): SheetRow[] {
    const done = this.done;
    this.done = [];
    return done;
  }

  open(tag: SaxesTagPlain, depth: number): void {
    const name = localName(tag.name);
    if (name === 'sheetData') this.dataDepth = depth;
    else if (name === 'row' && this.dataDepth > 0 && depth === this.dataDepth + 1) this.openRow(tag.attributes.r, depth);
    else if (name === 'c' && this.row && depth === this.rowDepth + 1) this.openCell(tag.attributes.r, tag.attributes.t, depth);
    else if (this.cell) {
      if (name === 'is') this.inlineDepth = depth;
      else if (name === 'rPh') this.phoneticDepth = depth;
      else if ((name === 'v' && depth === this.cellDepth + 1) || (name === 't' && this.inlineDepth > 0 && this.phoneticDepth === 0)) this.textDepth = depth;
    }
  }

  close(depth: number): void {
    if (depth === this.textDepth) this.textDepth = 0;
    else if (depth === this.phoneticDepth) this.phoneticDepth = 0;
    else if (depth === this.inlineDepth) this.inlineDepth = 0;
    else if (depth === this.cellDepth && this.cell && this.row) {
      this.row.values[this.cell.column] = this.cellValue(this.cell);
      this.cell = null;
      this.cellDepth = 0;
    } else if (depth === this.rowDepth && this.row) {
      const values = this.row.values;
      for (let i = 0; i < values.length; i++) values[i] ??= '';
      this.done.push(this.row);
      this.row = null;
      this.rowDepth = 0;
    } else if (depth === this.dataDepth) this.dataDepth = 0;
  }

  text(text: string): void {
    if (this.textDepth === 0 || !this.cell) return;
    this.cell.text += text;
    if (this.cell.text.length > this.limits.maxCellChars) this.tooLong(this.cell);
  }

  private openRow(r: string | undefined, depth: number): void {
    const line = r === undefined ? this.lastLine + 1 : Number(r);
    if (!Number.isInteger(line) || line < 1) throw new Error(`a row is numbered ${JSON.stringify(r)}, not a row number`);
    // Counted as well as numbered: a file can give every row the same number.
    this.rowsRead += 1;
    if (line > this.limits.maxRows || this.rowsRead > this.limits.maxRows) throw new ImportLimitError('IMPORT_MAX_ROWS', `the worksheet has more than ${this.limits.maxRows} rows`);
    this.row = { line, values: [] };
    this.rowDepth = depth;
    this.lastLine = line;
    this.lastColumn = -1;
  }

  private openCell(r: string | undefined, type: string | undefined, depth: number): void {
    const line = this.row!.line;
    const column = r === undefined ? this.lastColumn + 1 : columnIndex(r);
    if (column < 0) throw new Error(`row ${line} has a cell named ${JSON.stringify(r)}, not a cell reference`);
    if (column >= this.limits.maxColumns) throw new ImportLimitError('IMPORT_MAX_COLUMNS', `row ${line} has more than ${this.limits.maxColumns} columns`);
    this.cell = { ref: r ?? `${columnLetters(column)}${line}`, column, type: type ?? 'n', text: '' };
    this.cellDepth = depth;
    this.lastColumn = column;
  }

  private cellValue(cell: OpenCell): string {
    switch (cell.type) {
      case 's': {
        const index = Number(cell.text);
        const text = cell.text.trim() === '' ? undefined : this.strings[index];
        if (text === undefined) throw new Error(`cell ${cell.ref} names shared string ${JSON.stringify(cell.text)}, which the workbook does not have`);
        if (text.length > this.limits.maxCellChars) this.tooLong(cell);
        return text;
      }
      case 'b':
        return cell.text === '1' ? 'true' : cell.text === '0' ? 'false' : cell.text;
      case 'n': {
        const number = Number(cell.text);
        return cell.text.trim() !== '' && Number.isFinite(number) ? String(number) : cell.text;
      }
      case 'd':
        return /^\d{4}-\d\d-\d\d/.test(cell.text) ? cell.text.slice(0, 10) : cell.text;
      default:
        return unescaped(cell.text);
    }
  }

  private tooLong(cell: OpenCell): never {
    throw new ImportLimitError('IMPORT_MAX_CELL_CHARS', `row ${this.row!.line}, cell ${cell.ref} holds more than ${this.limits.maxCellChars} characters`);
  }
}

/** "A1" → 0, "AB7" → 27; -1 when it is not a cell reference. */
function columnIndex(ref: string): number {
  const letters = /^([A-Za-z]{1,3})\d*$/.exec(ref)?.[1];
  if (!letters) return -1;
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

function columnLetters(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
