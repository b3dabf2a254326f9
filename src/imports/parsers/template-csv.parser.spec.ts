import { createReadStream, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ParsedRow } from '../import-record';
import { detectFormat } from './detect-format';
import { TemplateCsvParser } from './template-csv.parser';

const EXAMPLE = resolve(__dirname, '../../../docs/import-template.csv');

async function parse(input: Readable): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  for await (const row of new TemplateCsvParser().parse(input)) rows.push(row);
  return rows;
}

const parseText = (text: string) => parse(Readable.from([Buffer.from(text)]));

describe('TemplateCsvParser', () => {
  it('should read the example template in docs/ without a problem', async () => {
    const rows = await parse(createReadStream(EXAMPLE));
    expect(rows.filter((row) => row.problem)).toEqual([]);
    expect(rows.map((row) => row.record!)).toEqual([
      {
        line: 2, stateUnderReview: 'United States of America', session: '36', cycleNumber: 3, documentSymbol: 'A/HRC/46/15', paragraph: '26.10',
        text: 'Ratify the International Covenant on Economic, Social and Cultural Rights', recommendingStates: ['Portugal', 'Brazil'], response: 'noted',
        themes: ['A12 Acceptance of international norms', 'E1 Economic, social & cultural rights - general measures of implementation'],
        affectedPersons: ['general'], sdgs: [1, 10], actionCategory: 5,
      },
      expect.objectContaining({ line: 3, paragraph: '26.178', response: 'supported_in_part', recommendingStates: ['Ghana', 'Namibia', 'Iran (Islamic Republic of)'] }),
      expect.objectContaining({ line: 4, session: '50', cycleNumber: 4, paragraph: null, documentSymbol: null, response: 'no_response' }),
    ]);
    expect(detectFormat('import-template.csv', readFileSync(EXAMPLE))).toBe('csv');
  });

  it('should take columns in any order, with a BOM, and leave out what is not given', async () => {
    const rows = await parseText('\ufefftext,State_Under_Review\r\n  Ratify   the  CRC ,Chad\r\n');
    expect(rows).toEqual([{
      record: {
        line: 2, stateUnderReview: 'Chad', session: null, cycleNumber: null, documentSymbol: null, paragraph: null, text: 'Ratify the CRC',
        recommendingStates: [], response: 'pending', themes: [], affectedPersons: [], sdgs: [], actionCategory: null,
      },
    }]);
  });

  it('should name unknown columns once, at line 1, and still read the rows', async () => {
    const rows = await parseText('state_under_review,text,owner,priority\nChad,Ratify the CRC,Ada,high\n');
    expect(rows).toEqual([
      { problem: { line: 1, field: 'header', problem: expect.stringMatching(/^unknown columns owner, priority; the columns are state_under_review, cycle, /), code: 'badHeader', values: expect.objectContaining({ unknown: 'owner, priority' }) } },
      { record: expect.objectContaining({ line: 2, text: 'Ratify the CRC' }) },
    ]);
  });

  it('should stop at line 1 when a required column is missing', async () => {
    const rows = await parseText('state,recommendation\nChad,Ratify the CRC\nMali,Ratify CAT\n');
    expect(rows).toEqual([{ problem: { line: 1, field: 'header', problem: expect.stringMatching(/^required columns state_under_review, text missing; unknown columns state, recommendation; /), code: 'badHeader', values: expect.objectContaining({ missing: 'state_under_review, text' }) } }]);
  });

  it('should report each bad value with its line and column', async () => {
    const header = 'state_under_review,text,cycle,response,sdgs,action_category';
    const rows = await parseText([
      header,
      'Chad,,4,noted,,',
      ',Ratify,4,noted,,',
      'Chad,Ratify,four,noted,,',
      'Chad,Ratify,4,accepted,,',
      'Chad,Ratify,4,noted,5;18,',
      'Chad,Ratify,4,noted,,6',
      'Chad,Ratify,4,Supported in part,SDG 5; 16,',
    ].join('\n'));
    expect(rows.map((row) => row.problem ?? row.record)).toEqual([
      { line: 2, field: 'text', problem: 'the recommendation text is empty', code: 'textEmpty' },
      { line: 3, field: 'state_under_review', problem: 'the State under Review is empty', code: 'stateUnderReviewEmpty' },
      { line: 4, field: 'cycle', problem: '"four" is not a cycle number (1, 2, 3, 4, ...)', code: 'notACycle', values: { value: '"four"' } },
      { line: 5, field: 'response', problem: '"accepted" is not a response; expected pending, supported, supported_in_part, noted, no_response or nothing (pending)', code: 'notAResponse', values: { value: '"accepted"', expected: 'pending, supported, supported_in_part, noted, no_response' } },
      { line: 6, field: 'sdgs', problem: '"18" is not a Sustainable Development Goal; expected goals 1 to 17 or targets ("5.1") separated by ";"', code: 'notAnSdg', values: { value: '"18"' } },
      { line: 7, field: 'action_category', problem: '"6" is not an action category; expected 1 to 5 or nothing', code: 'notAnActionCategory', values: { value: '"6"' } },
      expect.objectContaining({ line: 8, response: 'supported_in_part', sdgs: [5, 16] }),
    ]);
  });

  it('should refuse an empty file', async () => {
    await expect(parseText('')).rejects.toThrow('CSV template: the file is empty; expected the header state_under_review,cycle,');
  });
});
