import { createReadStream, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ImportOptions, ImportsService } from '../src/imports/imports.service';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const DATA = resolve(__dirname, '../../shared/data');
const VOLUNTARY = join(DATA, 'upr-info', 'voluntary.csv');
const SESSIONS_1_5 = join(DATA, 'upr-info', '1-5.csv');

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

describe('voluntary pledges', () => {
  let t: TestApp;
  let admin: TestUser;
  const post = (path: string, body: object) => t.http.post(path).set('Authorization', admin.auth).send(body);
  const list = (query: object) => t.http.get('/api/v1/recommendations').query({ pageSize: 200, ...query }).set('Authorization', admin.auth);
  const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].n);

  beforeAll(async () => {
    if (!existsSync(VOLUNTARY)) throw new Error(`The real data this suite needs is missing: ${VOLUNTARY} (see ../shared/data/README.md)`);
    t = await createTestApp();
    admin = await t.createUser('admin');
  });
  afterAll(async () => t.close());

  describe('through the API', () => {
    let cycleId: number;
    beforeAll(async () => {
      cycleId = (await post('/api/v1/cycles', { number: 4, stateUnderReview: 'Chile' }).expect(201)).body.id;
    });

    it('should create a pledge with no response and no recommending State, and a recommendation by default', async () => {
      const pledge = await post(`/api/v1/cycles/${cycleId}/recommendations`, { kind: 'voluntary_pledge', text: 'Submit the mid-term report' }).expect(201);
      expect(pledge.body).toMatchObject({ kind: 'voluntary_pledge', response: 'no_response', recommendingStates: [] });
      const rec = await post(`/api/v1/cycles/${cycleId}/recommendations`, { text: 'Abolish the death penalty', recommendingStates: ['Portugal'], response: 'supported' }).expect(201);
      expect(rec.body).toMatchObject({ kind: 'recommendation', response: 'supported' });
    });

    it('should refuse a pledge with a recommending State or a response, naming both, and write nothing', async () => {
      const before = await count(`SELECT COUNT(*) AS n FROM recommendation WHERE cycle_id = ${cycleId}`);
      const res = await post(`/api/v1/cycles/${cycleId}/recommendations`, { kind: 'voluntary_pledge', text: 'x', recommendingStates: ['Chile'], response: 'supported' }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['recommendingStates', 'response']);
      expect(res.body.message).toMatch(/voluntary pledge .* no recommending States/);
      const bad = await post(`/api/v1/cycles/${cycleId}/recommendations`, { kind: 'promise', text: 'x' }).expect(400);
      expect(JSON.stringify(bad.body.details)).toMatch(/kind must be one of: recommendation, voluntary_pledge/);
      expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE cycle_id = ${cycleId}`)).toBe(before);
    });

    it('should filter the list by kind and refuse an unknown kind', async () => {
      const pledges = (await list({ cycleId, kind: 'voluntary_pledge' }).expect(200)).body;
      expect(pledges.items.map((r: { text: string }) => r.text)).toEqual(['Submit the mid-term report']);
      expect(pledges.total).toBe(1);
      const recommendations = (await list({ cycleId, kind: 'recommendation' }).expect(200)).body;
      expect(recommendations.items.map((r: { text: string }) => r.text)).toEqual(['Abolish the death penalty']);
      await list({ kind: 'pledge' }).expect(400);
    });

    it('should turn a recommendation into a pledge, dropping its recommending States and response', async () => {
      const rec = await post(`/api/v1/cycles/${cycleId}/recommendations`, { text: 'Adopt a national human rights action plan', recommendingStates: ['Chile'], response: 'supported' }).expect(201);
      const res = await t.http.patch(`/api/v1/recommendations/${rec.body.id}`).set('Authorization', admin.auth).send({ kind: 'voluntary_pledge' }).expect(200);
      expect(res.body).toMatchObject({ kind: 'voluntary_pledge', response: 'no_response', recommendingStates: [] });
      await t.http.patch(`/api/v1/recommendations/${rec.body.id}`).set('Authorization', admin.auth).send({ response: 'noted' }).expect(400);
    });

    it('should count pledges apart in the cycle report', async () => {
      const { body } = await t.http.get(`/api/v1/cycles/${cycleId}/report`).set('Authorization', admin.auth).expect(200);
      expect(body.totals).toMatchObject({ recommendations: 1, voluntaryPledges: 2 });
      expect(body.byResponse.find((r: { response: string }) => r.response === 'no_response').count).toBe(0);
      expect(body.implementationRate.no_response.recommendations).toBe(0);
      expect(body.voluntaryPledges).toEqual({ count: 2, byStatus: expect.arrayContaining([{ status: 'not_assessed', count: 2 }]) });
      expect(body.recommendations.map((r: { kind: string }) => r.kind).sort()).toEqual(['recommendation', 'voluntary_pledge', 'voluntary_pledge']);
      const html = await t.http.get(`/api/v1/cycles/${cycleId}/report`).query({ format: 'html' }).set('Authorization', admin.auth).expect(200);
      expect(html.text).toMatch(/2 voluntary pledges of the State itself are listed with the recommendations but counted apart/);
      const csv = await t.http.get(`/api/v1/cycles/${cycleId}/report`).query({ format: 'csv' }).set('Authorization', admin.auth).expect(200);
      expect(csv.text).toMatch(/^\uFEFFid,paragraph,text,recommending_states,response,kind,status,/);
    });
  });

  describe('imported from the UPR Info export', () => {
    let service: ImportsService;
    const run = (path: string, options: Partial<ImportOptions> = {}) =>
      service.run(fileSource(path), { coalitionId: admin.coalitionId, format: 'auto', dryRun: false, partial: false, ...options });

    beforeAll(() => {
      service = t.app.get(ImportsService);
    });

    it('should import sessions 1 to 5 and then the 947 pledges as pledges, counted apart from the recommendations of the same cycles', async () => {
      const sessions = await run(SESSIONS_1_5);
      expect(sessions).toMatchObject({ committed: true, rejected: 0 });
      const recommendationsBefore = await count(`SELECT COUNT(*) AS n FROM recommendation WHERE kind = 'recommendation'`);
      const statesBefore = await count(`SELECT COUNT(*) AS n FROM recommendation_tag WHERE kind = 'recommending_state'`);
      const pledgesBefore = await count(`SELECT COUNT(*) AS n FROM recommendation WHERE kind = 'voluntary_pledge'`); // the API tests' two

      const pledges = await run(VOLUNTARY);
      expect(pledges).toMatchObject({ committed: true, rows: 947, rejected: 0, updated: 0 });
      // 947 rows: two pairs repeat a pledge of the same State and session word for word (reported as duplicate rows).
      expect({ created: pledges.created, duplicates: pledges.duplicates }).toEqual({ created: 945, duplicates: 2 });
      expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE kind = 'voluntary_pledge'`)).toBe(pledgesBefore + 945);
      expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE kind = 'voluntary_pledge' AND response <> 'no_response'`)).toBe(0);
      // No pledge names a recommending State, and the recommendations of sessions 1-5 are as they were.
      expect(await count(`SELECT COUNT(*) AS n FROM recommendation_tag WHERE kind = 'recommending_state'`)).toBe(statesBefore);
      expect(await count(`SELECT COUNT(*) AS n FROM recommendation WHERE kind = 'recommendation'`)).toBe(recommendationsBefore);
      expect((await list({ kind: 'voluntary_pledge', pageSize: 1 }).expect(200)).body.total).toBe(pledgesBefore + 945);

      // The cycles that hold both kinds now (48 of sessions 1-5); the first of them.
      const mixed: { id: number }[] = await t.dataSource.query(
        `SELECT cycle_id AS id FROM recommendation GROUP BY cycle_id HAVING MIN(kind) = 'recommendation' AND MAX(kind) = 'voluntary_pledge' ORDER BY cycle_id`,
      );
      expect(mixed).toHaveLength(48 + 1); // and the API tests' cycle
      const mixedCycle = mixed[1];
      const report = (await t.http.get(`/api/v1/cycles/${Number(mixedCycle.id)}/report`).set('Authorization', admin.auth).expect(200)).body;
      const inCycle = async (kind: string) => count(`SELECT COUNT(*) AS n FROM recommendation WHERE cycle_id = ${Number(mixedCycle.id)} AND kind = '${kind}'`);
      expect(report.totals).toMatchObject({ recommendations: await inCycle('recommendation'), voluntaryPledges: await inCycle('voluntary_pledge') });
      expect(report.totals.voluntaryPledges).toBeGreaterThan(0);
      expect(report.byResponse.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(report.totals.recommendations);
    }, 300_000);

    it('should change nothing when the pledges are imported again', async () => {
      const again = await run(VOLUNTARY);
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 945 });
    }, 120_000);
  });
});
