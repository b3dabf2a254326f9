// OHCHR's current thematic lists (fourth cycle, 2023 onward), built here as real .docx files in
// several variants of the layout (test/support/ohchr-current-lists.ts), read by the parser and
// imported end to end through the API and the command line.
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../config/app.config';
import { AppModule } from '../src/app.module';
import { buildProgram } from '../src/cli/commands';
import type { ImportedRecommendation, RowProblem } from '../src/imports/import-record';
import { detectFormat } from '../src/imports/parsers';
import { OhchrDocxParser } from '../src/imports/parsers/ohchr-docx.parser';
import { currentThematicList, type CurrentList } from './support/ohchr-current-lists';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const SOURCE = 'A/HRC/55/9/Add.1 - Para.3';

/** A normal list: a title, several themes as merged rows, Supported and Noted, groups and SDGs. */
const CHILE: CurrentList = {
  title: 'UPR of Chile (4th Cycle – 46th session)',
  rows: [
    { theme: 'A41 Constitutional and legislative framework' },
    {
      paragraph: '26.1', text: 'Adopt a comprehensive law against all forms of discrimination', states: '(Mexico)', source: SOURCE, position: 'Supported',
      themes: ['A41 Constitutional and legislative framework', 'B31 Equality & non-discrimination'], groups: ['women', 'lesbian, gay, bisexual, transgender and intersex persons'],
      sdgs: ['- 5 - GENDER EQUALITY', '- 10 - REDUCED INEQUALITIES', '- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS'],
    },
    {
      paragraph: '26.2', text: 'Recognize the Indigenous Peoples in the Constitution', states: '(Bolivia (Plurinational State of))', source: SOURCE, position: 'Noted',
      themes: ['A41 Constitutional and legislative framework', 'G3 Indigenous peoples'], groups: ['indigenous peoples'], sdgs: ['- 10 - REDUCED INEQUALITIES'],
    },
    { theme: 'D23 Death penalty' },
    {
      paragraph: '26.3', text: 'Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty', states: '(Australia)', source: SOURCE, position: 'Supported',
      themes: ['D23 Death penalty', 'A12 Acceptance of international norms'], groups: ['general'], sdgs: ['- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS'],
    },
    {
      paragraph: '26.4', text: 'Abolish the death penalty for all crimes, including those under military law', states: '(France)', source: SOURCE, position: 'Noted',
      themes: ['D23 Death penalty'], groups: [], sdgs: [],
    },
    { theme: 'F12 Discrimination against women' },
    {
      paragraph: '26.5', text: 'Strengthen measures to prevent and punish violence against women and girls', states: '(Spain)', source: SOURCE, position: 'Supported',
      themes: ['F12 Discrimination against women', 'D6 Rights related to name, identity, nationality'], groups: ['women', 'girls'], sdgs: ['- 5 - GENDER EQUALITY'],
    },
    {
      paragraph: '26.6', text: 'Guarantee access to safe and legal abortion', states: '(Iceland)', source: SOURCE, position: 'Supported',
      themes: ['F12 Discrimination against women', 'E41 Right to health - General'], groups: ['women'], sdgs: ['- 3 - GOOD HEALTH AND WELL-BEING', '- 5 - GENDER EQUALITY'],
    },
  ],
};

/**
 * No title (the import is given the cycle); headers broken over lines; theme rows as a first cell
 * and empty ones; "Affected persons:"; States with brackets of their own, several States in one
 * bracket, a bracket in the text that is not a State.
 */
