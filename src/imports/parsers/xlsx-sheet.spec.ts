import ExcelJS from 'exceljs';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import { part, xlsxDeep, zip, type ZipPart } from '../../../test/support/hostile-files';
import { ImportLimitError } from '../import-limit';
import { firstWorksheetRows, type SheetRow } from './xlsx-sheet';

// Workbooks written by hand from ECMA-376 part 1 (§18.2 workbook, §18.3 sheets, §18.4 shared
// strings) in the shapes different writers give them: Excel (shared strings, rich text, phonetic
// guides, escaped control characters), the OpenXML SDK (prefixed elements, absolute targets),
// strict OOXML (other relationship URIs), and exceljs itself (workbook.xml stored last).
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';

function rels(relations: [id: string, type: string, target: string][], base = REL): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${PACKAGE_RELS}">${relations
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${base}/${type}" Target="${target}"/>`).join('')}</Relationships>`;
}

const rootRels = (target = 'xl/workbook.xml', base = REL) => part('_rels/.rels', rels([['rId1', 'officeDocument', target]], base));
const sheetXml = (rows: string, prefix = '') => {
  const p = prefix ? `${prefix}:` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><${p}worksheet xmlns${prefix ? `:${prefix}` : ''}="${MAIN}"><${p}dimension ref="A1:D3"/><${p}sheetData>${rows}</${p}sheetData><${p}mergeCells count="0"/></${p}worksheet>`;
};

async function read(parts: ZipPart[], limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const batch of firstWorksheetRows(zip(parts), limits)) rows.push(...batch);
  return rows;
}

/** An Excel-like workbook whose first tab is sheet2.xml (tabs were reordered), with shared strings. */
function excelLike(sheetRows: string, strings: string): ZipPart[] {
  return [
    part('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    rootRels(),
    part('xl/workbook.xml', `<?xml version="1.0"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews/><sheets><sheet name="Export" sheetId="2" r:id="rId2"/><sheet name="Old" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    part('xl/_rels/workbook.xml.rels', rels([['rId1', 'worksheet', 'worksheets/sheet1.xml'], ['rId2', 'worksheet', 'worksheets/sheet2.xml'], ['rId3', 'sharedStrings', 'sharedStrings.xml']])),
    part('xl/worksheets/sheet1.xml', sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>not this sheet</t></is></c></row>')),
    part('xl/worksheets/sheet2.xml', sheetXml(sheetRows)),
    part('xl/sharedStrings.xml', `<?xml version="1.0"?><sst xmlns="${MAIN}" count="3" uniqueCount="3">${strings}</sst>`),
  ];
}

const STRINGS = [
  '<si><t>Text</t></si>',
  // Rich text: runs joined, their formatting and the phonetic guide left out.
  '<si><r><rPr><b/></rPr><t xml:space="preserve">Ratify </t></r><r><t>the Convention</t></r><rPh sb="0" eb="1"><t>ラティファイ</t></rPh></si>',
  // A line break inside a cell as Excel escapes its carriage return.
  '<si><t>- Chile_x000D_\n- Peru</t></si>',
].join('');

