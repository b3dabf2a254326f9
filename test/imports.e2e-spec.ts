import { existsSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ImportOptions, ImportsService } from '../src/imports/imports.service';
import { OhchrDocxParser } from '../src/imports/parsers/ohchr-docx.parser';
import { UprInfoCsvParser } from '../src/imports/parsers/upr-info-csv.parser';
import { textKey } from '../src/recommendations/text-key';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { UHRI_TREATY_BODY_ROW, UHRI_UPR_ROW, uhriWorkbook } from './support/uhri-workbook';

const DATA = resolve(__dirname, '../../shared/data');
const UPR_INFO = ['1-5.csv', '6-9.csv', '10-13.csv', '14-17.csv', '17-20.csv'].map((f) => join(DATA, 'upr-info', f));
const DOCX_2013 = join(DATA, 'ohchr-thematic-lists', 'Matrix_recommendations_2013.docx');
const DOCX_2018 = join(DATA, 'ohchr-thematic-lists', 'Matrix_recommendations_2018.docx');
const TEMPLATE = resolve(__dirname, '../docs/import-template.csv');

/** The same source the command line builds for a file. */
function fileSource(path: string) {
  return {
    fileName: basename(path),
    open: () => createReadStream(path),
    head: async () => {
      const handle = await open(path, 'r');
      const buffer = Buffer.alloc(8192);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      await handle.close();
      return buffer.subarray(0, bytesRead);
    },
  };
}