const STATES: CurrentList = {
  headers: {
    recommendation: 'Recommendation and\nrecommending State',
    position: 'Position of the\nState  under review',
    themes: 'Human rights themes\nand groups of persons',
    sdgs: 'Relevant\nSDGs',
  },
  themeRows: 'first-cell',
  groupsLabel: 'Affected persons:',
  rows: [
    { theme: 'A12 Acceptance of international norms' },
    { paragraph: '133.1', text: 'Ratify the Optional Protocol to the Convention against Torture', states: '(Venezuela (Bolivarian Republic of))', source: 'A/HRC/52/11/Add.1 - Para.3', position: 'Supported', themes: ['A12 Acceptance of international norms'], groups: ['- general'], sdgs: ['- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS'] },
    { paragraph: '133.2', text: 'Consider ratifying the International Convention on the Protection of the Rights of All Migrant Workers', states: "(Chile; Côte d'Ivoire)", source: 'A/HRC/52/11/Add.1 - Para.3', position: 'Noted', themes: ['A12 Acceptance of international norms', 'G4 Migrants'], groups: ['- migrants'], sdgs: ['- 8 - DECENT WORK AND ECONOMIC GROWTH', '- 10 - REDUCED INEQUALITIES'] },
    { paragraph: '133.3', text: 'Withdraw its reservations to the Convention on the Elimination of All Forms of Discrimination against Women (CEDAW)', states: '(Bolivia (Plurinational State of), Brazil, Iran (Islamic Republic of))', source: 'A/HRC/52/11/Add.1 - Para.3', position: 'Supported', themes: ['A12 Acceptance of international norms', 'F12 Discrimination against women'], groups: ['- women'], sdgs: ['- 5 - GENDER EQUALITY'] },
    { theme: 'H1 Human rights defenders' },
    {
      paragraph: '133.4', text: 'Adopt a law on the protection of human rights defenders, journalists and environmental defenders',
      states: '(Argentina; Costa Rica; Micronesia (Federated States of); Saint Vincent and the Grenadines; United Kingdom of Great Britain and Northern Ireland)',
      source: 'A/HRC/52/11/Add.1 - Para.3', position: 'Supported', themes: ['H1 Human rights defenders', 'D43 Freedom of opinion and expression'], groups: ['- human rights defenders', '- journalists'], sdgs: ['- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS'],
    },
  ],
};

