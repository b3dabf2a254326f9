import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import type { ParsedRow } from '../import-record';
import { cycleNumberForSession } from './text-values';
import { UprInfoCsvParser } from './upr-info-csv.parser';

const HEADER = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session';

async function parse(content: string | Buffer): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  for await (const row of new UprInfoCsvParser().parse(Readable.from([Buffer.from(content)]))) rows.push(row);
  return rows;
}

describe('UprInfoCsvParser', () => {
  it('should read a row into a record with the State, session, cycle, text, theme list and category', async () => {
    const rows = await parse(iconv.encode(`${HEADER}\r"Cote d'Ivoire",Africa,"AU, OIC","  Ratify   the\tCRC  ",France,WEOG,EU,Accepted,5,"Women's rights, ,Justice,",19\r`, 'macintosh'));
    expect(rows).toEqual([{
      record: {
        line: 2, stateUnderReview: "Cote d'Ivoire", session: '19', cycleNumber: 2, documentSymbol: null, paragraph: null,
        text: 'Ratify the CRC', recommendingStates: ['France'], response: 'supported', themes: ["Women's rights", 'Justice'],
        affectedPersons: [], sdgs: [], actionCategory: 5,
      },
    }]);
  });

  it('should map every UPR Info response and leave an empty one pending', async () => {
    const rows = await parse([HEADER, ...['Accepted', 'Noted', 'Not Supported', 'Voluntary Pledge', ''].map((response) => `Chad,Africa,AU,Text ${response},Mali,Africa,AU,${response},,,3`)].join('\n'));
    expect(rows.map((row) => row.record?.response)).toEqual(['supported', 'noted', 'noted', 'no_response', 'pending']);
    expect(rows.map((row) => row.record?.kind)).toEqual([undefined, undefined, undefined, 'voluntary_pledge', undefined]);
    expect(rows.map((row) => row.record?.recommendingStates)).toEqual([['Mali'], ['Mali'], ['Mali'], [], ['Mali']]);
    expect(rows.map((row) => row.record?.actionCategory)).toEqual([null, null, null, null, null]);
  });

  it('should report bad rows with their line and field and go on reading', async () => {
    const rows = await parse([
      HEADER,
      'Chad,Africa,AU,,Mali,Africa,AU,Accepted,4,General,3',
      ',Africa,AU,Some text,Mali,Africa,AU,Accepted,4,General,3',
      'Chad,Africa,AU,Some text,Mali,Africa,AU,Maybe,4,General,3',
      'Chad,Africa,AU,Some text,Mali,Africa,AU,Noted,7,General,3',
      'Chad,Africa,AU,Some text,Mali,Africa,AU,Noted,2,General,third',
      'Chad,Africa,AU,Still read,Mali,Africa,AU,Noted,2,General,3',
    ].join('\r\n'));
    expect(rows.map((row) => row.problem ?? row.record.text)).toEqual([
      { line: 2, field: 'Text', problem: 'the recommendation text is empty', code: 'textEmpty' },
      { line: 3, field: 'To', problem: 'the State under Review (To) is empty', code: 'stateUnderReviewEmpty' },
      { line: 4, field: 'Response', problem: '"Maybe" is not a UPR Info response; expected Accepted, Noted, Not Supported, Voluntary Pledge or nothing', code: 'notAResponse', values: { value: '"Maybe"', expected: 'Accepted, Noted, Not Supported, Voluntary Pledge' } },
      { line: 5, field: 'Action', problem: '"7" is not an action category; expected 1 to 5 or nothing', code: 'notAnActionCategory', values: { value: '"7"' } },
      { line: 6, field: 'Session', problem: '"third" is not a session number', code: 'notASession', values: { value: '"third"' } },
      'Still read',
    ]);
  });

  it('should read a cell repeated on many rows as it reads it once, a bad one reported on each of its rows', async () => {
    const good = 'Chad, Africa,AU,Text,Mali ,Africa,AU, accepted ,3,"Justice, Women\'s rights",20';
    const rows = await parse([
      HEADER, good, good.replace('Text', 'Other text'),
      'Chad,Africa,AU,Text,Mali,Africa,AU,Noted,9,Justice,20', 'Chad,Africa,AU,Text,Mali,Africa,AU,Noted,9,Justice,20',
      'Chad,Africa,AU,Text,Mali,Africa,AU,Noted,,Justice,twenty', 'Chad,Africa,AU,Text,Mali,Africa,AU,Noted,,Justice,twenty',
      'Chad,Africa,AU,Text,Mali,Africa,AU,Maybe,,Justice,20', 'Chad,Africa,AU,Text,Mali,Africa,AU,Maybe,,Justice,20',
      'Chad,Africa,AU,Text,Chad,Africa,AU,Voluntary Pledge,,Justice,', 'Chad,Africa,AU,Text,Chad,Africa,AU,Voluntary Pledge,,Justice,',
    ].join('\n'));
    const [first, second] = rows.map((row) => row.record!);
    expect(first).toMatchObject({ stateUnderReview: 'Chad', recommendingStates: ['Mali'], response: 'supported', actionCategory: 3, session: '20', cycleNumber: 2, themes: ['Justice', "Women's rights"] });
    expect({ ...second, line: first.line, text: first.text }).toEqual(first);
    expect(rows.slice(2, 8).map((row) => [row.problem?.line, row.problem?.code])).toEqual([
      [4, 'notAnActionCategory'], [5, 'notAnActionCategory'], [6, 'notASession'], [7, 'notASession'], [8, 'notAResponse'], [9, 'notAResponse'],
    ]);
    expect(rows.slice(8).map((row) => row.record && [row.record.kind, row.record.recommendingStates, row.record.session, row.record.cycleNumber])).toEqual([
      ['voluntary_pledge', [], null, null], ['voluntary_pledge', [], null, null],
    ]);
  });

  it('should count lines of the file, not records, when a text spans lines', async () => {
    const rows = await parse(`${HEADER}\r\nChad,Africa,AU,"First line\r\nsecond line\r\nthird",Mali,Africa,AU,Noted,2,General,3\r\n\r\nChad,Africa,AU,After,Mali,Africa,AU,Noted,2,General,3\r\n`);
    expect(rows.map((row) => [row.record?.line, row.record?.text])).toEqual([[2, 'First line second line third'], [6, 'After']]);
  });

  it('should report a stray quote as a problem of its line instead of failing the file', async () => {
    const rows = await parse([HEADER, ...['Fine', 'Bad "quote"', 'After'].map((text) => `Chad,Africa,AU,${text},Mali,Africa,AU,Noted,2,General,3`)].join('\n'));
    expect(rows.map((row) => row.problem ?? row.record.text)).toEqual(['Fine', { line: 3, problem: expect.stringContaining('Invalid Opening Quote'), code: 'unreadableRecord' }, 'After']);
  });

  it('should refuse a file whose header is not the UPR Info one, saying what it expected', async () => {
    await expect(parse('State,Recommendation\nChad,Ratify\n')).rejects.toThrow('UPR Info CSV: the header lacks To, Text, From, Response, Session; expected To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session');
    await expect(parse('')).rejects.toThrow('UPR Info CSV: the file is empty');
  });

  it('should give the same rows in batches (the path of an import) as one by one, a batch per piece of text read, the stray-quote path included', async () => {
    const lines = [HEADER, ...Array.from({ length: 300 }, (_, i) => `Chad,Africa,AU,Text ${i},Mali,Africa,AU,Noted,2,General,3`)];
    lines.splice(250, 0, 'Chad,Africa,AU,Bad "quote",Mali,Africa,AU,Noted,2,General,3');
    const content = Buffer.from(lines.join('\r'));
    // Pieces of 1,000 bytes: about twenty rows each, so the batches are many and rows fall across their ends.
    const pieces = () => Readable.from(Array.from({ length: Math.ceil(content.length / 1000) }, (_, i) => content.subarray(i * 1000, (i + 1) * 1000)));
    const oneByOne: ParsedRow[] = [];
    for await (const row of new UprInfoCsvParser().parse(pieces())) oneByOne.push(row);
    const batches: ParsedRow[][] = [];
    for await (const batch of new UprInfoCsvParser().parseBatches(pieces())) batches.push(batch);
    expect(batches.length).toBeGreaterThan(10);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    expect(batches.flat()).toEqual(oneByOne);
    expect(oneByOne).toHaveLength(301);
    expect(oneByOne.filter((row) => row.problem).map((row) => row.problem?.line)).toEqual([251]);
    expect(oneByOne.at(-1)?.record?.text).toBe('Text 299');
  });

  it('should number cycles by UPR session: 1–12, 13–26, 27–40, 41 on', () => {
    expect([1, 12, 13, 26, 27, 40, 41, 50].map((session) => cycleNumberForSession(String(session)))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(cycleNumberForSession(null)).toBeNull();
    expect(cycleNumberForSession("People's UPR")).toBeNull();
  });
});