describe('imports of real UN data', () => {
  let t: TestApp;
  let admin: TestUser;
  let service: ImportsService;
  const run = (path: string, options: Partial<ImportOptions> = {}) =>
    service.run(fileSource(path), { coalitionId: admin.coalitionId, format: 'auto', dryRun: false, partial: false, ...options });
  const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].n);

  beforeAll(async () => {
    if (!existsSync(join(DATA, 'upr-info'))) throw new Error(`The real data this suite needs is missing: ${DATA} (see ../shared/data/README.md)`);
    t = await createTestApp();
    admin = await t.createUser('admin');
    service = t.app.get(ImportsService);
  });
  afterAll(async () => t.close());

  it('should import all five UPR Info files: 41,066 rows become 39,894 recommendations in 305 cycles', async () => {
    let rows = 0;
    let duplicates = 0;
    for (const file of UPR_INFO) {
      const summary = await run(file);
      expect(summary).toMatchObject({ format: 'upr-info-csv', committed: true, rejected: 0, updated: 0, unchanged: 0 });
      rows += summary.rows;
      duplicates += summary.duplicates;
    }
    expect(rows).toBe(41066);
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation`)).toBe(39894);
    expect(await count(`SELECT COUNT(*) AS n FROM review_cycle`)).toBe(305);
    expect(duplicates).toBeGreaterThan(0); // exact duplicate rows are reported, never doubled
  }, 300_000); // 41,066 rows: seconds on SQLite, about a minute on PostgreSQL

  it('should keep the United States session 9 as 280 rows of 183 accepted and 97 noted, merged by text', async () => {
    const [cycle] = await t.dataSource.query(`SELECT id, number FROM review_cycle WHERE state_under_review = 'United States of America' AND session = '9'`);
    expect(Number(cycle.number)).toBe(1);
    const states = await count(`SELECT COUNT(*) AS n FROM recommendation_tag t JOIN recommendation r ON r.id = t.recommendation_id WHERE r.cycle_id = ${Number(cycle.id)} AND t.kind = 'recommending_state'`);
    expect(states).toBe(280 - 0); // every row's recommending State is kept on its recommendation
    const byResponse = await t.dataSource.query(`SELECT response, COUNT(*) AS n FROM recommendation WHERE cycle_id = ${Number(cycle.id)} GROUP BY response ORDER BY response`);
    expect(byResponse.map((r: { response: string; n: number }) => r.response)).toEqual(['noted', 'supported']);
  });

  it('should decode Mac Roman accents correctly', async () => {
    // The files are Mac Roman: read as UTF-8 or Latin-1, "Habré" and "lèse majesté" come out mangled.
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE text LIKE '%Hissène Habré%'`)).toBeGreaterThan(0);
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE text LIKE '%lèse-majesté%'`)).toBeGreaterThan(0);
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE text LIKE '%Defensoría%'`)).toBeGreaterThan(0);
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE text LIKE '%Ã%' OR text LIKE '%\uFFFD%' OR text LIKE '%Ž%'`)).toBe(0);
  });

  it('should change nothing when a file is imported again', async () => {
    const before = await count(`SELECT COUNT(*) AS n FROM recommendation`);
    const summary = await run(UPR_INFO[1]);
    expect(summary).toMatchObject({ created: 0, updated: 0, cyclesCreated: 0, rejected: 0 });
    expect(summary.unchanged).toBe(summary.recommendations);
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation`)).toBe(before);
  });

  it('should import the OHCHR matrices into a cycle: 252 (204 supported, 48 noted) and 346 (284 supported, 62 noted)', async () => {
    const mk = async (number: number) =>
      (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number, stateUnderReview: 'China' }).expect(201)).body.id;
    const cycle2 = await mk(2);
    const cycle3 = await mk(3);
    const first = await run(DOCX_2013, { cycleId: cycle2 });
    const second = await run(DOCX_2018, { cycleId: cycle3 });
    expect(first).toMatchObject({ format: 'ohchr-docx', created: 252, rejected: 0, committed: true });
    expect(second).toMatchObject({ format: 'ohchr-docx', created: 346, rejected: 0, committed: true });
    const split = async (cycleId: number) =>
      Object.fromEntries((await t.dataSource.query(`SELECT response, COUNT(*) AS n FROM recommendation WHERE cycle_id = ${cycleId} GROUP BY response`)).map((r: { response: string; n: number }) => [r.response, Number(r.n)]));
    expect(await split(cycle2)).toEqual({ supported: 204, noted: 48 });
    expect(await split(cycle3)).toEqual({ supported: 284, noted: 62 });
    const bracketed = await count(`SELECT COUNT(*) AS n FROM recommendation_tag t JOIN recommendation r ON r.id = t.recommendation_id WHERE r.cycle_id IN (${cycle2}, ${cycle3}) AND t.kind = 'recommending_state' AND t.value LIKE '%(%)%'`);
    expect(bracketed).toBeGreaterThan(0);
    const again = await run(DOCX_2018, { cycleId: cycle3 });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 346 });
    // Recurring recommendations of China's cycle 3 are suggested predecessors in cycle 2.
    expect(second.lineageSuggestions).toBeGreaterThan(0);
  });

  it("should find UPR Info's death-penalty rows and the matrices' D23 rows by theme=D23, by any name of the theme (issue 12)", async () => {
    const total = async (theme: string) =>
      (await t.http.get('/api/v1/recommendations').query({ theme, pageSize: '1' }).set('Authorization', admin.auth).expect(200)).body.total as number;
    // Counted from the files themselves: UPR Info's recommendations whose Issue names the death
    // penalty (merged as the import merges rows: cycle and text), and the matrices' D23 rows.
    const uprInfo = new Set<string>();
    for (const file of UPR_INFO) {
      for await (const row of new UprInfoCsvParser().parse(createReadStream(file))) {
        if (row.record?.themes.includes('Death penalty')) uprInfo.add(`${row.record.stateUnderReview}|${row.record.session}|${textKey(row.record.text)}`);
      }
    }
    let matrices = 0;
    for (const file of [DOCX_2013, DOCX_2018]) {
      for await (const row of new OhchrDocxParser().parse(createReadStream(file))) if (row.record?.themes.includes('D23 Death penalty')) matrices += 1;
    }
    expect(uprInfo.size).toBeGreaterThan(1000);
    expect(matrices).toBeGreaterThan(10);
    expect(await total('D23')).toBe(uprInfo.size + matrices);
    for (const theme of ['Death penalty', 'D23 Death penalty', 'd23']) expect({ theme, total: await total(theme) }).toEqual({ theme, total: uprInfo.size + matrices });
    // Every stored theme is a UHRI code: UPR Info's issues and the matrices' lines alike.
    expect(await count(`SELECT COUNT(*) AS n FROM recommendation_tag t WHERE t.kind = 'theme' AND NOT EXISTS (SELECT 1 FROM theme th WHERE th.code = t.value)`)).toBe(0);
    // "Women's rights" is the theme F1 and the group Women.
    const women = await t.dataSource.query(`SELECT COUNT(*) AS n FROM recommendation_tag t WHERE t.kind = 'affected_person' AND t.value = 'Women'`);
    expect(Number(women[0].n)).toBeGreaterThan(1000);
  }, 120_000);

  it('should import the project CSV template', async () => {
    const summary = await run(TEMPLATE);
    expect(summary).toMatchObject({ format: 'csv', committed: true, rejected: 0 });
    expect(summary.created).toBe(summary.recommendations);
    expect(summary.recommendations).toBeGreaterThan(2);
  });
});

