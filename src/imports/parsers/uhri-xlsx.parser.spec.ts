import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import type { ParsedRow } from '../import-record';
import { detectFormat } from './detect-format';
import { UhriXlsxParser } from './uhri-xlsx.parser';

// There is no UHRI export in ../shared/data. This workbook is synthetic: it follows the layout
// documented in ../shared/docs/domain.md (the 16 columns with the UN's spellings, "- " lists on
// separate lines, Excel serial dates), with made-up but realistic rows.
const HEADER = [
  'Text', 'Countries Concerned', 'Reccomending Body', 'Document Symbol', 'Themes', 'Affected Persons', 'Sdgs',
  'Document Publication Date', 'UPR Reccomending States', 'UPR Position', 'Type', 'OHCHR Annotation Id', 'UPR Session',
  'Regions Concerned', 'Recommending Regions', 'Date of publication on UHRI',
];

type Row = Record<(typeof HEADER)[number], string | number>;

function uprRow(values: Partial<Row>): Row {
  return {
    Text: '', 'Countries Concerned': '- Iran (Islamic Republic of)', 'Reccomending Body': '- UPR', 'Document Symbol': 'A/HRC/43/12',
    Themes: '- A12 Acceptance of international norms', 'Affected Persons': '- general', Sdgs: '', 'Document Publication Date': 43788,
    'UPR Reccomending States': '', 'UPR Position': 'Supported', Type: 'Recommendations', 'OHCHR Annotation Id': '6f1c0f0e-2b6a-4c1e-9b0a-5d3e1f2a7c11',
    'UPR Session': '34', 'Regions Concerned': '- Asia-Pacific States', 'Recommending Regions': '- WEOG', 'Date of publication on UHRI': 44012,
    ...values,
  };
}

const ROWS: Row[] = [
  uprRow({
    Text: '26.49 Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights',
    Themes: '- A12 Acceptance of international norms\n- E1 Economic, social & cultural rights - general measures of implementation',
    'Affected Persons': '- general\n- persons living in poverty',
    Sdgs: '- 10 - Reduced inequalities\n- 16 - Peace, justice and strong institutions',
    'UPR Reccomending States': '- Portugal\n- Venezuela (Bolivarian Republic of)',
    'UPR Position': 'Supported/Noted',
  }),
  uprRow({ Text: '26.50 Consider ratifying the ICRMW (Philippines);', 'UPR Reccomending States': '- Philippines', 'UPR Position': 'Noted' }),
  uprRow({
    Text: 'The Committee is concerned at the lack of a comprehensive anti-discrimination law.', 'Reccomending Body': '- CESCR',
    'UPR Position': '', Type: 'Concerns/Observations', 'UPR Session': '', 'Document Symbol': 'E/C.12/IRN/CO/2',
  }),
  uprRow({ Text: '', 'UPR Reccomending States': '- Norway' }),
  uprRow({ Text: '26.51 Abolish the death penalty', 'UPR Reccomending States': '- Iceland', 'UPR Position': 'Accepted in principle' }),
  uprRow({ Text: '26.52 Cooperate with special procedures', 'Countries Concerned': '- Iran (Islamic Republic of)\n- Iraq', 'UPR Reccomending States': '- Chile' }),
  uprRow({ Text: '26.53 Protect human rights defenders', 'UPR Reccomending States': '- Ireland', 'UPR Position': '' }),
];

async function workbook(header: string[], rows: Row[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Export');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(header.map((name) => row[name]));
  book.addWorksheet('Notes').addRow(['Exported from uhri.ohchr.org']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function parse(file: Buffer): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  for await (const row of new UhriXlsxParser().parse(Readable.from([file]))) rows.push(row);
  return rows;
}

describe('UhriXlsxParser', () => {
  it('should read recommendations, split lists and paragraph, skip concerns and report bad rows by spreadsheet row', async () => {
    const rows = await parse(await workbook(HEADER, ROWS));
    expect(rows).toEqual([
      {
        record: {
          line: 2, stateUnderReview: 'Iran (Islamic Republic of)', session: '34', cycleNumber: 3, documentSymbol: 'A/HRC/43/12', paragraph: '26.49',
          text: 'Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights',
          recommendingStates: ['Portugal', 'Venezuela (Bolivarian Republic of)'], response: 'supported_in_part',
          themes: ['A12 Acceptance of international norms', 'E1 Economic, social & cultural rights - general measures of implementation'],
          affectedPersons: ['general', 'persons living in poverty'], sdgs: [10, 16], actionCategory: null,
        },
      },
      { record: expect.objectContaining({ line: 3, paragraph: '26.50', text: 'Consider ratifying the ICRMW', recommendingStates: ['Philippines'], response: 'noted' }) },
      { problem: { line: 5, field: 'Text', problem: 'the recommendation text is empty', code: 'textEmpty' } },
      { problem: { line: 6, field: 'UPR Position', problem: '"Accepted in principle" is not a position; expected Supported, Noted, Supported/Noted or nothing', code: 'notAPosition', values: { value: '"Accepted in principle"', expected: 'Supported, Noted, Supported/Noted' } } },
      { problem: { line: 7, field: 'Countries Concerned', problem: 'names 2 countries (Iran (Islamic Republic of), Iraq); a recommendation has one State under Review', code: 'manyCountries', values: { count: 2, names: 'Iran (Islamic Republic of), Iraq' } } },
      { record: expect.objectContaining({ line: 8, paragraph: '26.53', response: 'pending' }) },
    ]);
  });

  it('should keep SDG targets apart from goals, as written, for the import to check', async () => {
    const rows = await parse(await workbook(HEADER, [uprRow({
      Text: '26.60 Eliminate violence against women', 'UPR Reccomending States': '- Spain', Sdgs: '- 5 - Gender equality\n- 5.2 - Eliminate all forms of violence\n- Target 16.1\n- 5.2',
    })]));
    expect(rows.map((row) => [row.record?.sdgs, row.record?.sdgTargets])).toEqual([[[5], ['5.2 - Eliminate all forms of violence', 'Target 16.1', '5.2']]]);
  });

  it('should find its columns by header, in any order', async () => {
    const rows = await parse(await workbook([...HEADER].reverse(), ROWS.slice(0, 1)));
    expect(rows[0].record).toMatchObject({ paragraph: '26.49', stateUnderReview: 'Iran (Islamic Republic of)', recommendingStates: ['Portugal', 'Venezuela (Bolivarian Republic of)'] });
  });

  it('should refuse a workbook without the UHRI columns, and a file that is not a workbook', async () => {
    await expect(parse(await workbook(['Recommendation', 'State'], []))).rejects.toThrow('UHRI XLSX: the first row lacks "text" and "countries concerned"');
    await expect(parse(Buffer.from('not a zip file at all'))).rejects.toThrow(/^UHRI XLSX: the file cannot be read as a workbook/);
  });

  it('should be recognised as a UHRI export from its first bytes', async () => {
    expect(detectFormat('export', (await workbook(HEADER, ROWS)).subarray(0, 8192))).toBe('uhri-xlsx');
  });
});
