import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { seedRecommendations } from '../bench/seed';
import { CliError } from '../src/cli/cli-error';
import { buildProgram } from '../src/cli/commands';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const CHROMIUM = '/usr/bin/chromium';
const CONFIDENTIAL_TITLE = 'Testimony of Jane Doe, detained in Dilley';

/** supertest buffers binary bodies (xlsx, pdf) only when told how. */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('cycle reports', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let cycleId: number;
  const ids: Record<string, number> = {};

  const post = (path: string, body: object, user = coordinator) => t.http.post(path).set('Authorization', user.auth).send(body);
  const report = (format: string, user: TestUser = member, id = cycleId) =>
    t.http.get(`/api/v1/cycles/${id}/report`).query({ format }).set('Authorization', user.auth);

  // A known data set, cycle 3 of the United States:
  //   r1 supported, fully implemented (two evidence items, one confidential), Portugal + Chile, A12 + D25, category 5
  //   r2 supported, in progress (note starts with +), text starts with =, Brazil, A12, category 4, an overdue deadline
  //   r3 noted, partially implemented, text holds <script>, France, D23, no category
  //   r4 noted, not assessed, text starts with -, Chile, G4, category 1
  //   r5 no response, not implemented, text starts with @, Mexico, no theme, no category; made in cycles 1, 2 and 3
  //   r6 noted, not started, Portugal, D51 + A12, category 3
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    member = await t.createUser('member');
    const cycle = async (number: number) =>
      (await post('/api/v1/cycles', { number, stateUnderReview: 'United States of America', session: `${20 + number}`, documentSymbol: `A/HRC/${number}/1` }, admin).expect(201)).body.id as number;
    const [c1, c2, c3] = [await cycle(1), await cycle(2), await cycle(3)];
    cycleId = c3;
    const rec = async (key: string, cycle: number, body: object) => {
      ids[key] = (await post(`/api/v1/cycles/${cycle}/recommendations`, body).expect(201)).body.id;
    };
    const status = (key: string, body: object) => post(`/api/v1/recommendations/${ids[key]}/status`, body).expect(201);
    const evidence = async (key: string, title: string, confidential = false) =>
      (await post(`/api/v1/recommendations/${ids[key]}/evidence`, { kind: 'link', title, url: 'https://example.org/e', confidential }).expect(201)).body.id as number;

    await rec('p1', c1, { paragraph: '92.1', text: 'Investigate all allegations of torture', response: 'supported' });
    await rec('p2', c2, { paragraph: '176.2', text: 'Investigate all allegations of torture', response: 'supported', predecessorId: ids.p1 });
    await rec('r1', c3, { paragraph: '26.1', text: 'Ratify the Optional Protocol to the Convention against Torture', response: 'supported', recommendingStates: ['Portugal', 'Chile'], themes: ['A12 Acceptance of international norms', 'D25 Prohibition of torture and cruel, inhuman or degrading treatment'], actionCategory: 5 });
    await rec('r2', c3, { paragraph: '26.2', text: '=HYPERLINK("http://evil.example","click")', response: 'supported', recommendingStates: ['Brazil'], themes: ['A12 Acceptance of international norms'], actionCategory: 4 });
    await rec('r3', c3, { paragraph: '26.3', text: '<script>alert(1)</script> Abolish the death penalty', response: 'noted', recommendingStates: ['France'], themes: ['D23 Death penalty'] });
    await rec('r4', c3, { paragraph: '26.4', text: '-Protect the rights of migrants', response: 'noted', recommendingStates: ['Chile'], themes: ['G4 Migrants'], actionCategory: 1 });
    await rec('r5', c3, { paragraph: '26.5', text: '@Investigate all allegations of torture', response: 'no_response', recommendingStates: ['Mexico'], predecessorId: ids.p2 });
    await rec('r6', c3, { paragraph: '26.6', text: 'Ensure the independence of the judiciary', response: 'noted', recommendingStates: ['Portugal'], themes: ['D51 Administration of justice & fair trial', 'A12 Acceptance of international norms'], actionCategory: 3 });

    const public1 = await evidence('r1', 'Instrument of ratification');
    await evidence('r1', CONFIDENTIAL_TITLE, true);
    await status('r1', { status: 'fully_implemented', note: 'Ratified in 2026', evidenceIds: [public1] });
    await status('r2', { status: 'in_progress', note: '+Bill introduced in Congress' });
    await status('r3', { status: 'partially_implemented', note: 'Moratorium in three states', evidenceIds: [await evidence('r3', 'Moratorium order')] });
    await status('r5', { status: 'not_implemented', note: 'No investigation opened' });
    await status('r6', { status: 'not_started', note: 'Triaged' });

    // The clock stands at 2026-11-29 12:00 UTC: one overdue deadline, one ahead, one done, one deleted.
    const deadline = async (body: object) => (await post('/api/v1/deadlines', { timeZone: 'America/New_York', ...body }).expect(201)).body.id as number;
    ids.overdue = await deadline({ recommendationId: ids.r2, kind: 'evidence_due', title: 'Bill text <b>draft</b>', dueDate: '2026-11-01' });
    await deadline({ cycleId: c3, kind: 'stakeholder_submission', title: 'Submission', dueDate: '2027-01-15' });
    const done = await deadline({ recommendationId: ids.r4, kind: 'other', title: 'Done already', dueDate: '2026-10-01' });
    await t.http.patch(`/api/v1/deadlines/${done}`).set('Authorization', coordinator.auth).send({ state: 'done' }).expect(200);
    const deleted = await deadline({ recommendationId: ids.r4, kind: 'other', title: 'Deleted', dueDate: '2026-10-02' });
    await t.http.delete(`/api/v1/deadlines/${deleted}`).set('Authorization', coordinator.auth).expect((res) => expect([200, 204]).toContain(res.status));
  });
  afterAll(async () => t.close());

  it('should count by status, response, theme, recommending State and action category', async () => {
    const res = await report('json').expect(200).expect('Content-Type', /application\/json/);
    const body = res.body;
    expect(body.cycle).toMatchObject({ id: cycleId, number: 3, stateUnderReview: 'United States of America', stateUnderReviewCode: 'USA', label: 'United States of America, UPR cycle 3', state: 'open' });
    expect(body.totals).toEqual({ recommendations: 6, voluntaryPledges: 0, evidenceItems: 3, recommendationsWithEvidence: 2, overdueDeadlines: 1, recurring: 1 });
    expect(body.byStatus).toEqual([
      { status: 'not_assessed', count: 1 }, { status: 'not_started', count: 1 }, { status: 'in_progress', count: 1 },
      { status: 'partially_implemented', count: 1 }, { status: 'fully_implemented', count: 1 }, { status: 'not_implemented', count: 1 },
      { status: 'regressed', count: 0 },
    ]);
    expect(body.byResponse).toEqual([
      { response: 'pending', count: 0 }, { response: 'supported', count: 2 }, { response: 'supported_in_part', count: 0 },
      { response: 'noted', count: 3 }, { response: 'no_response', count: 1 },
    ]);
    expect(body.byTheme).toEqual([
      { theme: 'A12 Acceptance of international norms', count: 3 },
      { theme: 'D23 Death penalty', count: 1 },
      { theme: 'D25 Prohibition of torture and cruel, inhuman or degrading treatment', count: 1 },
      { theme: 'D51 Administration of justice & fair trial', count: 1 },
      { theme: 'G4 Migrants', count: 1 },
    ]);
    expect(body.byRecommendingState).toEqual([
      { state: 'Chile', code: 'CHL', count: 2 }, { state: 'Portugal', code: 'PRT', count: 2 }, { state: 'Brazil', code: 'BRA', count: 1 },
      { state: 'France', code: 'FRA', count: 1 }, { state: 'Mexico', code: 'MEX', count: 1 },
    ]);
    expect(body.byActionCategory).toEqual([
      { category: 1, label: 'Minimal action', count: 1 },
      { category: 3, label: 'Considering action', count: 1 },
      { category: 4, label: 'General action', count: 1 },
      { category: 5, label: 'Specific action', count: 1 },
      { category: null, label: 'Not categorised', count: 2 },
    ]);
  });

  it('should compare the implementation rate of supported and noted recommendations, over the assessed ones only', async () => {
    const { body } = await report('json').expect(200);
    expect(body.implementationRate.supported).toEqual({
      recommendations: 2, assessed: 2, notAssessed: 0, fullyImplemented: 1, partiallyImplemented: 0, rate: 0.5,
      summary: '50% of the 2 assessed supported recommendations are fully or partially implemented',
    });
    // r4 is not assessed: it is left out of the rate (1 of 2, not 1 of 3) and counted apart.
    expect(body.implementationRate.noted).toEqual({
      recommendations: 3, assessed: 2, notAssessed: 1, fullyImplemented: 0, partiallyImplemented: 1, rate: 0.5,
      summary: '50% of the 2 assessed noted recommendations are fully or partially implemented; 1 not assessed yet',
    });
    expect(body.implementationRate.no_response).toMatchObject({ recommendations: 1, assessed: 1, notAssessed: 0, rate: 0 });
    expect(body.implementationRate.pending).toEqual({
      recommendations: 0, assessed: 0, notAssessed: 0, fullyImplemented: 0, partiallyImplemented: 0, rate: null, summary: 'no pending recommendations',
    });
  });

  it('should say that nothing was assessed instead of a rate of 0% when no recommendation was assessed, in every format', async () => {
    const fresh = (await post('/api/v1/cycles', { number: 2, stateUnderReview: 'Kenya' }, admin).expect(201)).body.id as number;
    for (const n of [1, 2, 3]) await post(`/api/v1/cycles/${fresh}/recommendations`, { paragraph: `140.${n}`, text: `Kenya recommendation ${n}`, response: 'supported' }).expect(201);
    const words = 'none of the 3 supported recommendations has been assessed yet';
    const json = await report('json', member, fresh).expect(200);
    expect(json.body.implementationRate.supported).toEqual({
      recommendations: 3, assessed: 0, notAssessed: 3, fullyImplemented: 0, partiallyImplemented: 0, rate: null, summary: words,
    });
    const html = (await report('html', member, fresh).expect(200)).text;
    expect(html).toContain(`Supported: ${words}.`);
    expect(html).not.toMatch(/0% of/);
    const xlsx = await report('xlsx', member, fresh).buffer(true).parse(binary).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    const lines = workbook.getWorksheet('Summary')!.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : []));
    // exceljs leaves an empty (null) cell out of the row: the rate is missing, not 0.
    expect(lines).toContainEqual(['supported', 3, 0, 3, 0, 0, undefined, words]);
    // The CSV is the list alone: every line carries its status, so a reader can count the assessed ones too.
    const csv = parse((await report('csv', member, fresh).expect(200)).text, { columns: true, bom: true }) as { status: string }[];
    expect(csv.map((row) => row.status)).toEqual(['not_assessed', 'not_assessed', 'not_assessed']);
  });

  it('should list only open deadlines due before now as overdue', async () => {
    const { body } = await report('json').expect(200);
    expect(body.overdueDeadlines).toEqual([expect.objectContaining({
      id: ids.overdue, kind: 'evidence_due', title: 'Bill text <b>draft</b>', dueDate: '2026-11-01', recommendationId: ids.r2, paragraph: '26.2',
    })]);
  });

  it('should show recommendations made again across cycles with the cycles they were made in', async () => {
    const { body } = await report('json').expect(200);
    expect(body.recurring).toEqual([{
      id: ids.r5, paragraph: '26.5', excerpt: '@Investigate all allegations of torture', status: 'not_implemented', cycles: [1, 2, 3],
      summary: 'made in cycles 1, 2 and 3, still not implemented',
    }]);
  });

  it('should list every recommendation with its response, final status, last note and evidence count only', async () => {
    const { body } = await report('json').expect(200);
    expect(body.recommendations.map((r: { id: number }) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((k) => ids[k]));
    expect(body.recommendations[0]).toEqual({
      id: ids.r1, paragraph: '26.1', text: 'Ratify the Optional Protocol to the Convention against Torture', recommendingStates: ['Portugal', 'Chile'],
      recommendingStateCodes: ['PRT', 'CHL'], response: 'supported', kind: 'recommendation', status: 'fully_implemented', themes: ['A12 Acceptance of international norms', 'D25 Prohibition of torture and cruel, inhuman or degrading treatment'],
      affectedPersons: [], sdgs: [], sdgTargets: [], actionCategory: 5, predecessorId: null, evidenceCount: 2, lastStatusNote: 'Ratified in 2026',
      lastStatusChangedAt: '2026-11-29T12:00:00.000Z',
    });
    expect(body.recommendations[3]).toMatchObject({ id: ids.r4, status: 'not_assessed', lastStatusNote: null, lastStatusChangedAt: null, evidenceCount: 0 });
    expect(body.recommendations[4]).toMatchObject({ id: ids.r5, predecessorId: ids.p2 });
  });

  it('should never put confidential evidence into any format', async () => {
    for (const format of ['json', 'csv', 'html']) {
      const res = await report(format).expect(200);
      expect(res.text).not.toContain('Jane Doe');
      expect(res.text).not.toContain('Instrument of ratification'); // titles are not shown at all, only counts
    }
    const xlsx = await report('xlsx').buffer(true).parse(binary).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    workbook.eachSheet((sheet) => sheet.eachRow((row) => expect(JSON.stringify(row.values)).not.toContain('Jane Doe')));
  });

  it('should neutralise spreadsheet formulas in the CSV list', async () => {
    const res = await report('csv').expect(200).expect('Content-Type', /text\/csv/).expect('Content-Disposition', `attachment; filename=cycle-${cycleId}-report.csv`);
    expect(res.text.startsWith('\uFEFFid,paragraph,text,')).toBe(true);
    const rows: Record<string, string>[] = parse(res.text, { bom: true, columns: true });
    expect(rows).toHaveLength(6);
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    expect(byId.get(ids.r2)!.text).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(byId.get(ids.r2)!.last_status_note).toBe("'+Bill introduced in Congress");
    expect(byId.get(ids.r4)!.text).toBe("'-Protect the rights of migrants");
    expect(byId.get(ids.r5)!.text).toBe("'@Investigate all allegations of torture");
    expect(byId.get(ids.r1)).toMatchObject({ paragraph: '26.1', recommending_states: 'Portugal; Chile', response: 'supported', status: 'fully_implemented', evidence_count: '2' });
    // The codes and the State under review, in columns after those readers had before issue 12.
    expect(Object.keys(rows[0]).slice(-3)).toEqual(['recommending_state_codes', 'state_under_review', 'state_under_review_code']);
    expect(byId.get(ids.r1)).toMatchObject({ recommending_state_codes: 'PRT; CHL', state_under_review: 'United States of America', state_under_review_code: 'USA' });
    expect(byId.get(ids.r5)).toMatchObject({ recommending_states: 'Mexico', recommending_state_codes: 'MEX' });
    // No cell anywhere may start with a formula character.
    for (const row of rows) for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@]/);
  });

  it('should give the list and a summary sheet in XLSX, with formulas neutralised', async () => {
    const res = await report('xlsx').buffer(true).parse(binary).expect(200).expect('Content-Type', /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Recommendations']);
    const list = workbook.getWorksheet('Recommendations')!;
    expect(list.getRow(1).values).toEqual([undefined, 'id', 'paragraph', 'text', 'recommending_states', 'response', 'kind', 'status', 'themes',
      'affected_persons', 'sdgs', 'action_category', 'evidence_count', 'predecessor_id', 'last_status_note', 'last_status_changed_at',
      'recommending_state_codes', 'state_under_review', 'state_under_review_code']);
    expect(list.rowCount).toBe(7);
    const cells: ExcelJS.Cell[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell))));
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    for (const cell of cells) if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@]/);
    const r1 = list.getRows(2, 6)!.find((row) => row.getCell(1).value === ids.r1)!;
    expect([r1.getCell(16).value, r1.getCell(17).value, r1.getCell(18).value]).toEqual(['PRT; CHL', 'United States of America', 'USA']);
    const r2 = list.getRows(2, 6)!.find((row) => row.getCell(1).value === ids.r2)!;
    expect(r2.getCell(3).value).toBe(`'=HYPERLINK("http://evil.example","click")`);
    const summary = workbook.getWorksheet('Summary')!;
    const lines = summary.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : []));
    expect(lines).toContainEqual(['Recommendations', 6]);
    expect(lines).toContainEqual(['supported', 2, 2, 0, 1, 0, 0.5, '50% of the 2 assessed supported recommendations are fully or partially implemented']);
    expect(lines).toContainEqual(['noted', 3, 2, 1, 0, 1, 0.5, '50% of the 2 assessed noted recommendations are fully or partially implemented; 1 not assessed yet']);
    expect(lines).toContainEqual(['A12 Acceptance of international norms', 3]);
    expect(lines).toContainEqual(['State under review', 'United States of America', 'USA']);
    expect(lines).toContainEqual(['Chile', 2, 'CHL']);
  });

  it('should render a self-contained HTML page with escaped values and SVG charts by status and theme', async () => {
    const res = await report('html').expect(200).expect('Content-Type', /text\/html/);
    const html = res.text;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Abolish the death penalty');
    expect(html).toContain('Bill text &lt;b&gt;draft&lt;/b&gt;');
    expect(html).toContain('&#x3D;HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)');
    // Nothing is loaded from elsewhere: no external stylesheet, script, image or font.
    expect(html).not.toMatch(/<link|src=|@import|url\(/i);
    expect(html).toMatch(/<svg class="chart" role="img" aria-label="Recommendations by implementation status"/);
    expect(html).toMatch(/<svg class="chart" role="img" aria-label="Recommendations by theme"/);
    expect(html).toContain('made in cycles 1, 2 and 3, still not implemented');
    expect(html).toContain('Supported: 50% of the 2 assessed supported recommendations are fully or partially implemented.');
    expect(html).toContain('Noted: 50% of the 2 assessed noted recommendations are fully or partially implemented; 1 not assessed yet.');
  });

  it('should print the HTML report to PDF with Chromium', async () => {
    // CI installs Chromium; without it this test must fail, not pass quietly.
    expect({ chromiumInstalled: existsSync(CHROMIUM), hint: 'apt-get install -y chromium' }).toEqual({ chromiumInstalled: true, hint: 'apt-get install -y chromium' });
    const res = await report('pdf').buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
    expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.body.length).toBeGreaterThan(5000);
  });

  it('should answer 503 naming Chromium when it is not installed', async () => {
    const other = await createTestApp({ CHROMIUM_PATH: '/nonexistent/chromium' });
    try {
      const user = await other.createUser('admin');
      const cycle = await other.http.post('/api/v1/cycles').set('Authorization', user.auth).send({ number: 1, stateUnderReview: 'Chile' }).expect(201);
      const res = await other.http.get(`/api/v1/cycles/${cycle.body.id}/report?format=pdf`).set('Authorization', user.auth).expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/Chromium.*not installed at \/nonexistent\/chromium/) });
      await other.http.get(`/api/v1/cycles/${cycle.body.id}/report?format=html`).set('Authorization', user.auth).expect(200);
    } finally {
      await other.close();
    }
  });

  it('should give any role of the coalition the report, and no one else', async () => {
    for (const user of [admin, coordinator, member]) await report('json', user).expect(200);
    const stranger = await t.createUser('admin', 'Coalition B');
    const res = await report('json', stranger).expect(404);
    expect(res.body.message).toBe(`Cycle ${cycleId} was not found`);
    await t.http.get(`/api/v1/cycles/${cycleId}/report`).expect(401);
  });

  it('should refuse an unknown format naming the formats allowed', async () => {
    const res = await report('docx').expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'format', allowed: ['json', 'csv', 'xlsx', 'html', 'pdf'] })]);
    await t.http.get(`/api/v1/cycles/${cycleId}/report`).query({ format: 'csv', extra: 1 }).set('Authorization', member.auth).expect(400);
  });

  it('should stream a cycle larger than one chunk of the list, all of it', async () => {
    const big = (await post('/api/v1/cycles', { number: 1, stateUnderReview: 'Brazil' }, admin).expect(201)).body.id;
    await seedRecommendations(t.dataSource, admin.coalitionId, [{ id: big, number: 1 }], 4500);
    const json = await report('json', member, big).expect(200);
    expect(json.body.totals.recommendations).toBe(4500);
    expect(json.body.byStatus.reduce((sum: number, s: { count: number }) => sum + s.count, 0)).toBe(4500);
    expect(json.body.recommendations).toHaveLength(4500);
    const ids = json.body.recommendations.map((r: { id: number }) => r.id);
    expect(new Set(ids).size).toBe(4500);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    const csv = await report('csv', member, big).expect(200);
    expect(parse(csv.text, { bom: true, columns: true })).toHaveLength(4500);
  });

  describe('command line', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'upr-report-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = async (...args: string[]) => {
      const output: string[] = [];
      const program = buildProgram(async () => t.app, (line) => output.push(line));
      program.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
      await program.parseAsync(['node', 'cli', ...args]);
      return output.join('\n');
    };

    it('should write the report in the format asked to the file named', async () => {
      const csvFile = join(dir, 'report.csv');
      await expect(run('report', '--cycle', String(cycleId), '--format', 'csv', '--out', csvFile)).resolves.toMatch(/Wrote the csv report of cycle \d+ \(United States of America, UPR cycle 3\) to .*report\.csv/);
      expect(parse(readFileSync(csvFile, 'utf8'), { bom: true, columns: true })).toHaveLength(6);
      const jsonFile = join(dir, 'report.json');
      await run('report', '--cycle', String(cycleId), '--format', 'json', '--out', jsonFile);
      expect(JSON.parse(readFileSync(jsonFile, 'utf8')).totals.recommendations).toBe(6);
      const htmlFile = join(dir, 'report.html');
      await run('report', '--cycle', String(cycleId), '--format', 'html', '--out', htmlFile);
      expect(readFileSync(htmlFile, 'utf8')).toContain('&lt;script&gt;');
    });

    it('should name the bad option', async () => {
      await expect(run('report', '--cycle', String(cycleId), '--format', 'docx', '--out', join(dir, 'x'))).rejects.toThrow(/Allowed choices are json, csv, xlsx, html, pdf/);
      await expect(run('report', '--cycle', 'abc', '--format', 'csv', '--out', join(dir, 'x'))).rejects.toThrow(/--cycle: must be a cycle id/);
      await expect(run('report', '--cycle', '999999', '--format', 'csv', '--out', join(dir, 'x'))).rejects.toThrow(/--cycle: Cycle 999999 was not found/);
      await expect(run('report', '--cycle', String(cycleId), '--format', 'csv', '--out', join(dir, 'no-such-dir', 'x.csv'))).rejects.toThrow(/--out: .*no-such-dir/);
      await expect(run('report', '--cycle', String(cycleId), '--format', 'csv')).rejects.toThrow(/--out/);
      expect(existsSync(join(dir, 'x'))).toBe(false);
    });

    it('should fail with a clear message when a PDF is asked for without Chromium', async () => {
      const other = await createTestApp({ CHROMIUM_PATH: '/nonexistent/chromium' });
      try {
        const user = await other.createUser('admin');
        const cycle = await other.http.post('/api/v1/cycles').set('Authorization', user.auth).send({ number: 1, stateUnderReview: 'Chile' }).expect(201);
        const program = buildProgram(async () => other.app, () => undefined);
        const error = await program.parseAsync(['node', 'cli', 'report', '--cycle', String(cycle.body.id), '--format', 'pdf', '--out', join(dir, 'r.pdf')]).catch((e) => e);
        expect(error).toBeInstanceOf(CliError);
        expect(error.message).toMatch(/PDF reports need Chromium, which is not installed/);
        expect(existsSync(join(dir, 'r.pdf'))).toBe(false);
      } finally {
        await other.close();
      }
    });
  });
});
