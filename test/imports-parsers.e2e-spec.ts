import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportedRecommendation, RecommendationParser, RowProblem } from '../src/imports/import-record';
import { detectFormat } from '../src/imports/parsers/detect-format';
import { OhchrDocxParser } from '../src/imports/parsers/ohchr-docx.parser';
import { UprInfoCsvParser } from '../src/imports/parsers/upr-info-csv.parser';
import { normalizeText } from '../src/recommendations/text-key';

// The real published files described in ../shared/data/README.md. They are not in this repository;
// without them these tests fail (never pass silently), as the data README asks.
const DATA = resolve(__dirname, '../../shared/data');
const UPR_INFO_FILES = { '1-5.csv': 6094, '6-9.csv': 8343, '10-13.csv': 9047, '14-17.csv': 9598, '17-20.csv': 7984 };

interface Parsed {
  records: ImportedRecommendation[];
  problems: RowProblem[];
  bytesReported: number;
}

async function parseFile(parser: RecommendationParser, file: string): Promise<Parsed> {
  const result: Parsed = { records: [], problems: [], bytesReported: 0 };
  for await (const row of parser.parse(createReadStream(file), (done) => (result.bytesReported = done))) {
    if (row.problem) result.problems.push(row.problem);
    else result.records.push(row.record);
  }
  return result;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

beforeAll(() => {
  if (!existsSync(join(DATA, 'upr-info')) || !existsSync(join(DATA, 'ohchr-thematic-lists'))) {
    throw new Error(`The real data these tests read is absent: expected ${DATA}/upr-info and ${DATA}/ohchr-thematic-lists (see ../shared/data/README.md). These tests cannot run without it.`);
  }
});

describe('UPR Info CSV export (Mac Roman, CR line ends), the five files of sessions 1–20', () => {
  const byFile = new Map<string, Parsed>();
  const all = () => [...byFile.values()].flatMap((parsed) => parsed.records);

  beforeAll(async () => {
    for (const file of Object.keys(UPR_INFO_FILES)) byFile.set(file, await parseFile(new UprInfoCsvParser(), join(DATA, 'upr-info', file)));
  });

  it('should read every row of every file, as many as the data README counts, with no problem', () => {
    for (const [file, rows] of Object.entries(UPR_INFO_FILES)) {
      expect({ file, records: byFile.get(file)!.records.length, problems: byFile.get(file)!.problems }).toEqual({ file, records: rows, problems: [] });
    }
    expect(all()).toHaveLength(41_066);
  });

  it('should report progress up to the size of the file in bytes', () => {
    for (const file of Object.keys(UPR_INFO_FILES)) expect(byFile.get(file)!.bytesReported).toBe(statSync(join(DATA, 'upr-info', file)).size);
  });

  it('should decode Mac Roman accents, including those 900 KB into the file', () => {
    const coteDivoire = byFile.get('17-20.csv')!.records.find((record) => record.line === 2188);
    expect(coteDivoire).toEqual({
      line: 2188,
      stateUnderReview: "Cote d'Ivoire",
      session: '19',
      cycleNumber: 2,
      documentSymbol: null,
      paragraph: null,
      text: "Establish a National Action Plan for the priorities, initiatives and commitments it has identified in its UPR report with a view to improving the human rights situation in Côte d'Ivoire",
      recommendingStates: ['Mauritius'],
      response: 'supported',
      themes: ['National plan of action', 'UPR process'],
      affectedPersons: [],
      sdgs: [],
      actionCategory: 5,
    });
    const habre = byFile.get('1-5.csv')!.records.find((record) => record.line === 4639);
    expect(habre?.text).toBe('Contribute towards combating impunity internationally, as soon as possible the mandate bestowed on it by the African Union and to bring the former head of State of Chad, Mr. Hissène Habré to justice');
    expect(all().filter((record) => /[\u0080-\u009f\ufffd]/.test(record.text))).toEqual([]);
  });

  it('should map Accepted to supported and Noted to noted, 30,472 and 10,594 as the data README counts', () => {
    expect(countBy(all(), (record) => record.response)).toEqual({ supported: 30_472, noted: 10_594 });
  });

  it('should give the United States session 9 its 280 recommendations, 183 supported and 97 noted', () => {
    const unitedStates = all().filter((record) => record.stateUnderReview === 'United States' && record.session === '9');
    expect(unitedStates).toHaveLength(280);
    expect(countBy(unitedStates, (record) => record.response)).toEqual({ supported: 183, noted: 97 });
    expect(new Set(unitedStates.map((record) => record.cycleNumber))).toEqual(new Set([1]));
  });

  it('should derive the cycle from the session and read themes and action categories', () => {
    expect(countBy(all(), (record) => `${record.cycleNumber}`)).toEqual({ 1: 6094 + 8343 + 9047 - 2128, 2: 2128 + 9598 + 7984 });
    const first = byFile.get('1-5.csv')!.records[0];
    expect(first).toMatchObject({ line: 2, stateUnderReview: 'Afghanistan', recommendingStates: ['Austria'], themes: ['Rights of the Child', "Women's rights"], actionCategory: 5, session: '5' });
  });

  it('should hold 39,894 recommendations in 305 cycles when rows are merged on State, session and text with white space collapsed', () => {
    const records = all();
    const key = (record: ImportedRecommendation, text: string) => `${record.stateUnderReview}|${record.session}|${text}`;
    expect(new Set(records.map((record) => `${record.stateUnderReview}|${record.session}`)).size).toBe(305);
    // The parser already collapses white space; the source text itself differs in spacing only.
    expect(new Set(records.map((record) => key(record, record.text.replace(/\s+/g, ' ').trim()))).size).toBe(39_894);
    expect(new Set(records.map((record) => key(record, normalizeText(record.text)))).size).toBe(39_894);
    // Folding case would merge five pairs that differ only in capitals ("Ratify the second/Second Optional Protocol").
    expect(new Set(records.map((record) => key(record, record.text.toLowerCase()))).size).toBe(39_889);
  });

  it('should read the voluntary pledges as pledges: no recommending State, no response', async () => {
    const pledges = await parseFile(new UprInfoCsvParser(), join(DATA, 'upr-info', 'voluntary.csv'));
    expect({ records: pledges.records.length, problems: pledges.problems }).toEqual({ records: 947, problems: [] });
    expect(new Set(pledges.records.map((record) => record.kind))).toEqual(new Set(['voluntary_pledge']));
    expect(new Set(pledges.records.map((record) => record.response))).toEqual(new Set(['no_response']));
    expect(pledges.records.filter((record) => record.recommendingStates.length > 0)).toEqual([]);
  });

  it('should recognise the files as UPR Info exports', () => {
    const head = readFileSync(join(DATA, 'upr-info', '1-5.csv')).subarray(0, 8192);
    expect(detectFormat('1-5.csv', head)).toBe('upr-info-csv');
  });
});

describe('OHCHR thematic lists of recommendations (DOCX) for China', () => {
  const file = (year: number) => join(DATA, 'ohchr-thematic-lists', `Matrix_recommendations_${year}.docx`);

  it('should read 252 recommendations of the 2013 matrix, 204 supported and 48 noted', async () => {
    const { records, problems } = await parseFile(new OhchrDocxParser(), file(2013));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(252);
    expect(countBy(records, (record) => record.response)).toEqual({ supported: 204, noted: 48 });
    expect(new Set(records.map((record) => `${record.stateUnderReview}|${record.session}|${record.cycleNumber}|${record.documentSymbol}`))).toEqual(new Set(['China|17|2|A/HRC/25/5']));
    expect(records.find((record) => record.paragraph === '186.41')).toMatchObject({
      text: 'Continue human rights training for local officials, police commissioners, wardens and directors of Judicial Bureaus',
      recommendingStates: ['Iran (Islamic Republic of)'],
      response: 'supported',
    });
    expect(records.find((record) => record.paragraph === '186.223')?.recommendingStates).toEqual(['Venezuela (Bolivarian Republic of)']);
    expect(records.find((record) => record.paragraph === '186.28')).toMatchObject({
      text: 'Continue its efforts on the ratification of other human rights instruments and relevant protocols',
      recommendingStates: ['Mongolia'],
      themes: ['A12 Acceptance of international norms', 'B51 Right to an effective remedy'],
      affectedPersons: ['general'],
    });
    expect(records.every((record) => record.themes.length > 0 && record.recommendingStates.length > 0 && !/Source of position/.test(record.text))).toBe(true);
  });

  it('should keep each wording with its States when several share a paragraph', async () => {
    const { records } = await parseFile(new OhchrDocxParser(), file(2013));
    const paragraph = records.find((record) => record.paragraph === '186.1')!;
    expect(paragraph.recommendingStates.slice(0, 4)).toEqual(['Albania', 'Chile', 'Belgium', 'Hungary']);
    expect(paragraph.text.startsWith('Ratify ICCPR (Albania); Ratify ICCPR and CPED (Chile); ')).toBe(true);
    expect(paragraph.text.endsWith(')')).toBe(true);
  });

  it('should read 346 recommendations of the 2018 matrix, 284 supported and 62 noted, with their SDGs', async () => {
    const { records, problems } = await parseFile(new OhchrDocxParser(), file(2018));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(346);
    expect(countBy(records, (record) => record.response)).toEqual({ supported: 284, noted: 62 });
    expect(new Set(records.map((record) => `${record.stateUnderReview}|${record.session}|${record.cycleNumber}|${record.documentSymbol}`))).toEqual(new Set(['China|31|3|A/HRC/40/6']));
    expect(records.find((record) => record.paragraph === '28.212')).toMatchObject({
      recommendingStates: ['Tunisia'],
      themes: ['A12 Acceptance of international norms', 'A41 Constitutional and legislative framework', 'E1 Economic, social & cultural rights - general measures of implementation'],
      sdgs: [16],
      affectedPersons: ['general'],
    });
    expect(records.find((record) => record.paragraph === '28.4')?.recommendingStates).toEqual(['New Zealand', 'Uruguay', 'Mali']);
  });

  it('should recognise the files as Word documents', () => {
    expect(detectFormat('matrix.bin', readFileSync(file(2018)).subarray(0, 8192))).toBe('ohchr-docx');
  });
});
