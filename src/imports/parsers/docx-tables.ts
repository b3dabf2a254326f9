import type { SaxesTagPlain } from 'saxes';
import type { ImportLimits } from '../../../config/imports.config';
import { ImportLimitError } from '../import-limit';
import { ZipArchive } from './zip-archive';
import { readXmlPart, type TagHandler } from './xml-part';

export interface DocxCell {
  /** The grid column the cell starts in: cells spanning several columns shift the ones after them. */
  column: number;
  paragraphs: string[];
}

export interface DocxDocument {
  /** Each table as its rows; a table nested in a cell is read as part of that cell. */
  tables: DocxCell[][][];
  /** Paragraphs outside tables, then those of the page headers: where a title says whose review it is. */
  titleLines: string[];
}

/** Run content that is not visible text: deleted revisions, field codes, formatting. */
const INVISIBLE = new Set(['w:del', 'w:delText', 'w:instrText', 'w:rPr', 'w:pPr', 'w:tcPr', 'w:trPr', 'w:tblPr', 'w:tblGrid', 'w:footnoteReference', 'w:commentReference']);

/**
 * The tables and title lines of a .docx file; throws when it is not a readable Word document or
 * goes past a limit. The XML is read as a stream of tags (saxes), keeping only the text of
 * paragraphs: memory follows the document's text, not the number of its elements (a document of
 * millions of empty runs used to take gigabytes as a tree), and the work is done chunk by chunk as
 * the entry inflates, so other requests are answered in between.
 */
export async function readDocx(file: Buffer, limits: ImportLimits): Promise<DocxDocument> {
  const zip = await ZipArchive.open(file, limits, '.docx file');
  try {
    if (!zip.has('word/document.xml')) throw new Error('not a Word document: the file has no word/document.xml');
    const result: DocxDocument = { tables: [], titleLines: [] };
    await readXmlPart(zip, 'word/document.xml', new BodyReader(result, limits), limits);
    for (const name of zip.names().filter((entry) => /^word\/header\d*\.xml$/.test(entry))) {
      await readXmlPart(zip, name, new HeaderReader(result.titleLines, limits), limits);
    }
    result.titleLines = result.titleLines.map((line) => line.trim()).filter(Boolean);
    return result;
  } finally {
    zip.close();
  }
}

/** A paragraph being read: its text so far, and the depth of its element. */
interface OpenParagraph {
  depth: number;
  text: string;
  done(text: string): void;
}

/** The part of the handlers that reads a paragraph's visible text, hiding INVISIBLE elements. */
abstract class ParagraphReader implements TagHandler {
  protected paragraph: OpenParagraph | null = null;
  /** Depth of the outermost element whose content is not read, or 0. */
  protected hiddenFrom = 0;

  constructor(protected readonly limits: ImportLimits) {}

  abstract open(tag: SaxesTagPlain, depth: number): void;
  abstract close(depth: number): void;

  text(text: string): void {
    if (this.paragraph && this.hiddenFrom === 0) this.append(text);
  }

  protected hide(depth: number): void {
    if (this.hiddenFrom === 0) this.hiddenFrom = depth;
  }

  protected unhide(depth: number): void {
    if (this.hiddenFrom === depth) this.hiddenFrom = 0;
  }

  /** Handles a tag inside an open paragraph; true when it was one. */
  protected openInParagraph(name: string, depth: number): boolean {
    if (!this.paragraph) return false;
    if (INVISIBLE.has(name)) this.hide(depth);
    else if (name === 'w:tab') this.append('\t');
    else if (name === 'w:br' || name === 'w:cr') this.append('\n');
    else if (name === 'w:noBreakHyphen') this.append('-');
    return true;
  }

  protected startParagraph(depth: number, done: (text: string) => void): void {
    this.paragraph = { depth, text: '', done };
  }

  /** Ends the open paragraph when its element closes; true when it did. */
  protected closeParagraph(depth: number): boolean {
    if (this.paragraph?.depth !== depth) return false;
    this.paragraph.done(this.paragraph.text);
    this.paragraph = null;
    return true;
  }

  private append(text: string): void {
    const paragraph = this.paragraph!;
    paragraph.text += text;
    if (paragraph.text.length > this.limits.maxCellChars) {
      throw new ImportLimitError('IMPORT_MAX_CELL_CHARS', `a paragraph holds more than ${this.limits.maxCellChars} characters`);
    }
  }
}

interface OpenRow {
  depth: number;
  column: number;
  cells: DocxCell[];
  /** Depth of the row's w:trPr, where w:gridBefore says how many grid columns the row skips. */
  propertiesDepth: number;
}

interface OpenCell {
  depth: number;
  cell: DocxCell;
  span: number;
  characters: number;
  propertiesDepth: number;
}

