import JSZip from 'jszip';
import { Readable } from 'node:stream';
import type { ParsedRow } from '../import-record';
import { detectFormat } from './detect-format';
import { OhchrDocxParser } from './ohchr-docx.parser';

// Synthetic documents in the layouts ../shared/docs/domain.md describes and the real matrices in
// ../shared/data do not show (those are tested in test/imports-parsers.e2e-spec.ts): an older list
// with a "Recommending State/s" column, and a cycle 4 list with an SDG column.
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const run = (text: string) => `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${escape(text)}</w:t></w:r>`;
/** A paragraph; an array is written as several runs, the way Word splits text. */
const paragraph = (text: string | string[]) => `<w:p>${(Array.isArray(text) ? text : [text]).map(run).join('')}</w:p>`;
const cell = (paragraphs: (string | string[])[], span = 1) => `<w:tc><w:tcPr>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}</w:tcPr>${paragraphs.map(paragraph).join('')}</w:tc>`;
const row = (...cells: string[]) => `<w:tr>${cells.join('')}</w:tr>`;

async function docx(body: string): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function parse(file: Buffer): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  for await (const parsed of new OhchrDocxParser().parse(Readable.from([file]))) rows.push(parsed);
  return rows;
}

describe('OhchrDocxParser', () => {
  it('should read an older list with a Recommending State/s column and no title, leaving the State under Review to the import', async () => {
    const rows = await parse(await docx(`<w:tbl>${[
      row(cell(['Recommendation']), cell(['Recommending State/s']), cell(['Position']), cell(['Full list of themes'])),
      row(cell(['Theme: D23 Death penalty'], 4)),
      row(
        cell(['90.12. Establish a moratorium on executions with a view to abolishing the death penalty']),
        cell(['Iran (Islamic Republic of)', 'Algeria, Bolivia (Plurinational State of)']),
        cell(['Noted', 'Source of position: A/HRC/19/10/Add.1 - Para. 4']),
        cell(['D23 Death penalty', 'Affected persons:', '- general']),
      ),
      row(cell(['90.13. Ratify the Second Optional Protocol to the ICCPR']), cell(['Portugal']), cell(['Rejected in part']), cell(['D23 Death penalty'])),
      row(cell([]), cell([]), cell([]), cell([])),
    ].join('')}</w:tbl>`));
    expect(rows).toEqual([
      {
        record: {
          line: 3, stateUnderReview: '', session: null, cycleNumber: null, documentSymbol: 'A/HRC/19/10', paragraph: '90.12',
          text: 'Establish a moratorium on executions with a view to abolishing the death penalty',
          recommendingStates: ['Iran (Islamic Republic of)', 'Algeria', 'Bolivia (Plurinational State of)'], response: 'noted',
          themes: ['D23 Death penalty'], affectedPersons: ['general'], sdgs: [], actionCategory: null,
        },
      },
      { problem: { line: 4, field: 'Position', problem: '"Rejected in part" is not a position; expected Supported, Noted, Supported/Noted or nothing', code: 'notAPosition', values: { value: '"Rejected in part"', expected: 'Supported, Noted, Supported/Noted' } } },
    ]);
  });

  it('should read a cycle 4 list with an SDG column, States in brackets after the text and the source inside the text cell', async () => {
    const rows = await parse(await docx(`${paragraph('UPR of Venezuela (Bolivarian Republic of) (4th Cycle – 54th session)')}<w:tbl>${[
      row(cell(['Recommendation']), cell(['Position']), cell(['Full list of themes']), cell(['SDGs'])),
      row(cell(['Theme: A12 Acceptance of international norms'], 4)),
      row(
        cell([['152.7 Ratify the Optional Protocol to the Convention against Torture (Iran (Islamic ', 'Republic of))(Mexico);'], 'Source of position: A/HRC/58/9/Add.1 - Para. 3']),
        cell(['Supported/Noted']),
        cell(['A12 Acceptance of international norms', 'D25 Prohibition of torture and cruel, inhuman or degrading treatment', 'Affected persons:', '- persons deprived of their liberty']),
        cell(['SDG 16', '5, 10']),
      ),
      row(cell(['Source of position: A/HRC/58/9/Add.1 - Para. 3']), cell(['Supported']), cell(['A12 Acceptance of international norms']), cell([])),
    ].join('')}</w:tbl>`));
    expect(rows).toEqual([
      {
        record: {
          line: 3, stateUnderReview: 'Venezuela (Bolivarian Republic of)', session: '54', cycleNumber: 4, documentSymbol: 'A/HRC/58/9', paragraph: '152.7',
          text: 'Ratify the Optional Protocol to the Convention against Torture', recommendingStates: ['Iran (Islamic Republic of)', 'Mexico'],
          response: 'supported_in_part', themes: ['A12 Acceptance of international norms', 'D25 Prohibition of torture and cruel, inhuman or degrading treatment'],
          affectedPersons: ['persons deprived of their liberty'], sdgs: [5, 10, 16], actionCategory: null,
        },
      },
      { problem: { line: 4, field: 'Recommendation', problem: 'the row has no recommendation text', code: 'textEmpty' } },
    ]);
  });

  it('should refuse a document without a table of recommendations, and a file that is not a document', async () => {
    await expect(parse(await docx(paragraph('Just a letter')))).rejects.toThrow('OHCHR DOCX: no table with a "Recommendation" column');
    await expect(parse(Buffer.from('plain text'))).rejects.toThrow(/^OHCHR DOCX: not a readable \.docx file/);
  });

  it('should be recognised as a Word document from its first bytes whatever its name', async () => {
    expect(detectFormat('upload.bin', (await docx(paragraph('x'))).subarray(0, 8192))).toBe('ohchr-docx');
  });
});