describe('imports: bad rows, dry runs and the API', () => {
  let t: TestApp;
  let admin: TestUser;
  const header = 'state_under_review,cycle,session,document_symbol,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category';
  const good = 'Chile,3,32,A/HRC/41/6,125.1,Ratify the Optional Protocol to the ICESCR,Portugal,supported,A12 Acceptance of international norms,general,16,5';
  const good2 = 'Chile,3,32,A/HRC/41/6,125.2,Abolish the death penalty in all circumstances,France;Iran (Islamic Republic of),noted,D23 Death penalty,,,4';
  const bad = 'Chile,3,32,A/HRC/41/6,125.3,Adopt a law on torture,Spain,accepted,,,,9';
  const upload = (user: TestUser, csv: string, fields: Record<string, string> = {}) => {
    const req = t.http.post('/api/v1/imports').set('Authorization', user.auth);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', Buffer.from(csv), 'chile.csv');
  };
  const recommendations = async () => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM recommendation`))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
  });
  afterAll(async () => t.close());

  it('should refuse the whole file with every bad row named by line and reason, and write nothing', async () => {
    const res = await upload(admin, [header, good, bad, good2].join('\n')).expect(422);
    expect(res.body.message).toMatch(/Nothing was imported/);
    expect(res.body.details.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ line: 3, field: expect.stringMatching(/response/), problem: expect.stringMatching(/accepted/) })]),
    );
    expect(res.body.details.problems.every((p: { line: number }) => p.line === 3)).toBe(true);
    expect(await recommendations()).toBe(0);
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM review_cycle`))[0].n)).toBe(0);
  });

  it('should show what a dry run would create and write nothing', async () => {
    const res = await upload(admin, [header, good, good2].join('\n'), { dryRun: 'true' }).expect(201);
    expect(res.body).toMatchObject({ dryRun: true, committed: false, created: 2, cyclesCreated: 1, rejected: 0 });
    expect(await recommendations()).toBe(0);
  });

  it('should import the good rows with partial and report the bad one', async () => {
    const res = await upload(admin, [header, good, bad, good2].join('\n'), { partial: 'true' }).expect(201);
    expect(res.body).toMatchObject({ committed: true, created: 2, rejected: 1, cyclesCreated: 1 });
    expect(await recommendations()).toBe(2);
    const list = await t.http.get('/api/v1/recommendations').query({ recommendingState: 'Iran (Islamic Republic of)' }).set('Authorization', admin.auth).expect(200);
    expect(list.body.items[0]).toMatchObject({ paragraph: '125.2', response: 'noted', recommendingStates: ['France', 'Iran (Islamic Republic of)'], actionCategory: 4 });
  });

  it('should update what changed in the source on a second import, and nothing else', async () => {
    const changed = good2.replace('noted', 'supported_in_part');
    const res = await upload(admin, [header, good, changed].join('\n')).expect(201);
    expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  });

  it('should not mistake a recommendation carried over from the last cycle for the new paragraph of the same number', async () => {
    const mk = async (number: number) => (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number, stateUnderReview: 'Peru' }).expect(201)).body.id;
    const [older, newer] = [await mk(2), await mk(3)];
    const old = await t.http.post(`/api/v1/cycles/${older}/recommendations`).set('Authorization', admin.auth).send({ paragraph: '116.7', text: 'Ratify the Optional Protocol to CAT' }).expect(201);
    await t.http.post(`/api/v1/cycles/${newer}/recommendations`).set('Authorization', admin.auth).send({ paragraph: '116.7', text: 'Ratify the Optional Protocol to CAT', predecessorId: old.body.id }).expect(201);
    const csv = [header, 'Peru,3,,,116.7,Adopt a national action plan on business and human rights,Norway,supported,,,,'].join('\n');
    const res = await upload(admin, csv, { cycleId: String(newer) }).expect(201);
    expect(res.body).toMatchObject({ created: 1, updated: 0 });
    const texts = (await t.http.get('/api/v1/recommendations').query({ cycleId: newer }).set('Authorization', admin.auth).expect(200)).body.items.map((r: { text: string }) => r.text);
    expect(texts.sort()).toEqual(['Adopt a national action plan on business and human rights', 'Ratify the Optional Protocol to CAT']);
  });

  it('should create each new cycle once, also when a later row names it by cycle number instead of session, and put every row in its own State\'s cycle', async () => {
    const csv = [
      header,
      'Uruguay,3,31,,,Ratify the Convention on enforced disappearance,Norway,supported,,,,',
      'Ecuador,2,13,,,Adopt a national plan against trafficking,Spain,noted,,,,',
      // No session: the cycle number names the Uruguay cycle the first row creates.
      'Uruguay,3,,,,Strengthen the national human rights institution,Chile,supported,,,,',
    ].join('\n');
    const res = await upload(admin, csv).expect(201);
    expect(res.body).toMatchObject({ committed: true, created: 3, rejected: 0, cyclesCreated: 2 });
    const cycles = await t.dataSource.query(
      `SELECT c.state_under_review AS state, c.number, c.session, COUNT(r.id) AS n FROM review_cycle c JOIN recommendation r ON r.cycle_id = c.id
       WHERE c.state_under_review IN ('Uruguay', 'Ecuador') GROUP BY c.id, c.state_under_review, c.number, c.session ORDER BY c.state_under_review`,
    );
    expect(cycles.map((c: { state: string; number: number; session: string; n: number }) => ({ ...c, number: Number(c.number), n: Number(c.n) }))).toEqual([
      { state: 'Ecuador', number: 2, session: '13', n: 1 },
      { state: 'Uruguay', number: 3, session: '31', n: 2 },
    ]);
    const again = await upload(admin, csv).expect(201);
    expect(again.body).toMatchObject({ created: 0, unchanged: 3, cyclesCreated: 0 });
  });

  it('should let only admins import, and ask for the file', async () => {
    const coordinator = await t.createUser('coordinator');
    await upload(coordinator, [header, good].join('\n')).expect(403);
    const missing = await t.http.post('/api/v1/imports').set('Authorization', admin.auth).field('format', 'csv').expect(400);
    expect(missing.body.details).toEqual([{ field: 'file', problem: 'missing' }]);
    const badFormat = await upload(admin, [header, good].join('\n'), { format: 'pdf' }).expect(400);
    expect(badFormat.body.details[0]).toMatchObject({ field: 'format', allowed: expect.arrayContaining(['auto', 'upr-info-csv']) });
  });

  it('should say what it expected when the file is in no known format', async () => {
    const res = await t.http.post('/api/v1/imports').set('Authorization', admin.auth).attach('file', Buffer.from('name,age\nAda,36\n'), 'people.csv');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/people\.csv/);
  });
});