/**
 * word/document.xml: the first w:body's tables (rows, cells and the paragraphs in them, those of
 * tables nested in a cell included) and its paragraphs outside tables. Content controls (w:sdt) and
 * other wrappers are looked through.
 */
class BodyReader extends ParagraphReader {
  private bodyDepth = 0;
  private bodySeen = false;
  private table: { depth: number; rows: DocxCell[][] } | null = null;
  private row: OpenRow | null = null;
  private cell: OpenCell | null = null;
  private rows = 0;

  constructor(private readonly result: DocxDocument, limits: ImportLimits) {
    super(limits);
  }

  open(tag: SaxesTagPlain, depth: number): void {
    const name = tag.name;
    this.readGrid(name, tag, depth);
    if (this.hiddenFrom !== 0 || this.openInParagraph(name, depth)) return;
    if (this.bodyDepth === 0) {
      if (name === 'w:body' && !this.bodySeen) {
        this.bodyDepth = depth;
        this.bodySeen = true;
      }
      return;
    }
    if (!this.table) {
      if (name === 'w:tbl') this.table = { depth, rows: [] };
      else if (name === 'w:p') this.startParagraph(depth, (text) => this.result.titleLines.push(text));
      return;
    }
    // Inside a table, formatting is not content; a table between rows (not in a cell) is not read.
    if (INVISIBLE.has(name) || (name === 'w:tbl' && !this.cell)) {
      if (name === 'w:trPr' && this.row && !this.cell && this.row.propertiesDepth === 0 && depth === this.row.depth + 1) this.row.propertiesDepth = depth;
      if (name === 'w:tcPr' && this.cell && this.cell.propertiesDepth === 0 && depth === this.cell.depth + 1) this.cell.propertiesDepth = depth;
      this.hide(depth);
    } else if (name === 'w:tr' && !this.row) {
      this.row = { depth, column: 0, cells: [], propertiesDepth: 0 };
    } else if (name === 'w:tc' && this.row && !this.cell) {
      this.cell = { depth, cell: { column: this.row.column, paragraphs: [] }, span: 1, characters: 0, propertiesDepth: 0 };
    } else if (name === 'w:p' && this.cell) {
      const cell = this.cell;
      this.startParagraph(depth, (text) => {
        cell.characters += text.length;
        if (cell.characters > this.limits.maxCellChars) {
          throw new ImportLimitError('IMPORT_MAX_CELL_CHARS', `a table cell holds more than ${this.limits.maxCellChars} characters`);
        }
        cell.cell.paragraphs.push(text);
      });
    }
  }

  close(depth: number): void {
    this.unhide(depth);
    if (this.closeParagraph(depth)) return;
    if (this.cell?.depth === depth) {
      this.row!.cells.push(this.cell.cell);
      this.row!.column += this.cell.span;
      this.cell = null;
      if (this.row!.cells.length > this.limits.maxColumns) {
        throw new ImportLimitError('IMPORT_MAX_COLUMNS', `a table row has more than ${this.limits.maxColumns} cells`);
      }
    } else if (this.row?.depth === depth) {
      this.table!.rows.push(this.row.cells);
      this.row = null;
      this.rows += 1;
      if (this.rows > this.limits.maxRows) throw new ImportLimitError('IMPORT_MAX_ROWS', `the document's tables have more than ${this.limits.maxRows} rows`);
    } else if (this.table?.depth === depth) {
      this.result.tables.push(this.table.rows);
      this.table = null;
    } else if (this.bodyDepth === depth) {
      this.bodyDepth = 0;
    }
  }

  /** w:gridBefore in the row's properties and w:gridSpan in the cell's: where cells sit in the grid. */
  private readGrid(name: string, tag: SaxesTagPlain, depth: number): void {
    const value = Number(tag.attributes['w:val']);
    if (!Number.isInteger(value) || value < 0) return;
    if (name === 'w:gridBefore' && this.row && !this.cell && this.row.propertiesDepth === depth - 1 && this.row.cells.length === 0) {
      this.row.column = value;
    } else if (name === 'w:gridSpan' && this.cell && this.cell.propertiesDepth === depth - 1) {
      this.cell.span = value;
    }
  }
}

/** A page header: every paragraph in it, tables included, is a title line. */
class HeaderReader extends ParagraphReader {
  constructor(private readonly titleLines: string[], limits: ImportLimits) {
    super(limits);
  }

  open(tag: SaxesTagPlain, depth: number): void {
    if (this.hiddenFrom !== 0 || this.openInParagraph(tag.name, depth)) return;
    if (INVISIBLE.has(tag.name)) this.hide(depth);
    else if (tag.name === 'w:p') this.startParagraph(depth, (text) => this.titleLines.push(text));
  }

  close(depth: number): void {
    this.unhide(depth);
    this.closeParagraph(depth);
  }
}
