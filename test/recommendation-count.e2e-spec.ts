import { seedRecommendations } from '../bench/seed';
import { createTestApp, TestApp, TestUser } from './support/test-app';

// The unfiltered listing's total is the count the triggers keep per coalition (migration
// 1795970100000), not a COUNT(*) of the coalition's rows: it must stay what COUNT(*) would say.
describe('recommendation count per coalition', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let cycleA: number;
  let cycleB: number;

  /** Coalitions whose kept count differs from their rows' (a missing row counts as 0). */
  const drift = async (): Promise<unknown[]> =>
    t.dataSource.query(
      `SELECT r.coalition_id, r.n AS counted, c.n AS kept FROM (SELECT coalition_id, COUNT(*) AS n FROM recommendation GROUP BY coalition_id) r
       LEFT JOIN coalition_recommendation_count c ON c.coalition_id = r.coalition_id WHERE c.n IS NULL OR c.n <> r.n
       UNION ALL SELECT c.coalition_id, 0, c.n FROM coalition_recommendation_count c
       WHERE c.n <> 0 AND NOT EXISTS (SELECT 1 FROM recommendation r WHERE r.coalition_id = c.coalition_id)`,
    );

  /** The unfiltered listing's total, from a full page (so the count runs: a short page tells it by itself). */
  const listedTotal = async (user: TestUser): Promise<number> => {
    const { body } = await t.http.get('/api/v1/recommendations').query({ pageSize: 2 }).set('Authorization', user.auth).expect(200);
    expect(body.items).toHaveLength(2);
    return body.total;
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = await t.createUser('admin');
    b = await t.createUser('admin', 'Coalition B');
    cycleA = (await t.http.post('/api/v1/cycles').set('Authorization', a.auth).send({ number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
    cycleB = (await t.http.post('/api/v1/cycles').set('Authorization', b.auth).send({ number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
  });
  afterAll(async () => t.close());

  it('should keep each coalition\'s count through creates, bulk inserts and deletes', async () => {
    for (const text of ['Abolish the death penalty', 'Ratify the Optional Protocol', 'Protect journalists']) {
      await t.http.post(`/api/v1/cycles/${cycleA}/recommendations`).set('Authorization', a.auth).send({ text }).expect(201);
    }
    // Multi-row INSERTs, as the importer writes them.
    await seedRecommendations(t.dataSource, a.coalitionId, [{ id: cycleA, number: 3 }], 700);
    await seedRecommendations(t.dataSource, b.coalitionId, [{ id: cycleB, number: 3 }], 250);
    expect(await drift()).toEqual([]);
    expect(await listedTotal(a)).toBe(703);
    expect(await listedTotal(b)).toBe(250);

    // Seeded rows have tags only: deleting them (and their tags) is a plain DELETE of many rows.
    const p = (n: number) => (t.dataSource.options.type === 'postgres' ? `$${n}` : '?');
    const doomed = `SELECT id FROM recommendation WHERE coalition_id = ${p(1)} AND cycle_id = ${p(2)} ORDER BY id DESC LIMIT 100`;
    const ids: { id: number }[] = await t.dataSource.query(doomed, [b.coalitionId, cycleB]);
    const list = ids.map((r) => Number(r.id)).join(', ');
    await t.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM recommendation_follower WHERE recommendation_id IN (${list})`);
      await manager.query(`DELETE FROM recommendation_tag WHERE recommendation_id IN (${list})`);
      await manager.query(`DELETE FROM recommendation WHERE id IN (${list})`);
    });
    expect(await drift()).toEqual([]);
    expect(await listedTotal(b)).toBe(150);
    expect(await listedTotal(a)).toBe(703);
  });

  it("should keep the count through an import, which counts its rows once instead of row by row, and count the rows after it", async () => {
    const importer = await t.createUser('admin', 'Coalition D');
    const csv = [
      'state_under_review,cycle,session,document_symbol,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category',
      'Chile,3,32,A/HRC/41/6,125.1,Ratify the Optional Protocol to the ICESCR,Portugal,supported,,,,',
      'Chile,3,32,A/HRC/41/6,125.2,Abolish the death penalty in all circumstances,France,noted,,,,',
    ].join('\n');
    const upload = (fields: Record<string, string>) => {
      const req = t.http.post('/api/v1/imports').set('Authorization', importer.auth);
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      return req.attach('file', Buffer.from(csv), 'chile.csv').expect(201);
    };
    // A dry run rolls back its rows and the count with them.
    expect((await upload({ dryRun: 'true' })).body).toMatchObject({ created: 2, committed: false });
    expect(await drift()).toEqual([]);
    const { body } = await upload({});
    expect(body).toMatchObject({ created: 2, committed: true });
    expect(await drift()).toEqual([]);
    expect(await listedTotal(importer)).toBe(2);
    // The per-row trigger is back: a recommendation created afterwards is counted.
    const cycleId = body.cycles[0].cycleId;
    await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', importer.auth).send({ text: 'Protect journalists' }).expect(201);
    expect(await drift()).toEqual([]);
    expect(await listedTotal(importer)).toBe(3);
  });

  it('should answer 0 for a coalition without recommendations, and count filters as before', async () => {
    const empty = await t.createUser('admin', 'Coalition C');
    const { body } = await t.http.get('/api/v1/recommendations').set('Authorization', empty.auth).expect(200);
    expect([body.total, body.items]).toEqual([0, []]);
    // A filtered listing still counts its rows.
    const { body: cycle } = await t.http.get('/api/v1/recommendations').query({ cycleId: cycleA, pageSize: 2 }).set('Authorization', a.auth).expect(200);
    expect(cycle.total).toBe(703);
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM recommendation WHERE coalition_id = ${Number(a.coalitionId)} AND status = 'in_progress'`);
    const { body: status } = await t.http.get('/api/v1/recommendations').query({ status: 'in_progress', pageSize: 2 }).set('Authorization', a.auth).expect(200);
    expect(status.total).toBe(Number(n));
  });
});
