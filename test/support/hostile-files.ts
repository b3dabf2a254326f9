// Hostile import files, built in the test itself (issue 10): compression bombs, lying ZIP headers,
// hidden ZIP entries, deep nesting, entity expansion, wide and long CSVs, huge cells, many sheets
// and thousands of tables. Large inflated sizes are produced by deflating a repeated chunk as a
// stream, so the test never holds the inflated content in memory.
import { constants, crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

const MB = 1024 * 1024;

/** One ZIP entry: its deflated bytes, CRC and sizes, and optionally a declared size that lies. */
export interface ZipPart {
  name: string;
  deflated: Buffer;
  crc: number;
  size: number;
  declaredSize?: number;
}

/** A part from its content. */
export function part(name: string, content: string | Buffer): ZipPart {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  return { name, deflated: deflateRawSync(data), crc: crc32(data), size: data.length };
}

/**
 * A part of `prefix`, then `chunk` repeated until `size` bytes, then `suffix`, deflated as a stream:
 * a 300 MB part costs the test a few MB.
 */
export async function repeatedPart(name: string, prefix: string, chunk: string, size: number, suffix: string): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level: constants.Z_BEST_COMPRESSION });
  const out: Buffer[] = [];
  deflate.on('data', (data: Buffer) => out.push(data));
  const done = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  let written = 0;
  const write = async (data: Buffer) => {
    crc = crc32(data, crc);
    written += data.length;
    if (!deflate.write(data)) await new Promise((resolve) => deflate.once('drain', resolve));
  };
  await write(Buffer.from(prefix));
  const block = Buffer.from(chunk.repeat(Math.max(1, Math.floor(MB / chunk.length))));
  const body = size - prefix.length - suffix.length;
  for (let left = body; left > 0; left -= block.length) await write(left >= block.length ? block : block.subarray(0, left));
  await write(Buffer.from(suffix));
  deflate.end();
  await done;
  return { name, deflated: Buffer.concat(out), crc, size: written };
}