describe('imports: a UHRI export mixing a treaty body row and a UPR row', () => {
  let t: TestApp;
  let admin: TestUser;
  const count = async (table: string) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const recommendations = () => count('recommendation');
  const cycles = () => count('review_cycle');

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
  });
  afterAll(async () => t.close());

  it('should import the UPR row of a UHRI export with partial and reject the treaty body row, whose cycle cannot be placed, saying why', async () => {
    const [recommendationsBefore, cyclesBefore] = [await recommendations(), await cycles()];
    const workbook = await uhriWorkbook([UHRI_TREATY_BODY_ROW, UHRI_UPR_ROW]);
    const send = (fields: Record<string, string>) => {
      const req = t.http.post('/api/v1/imports').set('Authorization', admin.auth);
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      return req.attach('file', workbook, 'uhri-export.xlsx');
    };
    const treatyBodyProblem = { line: 2, field: 'cycle', problem: expect.stringMatching(/names no UPR session or cycle of Chile .*treaty body.*--cycle \(API: cycleId\)/), code: 'noCycle', values: { state: 'Chile' } };

    // All or nothing: the treaty body row stops the file, nothing is written.
    const refused = await send({}).expect(422);
    expect(refused.body.details).toMatchObject({ committed: false, created: 0, rejected: 1, problems: [treatyBodyProblem] });
    expect([await recommendations(), await cycles()]).toEqual([recommendationsBefore, cyclesBefore]);

    // A dry run with partial says what partial would do, and writes nothing either.
    const dry = await send({ partial: 'true', dryRun: 'true' }).expect(201);
    expect(dry.body).toMatchObject({ committed: false, created: 1, rejected: 1, cyclesCreated: 1, problems: [treatyBodyProblem] });
    expect(await recommendations()).toBe(recommendationsBefore);

    const partial = await send({ partial: 'true' }).expect(201);
    expect(partial.body).toMatchObject({ format: 'uhri-xlsx', committed: true, rows: 2, created: 1, rejected: 1, cyclesCreated: 1, problems: [treatyBodyProblem] });
    expect(partial.body.cycles).toEqual([expect.objectContaining({ label: expect.stringMatching(/Chile/), created: 1, createdCycle: true })]);
    const [imported] = await t.dataSource.query(`SELECT r.paragraph, c.session FROM recommendation r JOIN review_cycle c ON c.id = r.cycle_id WHERE r.text LIKE 'Ratify the Optional Protocol to the International Covenant%'`);
    expect(imported).toEqual({ paragraph: '125.1', session: '32' });
    expect(await recommendations()).toBe(recommendationsBefore + 1);

    // Once Chile's cycle is closed, its row is rejected as well, naming the closed cycle.
    const cycleId = partial.body.cycles[0].cycleId;
    await t.http.post(`/api/v1/cycles/${cycleId}/close`).set('Authorization', admin.auth).send({}).expect(200);
    const closed = await send({ partial: 'true' }).expect(201);
    expect(closed.body).toMatchObject({ created: 0, updated: 0, rejected: 2, cycles: [] });
    expect(closed.body.problems[1]).toEqual({ line: 3, field: 'cycle', problem: expect.stringMatching(new RegExp(`cycle ${cycleId} \\(.*Chile.*\\) is closed`)), code: 'cycleClosed', values: { cycle: cycleId } });
  });
});