describe('firstWorksheetRows', () => {
  it('should read the first tab through the relationships, with shared, rich, inline, numeric, boolean and formula cells', async () => {
    const rows = await read(excelLike([
      '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Countries</t></is></c></row>',
      // A gap (no C2), a number, a formula with its cached text, a boolean.
      '<row r="3"><c r="A3" t="s" s="1"><v>1</v></c><c r="B3" t="s"><v>2</v></c><c r="D3"><v>43788</v></c><c r="E3" t="str"><f>UPPER(A3)</f><v>RATIFY</v></c><c r="F3" t="b"><v>1</v></c></row>',
      // Numbers as Excel stores them (exponent, trailing zeros) read as the number they are.
      '<row r="4"><c r="A4"><v>1.5E+3</v></c><c r="B4"><v>34.0</v></c><c r="C4" t="e"><v>#N/A</v></c></row>',
    ].join(''), STRINGS));
    expect(rows).toEqual([
      { line: 1, values: ['Text', 'Countries'] },
      { line: 3, values: ['Ratify the Convention', '- Chile\r\n- Peru', '', '43788', 'RATIFY', 'true'] },
      { line: 4, values: ['1500', '34', '#N/A'] },
    ]);
  });

  it('should read prefixed elements, absolute targets, strict relationship types and rows and cells without r', async () => {
    const STRICT = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
    const rows = await read([
      rootRels('/xl/workbook.xml', STRICT),
      part('xl/workbook.xml', `<x:workbook xmlns:x="${MAIN}" xmlns:rel="${STRICT}"><x:sheets><x:sheet name="S" sheetId="1" rel:id="R7"/></x:sheets></x:workbook>`),
      part('xl/_rels/workbook.xml.rels', rels([['R7', 'worksheet', '/xl/data/first.xml']], STRICT)),
      part('xl/data/first.xml', sheetXml('<x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:r><x:t>b</x:t></x:r><x:r><x:t>c</x:t></x:r></x:is></x:c></x:row><x:row><x:c><x:v>7</x:v></x:c></x:row>', 'x')),
    ]);
    expect(rows).toEqual([{ line: 1, values: ['a', 'bc'] }, { line: 2, values: ['7'] }]);
  });

  it('should read a workbook written by exceljs, whose workbook.xml is stored after its sheets and strings, every time', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Export').addRow(['Text', 'Countries Concerned']);
    book.getWorksheet('Export')!.addRow(['Ratify', '- Chile\n- Peru']);
    book.addWorksheet('Notes').addRow(['not this sheet']);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const read = async () => {
      const rows: SheetRow[] = [];
      for await (const batch of firstWorksheetRows(file, DEFAULT_IMPORT_LIMITS)) rows.push(...batch);
      return rows;
    };
    // exceljs's own streaming reader failed about once in 1,500 reads of such a file under load; 50 at once here.
    const all = await Promise.all(Array.from({ length: 50 }, read));
    for (const rows of all) expect(rows).toEqual([{ line: 1, values: ['Text', 'Countries Concerned'] }, { line: 2, values: ['Ratify', '- Chile\n- Peru'] }]);
  });

  it('should refuse a cell naming a shared string the workbook lacks, and a file with no workbook or no sheet', async () => {
    await expect(read(excelLike('<row r="1"><c r="A1" t="s"><v>9</v></c></row>', STRINGS))).rejects.toThrow('cell A1 names shared string "9", which the workbook does not have');
    await expect(read([part('word/document.xml', '<w:document/>')])).rejects.toThrow('not an Excel workbook: the file has no xl/workbook.xml');
    await expect(read([rootRels(), part('xl/workbook.xml', `<workbook xmlns="${MAIN}"><sheets/></workbook>`)])).rejects.toThrow('the workbook names no worksheet that the file holds');
  });

  it('should refuse past the limits with the limit named, long shared strings included', async () => {
    const limits = { ...DEFAULT_IMPORT_LIMITS, maxCellChars: 10, maxColumns: 3, maxRows: 2 };
    const refusal = (parts: ZipPart[]) => read(parts, limits).then(() => null, (error: unknown) => error as ImportLimitError);
    expect(await refusal(excelLike('<row r="1"><c r="A1" t="s"><v>1</v></c></row>', STRINGS))).toMatchObject({ limit: 'IMPORT_MAX_CELL_CHARS', message: expect.stringContaining('row 1, cell A1 holds more than 10 characters') });
    expect(await refusal(excelLike('<row r="1"><c r="B1" t="inlineStr"><is><t>12345678901</t></is></c></row>', STRINGS))).toMatchObject({ limit: 'IMPORT_MAX_CELL_CHARS', message: expect.stringContaining('cell B1') });
    expect(await refusal(excelLike('<row r="1"><c r="D1"><v>1</v></c></row>', STRINGS))).toMatchObject({ limit: 'IMPORT_MAX_COLUMNS', message: expect.stringContaining('row 1 has more than 3 columns') });
    expect(await refusal(excelLike('<row r="3"><c r="A3"><v>1</v></c></row>', STRINGS))).toMatchObject({ limit: 'IMPORT_MAX_ROWS' });
    expect(await refusal(excelLike('<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(3), STRINGS))).toMatchObject({ limit: 'IMPORT_MAX_ROWS' });
    expect(await refusal(excelLike('<row r="1"><c r="A1"><v>1</v></c></row>', STRINGS))).toBeNull();
    const deep = async (depth: number) => {
      for await (const _ of firstWorksheetRows(xlsxDeep(depth), DEFAULT_IMPORT_LIMITS));
    };
    await expect(deep(DEFAULT_IMPORT_LIMITS.maxXmlDepth + 1)).rejects.toMatchObject({ limit: 'IMPORT_MAX_XML_DEPTH' });
    await expect(deep(10)).resolves.toBeUndefined();
  });
});