/** A ZIP file of the parts, each declaring `declaredSize` when given; `hidden` parts have no central directory entry. */
export function zip(parts: ZipPart[], hidden: ZipPart[] = []): Buffer {
  const chunks: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  const local = (p: ZipPart) => {
    const name = Buffer.from(p.name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(p.crc >>> 0, 14);
    header.writeUInt32LE(p.deflated.length, 18);
    header.writeUInt32LE(p.declaredSize ?? p.size, 22);
    header.writeUInt16LE(name.length, 26);
    const at = offset;
    chunks.push(header, name, p.deflated);
    offset += header.length + name.length + p.deflated.length;
    return at;
  };
  for (const h of hidden) local(h);
  for (const p of parts) {
    const at = local(p);
    const name = Buffer.from(p.name);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(p.crc >>> 0, 16);
    entry.writeUInt32LE(p.deflated.length, 20);
    entry.writeUInt32LE(p.declaredSize ?? p.size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(at, 42);
    directory.push(entry, name);
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directoryBytes, end]);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const DOCX_TYPES = part('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
const XLSX_TYPES = part('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>');
const DOC_START = `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>`;
const DOC_END = '</w:body></w:document>';
const cellXml = (text: string) => `<w:tc><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:tc>`;
const HEADER_ROW = `<w:tr>${cellXml('Recommendation')}${cellXml('Position')}</w:tr>`;

/** A Word document whose body is `bodyXml`. */
export function docx(bodyXml: string): Buffer {
  return zip([DOCX_TYPES, part('word/document.xml', DOC_START + bodyXml + DOC_END)]);
}

/** A DOCX whose document.xml unzips to `size` bytes of white space in the body, declared honestly or as `declaredSize`. */
export async function docxBomb(size: number, declaredSize?: number): Promise<Buffer> {
  const document = await repeatedPart('word/document.xml', DOC_START, ' ', size, DOC_END);
  return zip([DOCX_TYPES, { ...document, declaredSize }]);
}

/**
 * 64 KB of `unit(random)` repeated: deflate looks back 32 KB at most, so content built from it packs
 * about as well as real text (a few times), and a ratio check does not stop it before the check under test.
 */
export function noisy(unit: (random: string) => string): string {
  let text = '';
  while (text.length < 64 * 1024) text += unit(Math.random().toString(16).slice(2, 10));
  return text;
}

/**
 * A DOCX with one recommendation cell made of `runs` runs of one letter each (the 2.5-million-run
 * file); `compressible` false makes the runs differ, as Word's revision ids make them.
 */
export async function docxManyRuns(runs: number, compressible = true): Promise<Buffer> {
  const run = compressible ? '<w:r><w:t>a</w:t></w:r>' : noisy((id) => `<w:r w:rsidR="${id}"><w:t>a</w:t></w:r>`);
  const runLength = compressible ? run.length : run.length / (run.match(/<w:r /g)?.length ?? 1);
  const prefix = `${DOC_START}<w:tbl>${HEADER_ROW}<w:tr><w:tc><w:p>`;
  const suffix = `</w:p></w:tc>${cellXml('Supported')}</w:tr></w:tbl>${DOC_END}`;
  return zip([DOCX_TYPES, await repeatedPart('word/document.xml', prefix, run, prefix.length + suffix.length + Math.round(runs * runLength), suffix)]);
}

/** A DOCX whose body nests `depth` content controls, each with an id of its own (so it does not pack tightly). */
export function docxDeep(depth: number): Buffer {
  const ids = Array.from({ length: depth }, () => Math.random().toString(16).slice(2, 10));
  return docx(ids.map((id) => `<w:sdt w:id="${id}">`).join('') + '</w:sdt>'.repeat(depth));
}

/** The "billion laughs": entities that expand to gigabytes, declared in a DOCTYPE. */
export function docxEntityExpansion(): Buffer {
  const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
  const xml = `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">${levels}]><w:document ${W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`;
  return zip([DOCX_TYPES, part('word/document.xml', xml)]);
}

/** A DOCX of `tables` small tables, none of them a recommendations table. */
export function docxManyTables(tables: number): Buffer {
  return docx(Array.from({ length: tables }, () => `<w:tbl><w:tr>${cellXml(Math.random().toString(16).slice(2, 10))}</w:tr></w:tbl>`).join(''));
}

/** A DOCX with `count` entries beside the document. */
export function docxManyEntries(count: number): Buffer {
  const extra = Array.from({ length: count }, (_, i) => part(`word/media/image${i}.png`, 'x'));
  return zip([DOCX_TYPES, part('word/document.xml', DOC_START + DOC_END), ...extra]);
}

/** A DOCX whose real document is hidden from the central directory, behind a harmless one. */
export async function docxHiddenEntry(): Promise<Buffer> {
  const hidden = await repeatedPart('word/document.xml', DOC_START, ' ', 300 * MB, DOC_END);
  return zip([DOCX_TYPES, part('word/document.xml', DOC_START + DOC_END)], [hidden]);
}

const WORKBOOK = part('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>');
const WORKBOOK_RELS = part('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>');
const ROOT_RELS = part('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
const SHEET_START = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_END = '</sheetData></worksheet>';
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const UHRI_HEADER = `<row r="1">${inline('A1', 'Text')}${inline('B1', 'Countries Concerned')}${inline('C1', 'UPR Position')}</row>`;

/** A workbook with these parts beside the usual ones. */
function xlsx(parts: ZipPart[]): Buffer {
  return zip([XLSX_TYPES, ROOT_RELS, WORKBOOK, WORKBOOK_RELS, ...parts]);
}

/** A UHRI-shaped workbook whose shared strings unzip to `size` bytes. */
export async function xlsxSharedStringsBomb(size: number): Promise<Buffer> {
  const sst = await repeatedPart('xl/sharedStrings.xml', '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>', 'x', size, '</t></si></sst>');
  return xlsx([part('xl/worksheets/sheet1.xml', SHEET_START + UHRI_HEADER + SHEET_END), sst]);
}

/** A UHRI-shaped workbook with one recommendation whose text is `chars` characters long. */
export function xlsxHugeCell(chars: number): Buffer {
  const row = `<row r="2">${inline('A2', noisy((id) => `${id} `).repeat(Math.ceil(chars / (64 * 1024))).slice(0, chars))}${inline('B2', 'Chile')}${inline('C2', 'Supported')}</row>`;
  return xlsx([part('xl/worksheets/sheet1.xml', SHEET_START + UHRI_HEADER + row + SHEET_END)]);
}

/** A workbook whose header row has `columns` columns. */
export function xlsxWide(columns: number): Buffer {
  const cells = Array.from({ length: columns }, (_, i) => `<c r="${columnName(i)}1" t="inlineStr"><is><t>c${i}</t></is></c>`).join('');
  return xlsx([part('xl/worksheets/sheet1.xml', `${SHEET_START}<row r="1">${cells}</row>${SHEET_END}`)]);
}

/** A workbook of `sheets` sheets. */
export function xlsxManySheets(sheets: number): Buffer {
  const extra = Array.from({ length: sheets }, (_, i) => part(`xl/worksheets/sheet${i + 2}.xml`, SHEET_START + SHEET_END));
  return xlsx([part('xl/worksheets/sheet1.xml', SHEET_START + UHRI_HEADER + SHEET_END), ...extra]);
}

/** A worksheet nesting `depth` elements inside a cell. */
export function xlsxDeep(depth: number): Buffer {
  const nested = '<x>'.repeat(depth) + '</x>'.repeat(depth);
  return xlsx([part('xl/worksheets/sheet1.xml', `${SHEET_START}<row r="1"><c r="A1" t="inlineStr"><is><t>Text</t></is>${nested}</c></row>${SHEET_END}`)]);
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const TEMPLATE_HEADER = 'state_under_review,text';

/** A template CSV whose header has `columns` columns (named c0, c1, ... after the two the template needs). */
export function csvWideHeader(columns: number, name = (i: number) => `c${i}`): Buffer {
  return Buffer.from(`${TEMPLATE_HEADER},${Array.from({ length: columns - 2 }, (_, i) => name(i)).join(',')}\nChile,Ratify\n`);
}

/** A template CSV with one line of `bytes` bytes and no line end. */
export function csvLongLine(bytes: number): Buffer {
  return Buffer.concat([Buffer.from(`${TEMPLATE_HEADER}\nChile,`), Buffer.alloc(bytes, 'a')]);
}

/** A template CSV with one quoted cell of `chars` characters. */
export function csvHugeCell(chars: number): Buffer {
  return Buffer.from(`${TEMPLATE_HEADER}\nChile,"${'a'.repeat(chars)}"\n`);
}

/** A template CSV with one text cell of bracketed groups, the worst case of the recommending-States reader. */
export function csvBrackets(chars: number): Buffer {
  return Buffer.from(`${TEMPLATE_HEADER},recommending_states\nChile,"${'(Ab);'.repeat(Math.floor(chars / 5))}",x\n`);
}

/** A template CSV of `rows` short rows. */
export function csvManyRows(rows: number): Buffer {
  return Buffer.from(`${TEMPLATE_HEADER}\n${'Chile,Ratify the convention\n'.repeat(rows)}`);
}