/** Columns in another order, headers in capitals, and rows without an SDG cell at all. */
const MALAWI: CurrentList = {
  title: 'UPR of Malawi (4th Cycle – 43rd session)',
  columns: ['position', 'themes', 'recommendation', 'sdgs'],
  headers: { recommendation: 'RECOMMENDATION AND RECOMMENDING STATE', position: 'POSITION OF THE STATE UNDER REVIEW', themes: 'HUMAN RIGHTS THEMES AND GROUPS OF PERSONS', sdgs: 'RELEVANT SDGS' },
  rows: [
    { theme: 'D26 Conditions of detention' },
    { paragraph: '99.1', text: 'Improve conditions of detention and reduce overcrowding in prisons', states: '(Germany)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Supported', themes: ['D26 Conditions of detention'], groups: ['persons deprived of their liberty'] },
    { paragraph: '99.2', text: 'Decriminalize consensual same-sex relations', states: '(Canada; Netherlands (Kingdom of the))', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Noted', themes: ['B31 Equality & non-discrimination'], groups: ['lesbian, gay, bisexual, transgender and intersex persons'] },
    { paragraph: '99.3', text: 'Provide adequate health care to detainees', states: '(Togo)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Supported', themes: ['D26 Conditions of detention', 'E41 Right to health - General'], groups: [], sdgs: ['- 3 - GOOD HEALTH AND WELL-BEING'] },
  ],
};

/** Bad rows among good ones: a position that is neither Supported nor Noted, no States, an SDG 18. */
const BAD: CurrentList = {
  title: 'UPR of Malawi (4th Cycle – 43rd session)',
  rows: [
    { theme: 'A12 Acceptance of international norms' },
    { paragraph: '99.10', text: 'Ratify the Optional Protocol to the Convention against Torture', states: '(Ghana)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Supported', themes: ['A12 Acceptance of international norms'], groups: [], sdgs: [] },
    { paragraph: '99.11', text: 'Ratify the Rome Statute amendments', states: '(Latvia)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Rejected', themes: ['A12 Acceptance of international norms'], groups: [], sdgs: [] },
    { paragraph: '99.12', text: 'Ratify the Convention on enforced disappearance', states: '(CPED)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Noted', themes: ['A12 Acceptance of international norms'], groups: [], sdgs: [] },
    { paragraph: '99.13', text: 'Ratify the Escazú Agreement', states: '(Costa Rica)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Noted', themes: ['A12 Acceptance of international norms'], groups: [], sdgs: ['- 18 - OUTER SPACE'] },
    { paragraph: '99.14', text: 'Accept the competence of the Committee on Enforced Disappearances', states: '(Uruguay)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Noted', themes: ['A12 Acceptance of international norms'], groups: [], sdgs: [] },
  ],
};

async function parse(list: CurrentList): Promise<{ records: ImportedRecommendation[]; problems: RowProblem[] }> {
  const records: ImportedRecommendation[] = [];
  const problems: RowProblem[] = [];
  for await (const row of new OhchrDocxParser().parse(Readable.from([currentThematicList(list)]))) {
    if (row.record) records.push(row.record);
    else problems.push(row.problem);
  }
  return { records, problems };
}

const BAD_PROBLEMS = [
  { line: 4, field: 'Position of the State under review', problem: '"Rejected" is not a position; expected Supported, Noted or Supported/Noted', code: 'notAPosition', values: { value: '"Rejected"', expected: 'Supported, Noted, Supported/Noted' } },
  { line: 5, field: 'Recommendation and recommending State', problem: '"Ratify the Convention on enforced disappearance (CPED)" does not end with the recommending State(s) in brackets, e.g. "(Chile; Côte d\'Ivoire)"', code: 'noRecommendingState', values: { value: '"Ratify the Convention on enforced disappearance (CPED)"' } },
  { line: 6, field: 'Relevant SDGs', problem: '"18 - OUTER SPACE" does not name a Sustainable Development Goal (1 to 17) or a target ("5.1")', code: 'notAnSdg', values: { value: '"18 - OUTER SPACE"' } },
];

describe('OHCHR current thematic lists: the parser', () => {
  it('should read "Supported/Noted" as supported in part, as in the older layouts and UHRI', async () => {
    const { records, problems } = await parse({
      title: 'UPR of Malawi (4th Cycle – 43rd session)',
      rows: [
        { theme: 'A12 Acceptance of international norms' },
        { paragraph: '99.20', text: 'Ratify the Rome Statute amendments', states: '(Latvia)', source: 'A/HRC/54/5/Add.1 - Para.5', position: 'Supported/Noted', themes: ['A12 Acceptance of international norms'], groups: [], sdgs: [] },
      ],
    });
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.paragraph, r.response])).toEqual([['99.20', 'supported_in_part']]);
  });

  it('should read a normal list: paragraph, text without States or source, States, position, themes with codes, groups and SDGs', async () => {
    const { records, problems } = await parse(CHILE);
    expect(problems).toEqual([]);
    expect(records.map((r) => `${r.paragraph} ${r.response}`)).toEqual(['26.1 supported', '26.2 noted', '26.3 supported', '26.4 noted', '26.5 supported', '26.6 supported']);
    expect(records[0]).toEqual({
      line: 3, stateUnderReview: 'Chile', session: '46', cycleNumber: 4, documentSymbol: 'A/HRC/55/9', paragraph: '26.1',
      text: 'Adopt a comprehensive law against all forms of discrimination', recommendingStates: ['Mexico'], response: 'supported',
      themes: ['A41 Constitutional and legislative framework', 'B31 Equality & non-discrimination'],
      affectedPersons: ['women', 'lesbian, gay, bisexual, transgender and intersex persons'], sdgs: [5, 10, 16], actionCategory: null,
      positionSource: 'A/HRC/55/9/Add.1 - Para.3',
    });
    // The theme row heads the rows under it, up to the next one.
    expect(records[3]).toMatchObject({ paragraph: '26.4', themes: ['D23 Death penalty'], affectedPersons: [], sdgs: [], recommendingStates: ['France'] });
    expect(records[5]).toMatchObject({ themes: ['F12 Discrimination against women', 'E41 Right to health - General'], sdgs: [3, 5] });
    expect(records[1].recommendingStates).toEqual(['Bolivia (Plurinational State of)']);
    expect(records.every((r) => !/Source|\(|;/.test(r.text))).toBe(true);
  });

  it('should split several States in one bracket and keep the brackets of a State\'s own name, with headers broken over lines and unmerged theme rows', async () => {
    const { records, problems } = await parse(STATES);
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.paragraph, r.recommendingStates])).toEqual([
      ['133.1', ['Venezuela (Bolivarian Republic of)']],
      ['133.2', ['Chile', "Côte d'Ivoire"]],
      ['133.3', ['Bolivia (Plurinational State of)', 'Brazil', 'Iran (Islamic Republic of)']],
      ['133.4', ['Argentina', 'Costa Rica', 'Micronesia (Federated States of)', 'Saint Vincent and the Grenadines', 'United Kingdom of Great Britain and Northern Ireland']],
    ]);
    expect(records[2].text).toBe('Withdraw its reservations to the Convention on the Elimination of All Forms of Discrimination against Women (CEDAW)');
    expect(records[1]).toMatchObject({ stateUnderReview: '', documentSymbol: 'A/HRC/52/11', response: 'noted', themes: ['A12 Acceptance of international norms', 'G4 Migrants'], affectedPersons: ['migrants'], sdgs: [8, 10] });
    expect(records[3]).toMatchObject({ themes: ['H1 Human rights defenders', 'D43 Freedom of opinion and expression'], affectedPersons: ['human rights defenders', 'journalists'] });
  });

  it('should find the columns by header whatever their order, and read rows without an SDG cell', async () => {
    const { records, problems } = await parse(MALAWI);
    expect(problems).toEqual([]);
    expect(records.map((r) => ({ paragraph: r.paragraph, text: r.text, states: r.recommendingStates, response: r.response, themes: r.themes, groups: r.affectedPersons, sdgs: r.sdgs }))).toEqual([
      { paragraph: '99.1', text: 'Improve conditions of detention and reduce overcrowding in prisons', states: ['Germany'], response: 'supported', themes: ['D26 Conditions of detention'], groups: ['persons deprived of their liberty'], sdgs: [] },
      { paragraph: '99.2', text: 'Decriminalize consensual same-sex relations', states: ['Canada', 'Netherlands (Kingdom of the)'], response: 'noted', themes: ['D26 Conditions of detention', 'B31 Equality & non-discrimination'], groups: ['lesbian, gay, bisexual, transgender and intersex persons'], sdgs: [] },
      { paragraph: '99.3', text: 'Provide adequate health care to detainees', states: ['Togo'], response: 'supported', themes: ['D26 Conditions of detention', 'E41 Right to health - General'], groups: [], sdgs: [3] },
    ]);
    expect(records[0]).toMatchObject({ stateUnderReview: 'Malawi', session: '43', cycleNumber: 4, documentSymbol: 'A/HRC/54/5' });
  });

  it('should name each bad row by line, column and reason, and read the good ones', async () => {
    const { records, problems } = await parse(BAD);
    expect(problems).toEqual(BAD_PROBLEMS);
    expect(records.map((r) => r.paragraph)).toEqual(['99.10', '99.14']);
  });

  it('should be recognised as a Word document', () => {
    expect(detectFormat('list.bin', currentThematicList(CHILE).subarray(0, 8192))).toBe('ohchr-docx');
  });
});

