import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';

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

/** One XML element as fast-xml-parser gives it with preserveOrder: { tag: children, ':@': attributes } or { '#text': text }. */
type XmlNode = Record<string, unknown>;

const xml = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, parseTagValue: false });

/** Run content that is not visible text: deleted revisions, field codes, formatting. */
const INVISIBLE = new Set(['w:del', 'w:delText', 'w:instrText', 'w:rPr', 'w:pPr', 'w:tcPr', 'w:trPr', 'w:tblPr', 'w:tblGrid', 'w:footnoteReference', 'w:commentReference']);

/** The tables and title lines of a .docx file; throws when it is not a readable Word document. */
export async function readDocx(file: Buffer): Promise<DocxDocument> {
  const zip = await JSZip.loadAsync(file).catch((error: Error) => {
    throw new Error(`not a readable .docx file (${error.message})`);
  });
  const document = zip.file('word/document.xml');
  if (!document) throw new Error('not a Word document: the file has no word/document.xml');
  const body = findFirst(xml.parse(await document.async('string')) as XmlNode[], 'w:body');
  const result: DocxDocument = { tables: [], titleLines: [] };
  // Tables and paragraphs can sit inside content controls (w:sdt), so look through everything else.
  const visit = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      if (tag(node) === 'w:tbl') result.tables.push(tableRows(node));
      else if (tag(node) === 'w:p') result.titleLines.push(paragraphText(node));
      else if (tag(node) !== '#text') visit(children(node));
    }
  };
  visit(body ? children(body) : []);
  const headers = zip.file(/^word\/header\d*\.xml$/);
  for (const header of headers) {
    collect(xml.parse(await header.async('string')) as XmlNode[], 'w:p').forEach((p) => result.titleLines.push(paragraphText(p)));
  }
  result.titleLines = result.titleLines.map((line) => line.trim()).filter(Boolean);
  return result;
}

function tableRows(table: XmlNode): DocxCell[][] {
  return collect(children(table), 'w:tr', 'w:tbl').map((row) => {
    let column = Number(attribute(child(child(row, 'w:trPr'), 'w:gridBefore'), 'w:val') ?? 0);
    return collect(children(row), 'w:tc', 'w:tbl').map((cell) => {
      const span = Number(attribute(child(child(cell, 'w:tcPr'), 'w:gridSpan'), 'w:val') ?? 1);
      const result = { column, paragraphs: collect(children(cell), 'w:p').map(paragraphText) };
      column += span;
      return result;
    });
  });
}

function paragraphText(paragraph: XmlNode): string {
  let text = '';
  const visit = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      const name = tag(node);
      if (name === undefined) continue;
      if (name === '#text') text += String(node['#text']);
      else if (name === 'w:t') visit(children(node));
      else if (name === 'w:tab') text += '\t';
      else if (name === 'w:br' || name === 'w:cr') text += '\n';
      else if (name === 'w:noBreakHyphen') text += '-';
      else if (!INVISIBLE.has(name)) visit(children(node));
    }
  };
  visit(children(paragraph));
  return text;
}

function tag(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@');
}

function children(node: XmlNode): XmlNode[] {
  const value = node[tag(node) ?? ''];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node ? children(node).find((candidate) => tag(candidate) === name) : undefined;
}

function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const attributes = node?.[':@'] as Record<string, string> | undefined;
  return attributes?.[name];
}

/** Elements named `name` under `nodes`, not looking inside them nor inside `stopAt` elements. */
function collect(nodes: XmlNode[], name: string, stopAt?: string): XmlNode[] {
  const found: XmlNode[] = [];
  for (const node of nodes) {
    const nodeTag = tag(node);
    if (nodeTag === name) found.push(node);
    else if (nodeTag !== stopAt && nodeTag !== '#text' && !INVISIBLE.has(nodeTag ?? '')) found.push(...collect(children(node), name, stopAt));
  }
  return found;
}

function findFirst(nodes: XmlNode[], name: string): XmlNode | undefined {
  for (const node of nodes) {
    if (tag(node) === name) return node;
    const inner = tag(node) === '#text' ? undefined : findFirst(children(node), name);
    if (inner) return inner;
  }
  return undefined;
}