describe('OHCHR current thematic lists: imports through the API and the command line', () => {
  let t: TestApp;
  let admin: TestUser;
  let cli: INestApplicationContext | undefined;
  let dir: string;
  const upload = (list: CurrentList, fields: Record<string, string> = {}) => {
    const req = t.http.post('/api/v1/imports').set('Authorization', admin.auth);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', currentThematicList(list), 'thematic-list.docx');
  };
  const recommendationsOf = async (cycleId: number) =>
    ((await t.http.get('/api/v1/recommendations').query({ cycleId, pageSize: 100 }).set('Authorization', admin.auth).expect(200)).body.items as Record<string, unknown>[])
      .sort((a, b) => String(a.paragraph).localeCompare(String(b.paragraph), 'en', { numeric: true }));
  const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].n);
  /** `npm run cli -- import …`: the command tree of src/cli.ts, in-process, on the test app's database. */
  const runCli = async (...args: string[]) => {
    const output: string[] = [];
    const program = buildProgram(async () => {
      cli ??= await NestFactory.createApplicationContext(AppModule.register(loadConfig({ ...t.database.env, NOTIFY_DISPATCH: 'off' })), { logger: false });
      return cli;
    }, (line) => output.push(line));
    program.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
    await program.parseAsync(['node', 'cli', ...args]);
    return output.join('\n');
  };
  const file = (name: string, list: CurrentList) => {
    const path = join(dir, name);
    writeFileSync(path, currentThematicList(list));
    return path;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    dir = mkdtempSync(join(tmpdir(), 'ohchr-current-'));
  });
  afterAll(async () => {
    await cli?.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('should import a titled list into a new cycle of the State, storing themes, groups and SDGs as their own tags', async () => {
    const res = await upload(CHILE).expect(201);
    expect(res.body).toMatchObject({ format: 'ohchr-docx', committed: true, rows: 6, recommendations: 6, created: 6, rejected: 0, cyclesCreated: 1 });
    const [cycle] = await t.dataSource.query(`SELECT id, number, session, state_under_review AS state, document_symbol AS symbol FROM review_cycle`);
    expect({ ...cycle, id: undefined, number: Number(cycle.number) }).toEqual({ id: undefined, number: 4, session: '46', state: 'Chile', symbol: 'A/HRC/55/9' });
    const items = await recommendationsOf(Number(cycle.id));
    expect(items.map((r) => [r.paragraph, r.response])).toEqual([['26.1', 'supported'], ['26.2', 'noted'], ['26.3', 'supported'], ['26.4', 'noted'], ['26.5', 'supported'], ['26.6', 'supported']]);
    expect(items[0]).toMatchObject({
      text: 'Adopt a comprehensive law against all forms of discrimination', recommendingStates: ['Mexico'],
      themes: ['A41 Constitutional and legislative framework', 'B31 Equality & non-discrimination'],
      affectedPersons: ['Women', 'Lesbian, gay, bisexual, transgender and intersex persons'], sdgs: [5, 10, 16],
    });
    expect(items[1]).toMatchObject({ recommendingStates: ['Bolivia (Plurinational State of)'], themes: ['A41 Constitutional and legislative framework', 'G3 Indigenous peoples'], affectedPersons: ['Indigenous peoples'], sdgs: [10] });
    const tags = Object.fromEntries((await t.dataSource.query(`SELECT kind, COUNT(*) AS n FROM recommendation_tag GROUP BY kind`)).map((r: { kind: string; n: number }) => [r.kind, Number(r.n)]));
    expect(tags).toEqual({ recommending_state: 6, theme: 11, affected_person: 7, sdg: 8 });
    // Filters find them by each kind of tag.
    const filtered = await t.http.get('/api/v1/recommendations').query({ theme: 'D23 Death penalty', cycleId: cycle.id }).set('Authorization', admin.auth).expect(200);
    expect(filtered.body.total).toBe(2);

    const again = await upload(CHILE).expect(201);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 6, cyclesCreated: 0 });
  });

  it('should import an untitled list into the cycle it is given, with every State of a bracket as its own tag', async () => {
    const cycle = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Peru' }).expect(201)).body.id;
    const res = await upload(STATES, { cycleId: String(cycle) }).expect(201);
    expect(res.body).toMatchObject({ committed: true, created: 4, rejected: 0, cyclesCreated: 0 });
    const items = await recommendationsOf(cycle);
    expect(items.map((r) => r.recommendingStates)).toEqual([
      ['Venezuela (Bolivarian Republic of)'],
      ['Chile', "Côte d'Ivoire"],
      ['Bolivia (Plurinational State of)', 'Brazil', 'Iran (Islamic Republic of)'],
      ['Argentina', 'Costa Rica', 'Micronesia (Federated States of)', 'Saint Vincent and the Grenadines', 'United Kingdom of Great Britain and Northern Ireland'],
    ]);
    expect(items[1]).toMatchObject({ paragraph: '133.2', text: 'Consider ratifying the International Convention on the Protection of the Rights of All Migrant Workers', response: 'noted', affectedPersons: ['Migrants'], sdgs: [8, 10] });
    const byState = await t.http.get('/api/v1/recommendations').query({ recommendingState: "Côte d'Ivoire" }).set('Authorization', admin.auth).expect(200);
    expect(byState.body.items.map((r: { paragraph: string }) => r.paragraph)).toEqual(['133.2']);
  });

  it('should import from the command line, columns in another order and rows without an SDG cell', async () => {
    const out = await runCli('import', file('malawi.docx', MALAWI), '--json');
    expect(JSON.parse(out)).toMatchObject({ format: 'ohchr-docx', committed: true, created: 3, rejected: 0, cyclesCreated: 1 });
    const [cycle] = await t.dataSource.query(`SELECT id FROM review_cycle WHERE state_under_review = 'Malawi'`);
    const items = await recommendationsOf(Number(cycle.id));
    // Stored under the canonical names (src/states): the document's "Netherlands (Kingdom of the)" is the Netherlands.
    expect(items.map((r) => ({ paragraph: r.paragraph, text: r.text, states: r.recommendingStates, response: r.response, themes: r.themes, groups: r.affectedPersons, sdgs: r.sdgs }))).toEqual([
      { paragraph: '99.1', text: 'Improve conditions of detention and reduce overcrowding in prisons', states: ['Germany'], response: 'supported', themes: ['D26 Conditions of detention'], groups: ['Persons deprived of their liberty'], sdgs: [] },
      { paragraph: '99.2', text: 'Decriminalize consensual same-sex relations', states: ['Canada', 'Netherlands'], response: 'noted', themes: ['D26 Conditions of detention', 'B31 Equality & non-discrimination'], groups: ['Lesbian, gay, bisexual, transgender and intersex persons'], sdgs: [] },
      { paragraph: '99.3', text: 'Provide adequate health care to detainees', states: ['Togo'], response: 'supported', themes: ['D26 Conditions of detention', 'E41 Right to health - General'], groups: [], sdgs: [3] },
    ]);
  });

  it('should refuse a list with bad rows as a whole, naming each, through the API and the command line; --partial imports the good rows', async () => {
    const before = await count(`SELECT COUNT(*) AS n FROM recommendation`);
    const refused = await upload(BAD).expect(422);
    expect(refused.body.message).toMatch(/Nothing was imported/);
    expect(refused.body.details.problems).toEqual(BAD_PROBLEMS);
    const out = await runCli('import', file('bad.docx', BAD));
    expect(process.exitCode).toBe(1);
    expect(out).toContain('"Rejected" is not a position; expected Supported, Noted or Supported/Noted');
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation`)).toBe(before);

    const partial = JSON.parse(await runCli('import', file('bad.docx', BAD), '--partial', '--json'));
    expect(partial).toMatchObject({ committed: true, created: 2, rejected: 3 });
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation`)).toBe(before + 2);
  });
});
