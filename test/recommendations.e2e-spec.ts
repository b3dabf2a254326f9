import { createTestApp, TestApp, TestUser } from './support/test-app';

describe('recommendations', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let cycle3: number;
  let cycle2: number;

  const post = (cycleId: number, body: object) =>
    t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', coordinator.auth).send(body);
  const list = (query: Record<string, string | number>) =>
    t.http.get('/api/v1/recommendations').query(query).set('Authorization', coordinator.auth).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    const mk = async (number: number) =>
      (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number, stateUnderReview: 'China', reviewDate: '2018-11-06' }).expect(201)).body.id;
    cycle2 = await mk(2);
    cycle3 = await mk(3);
    await post(cycle3, {
      paragraph: '28.1',
      text: 'Ratify the International Covenant on Civil and Political Rights',
      recommendingStates: ['France', 'Iran (Islamic Republic of)'],
      response: 'supported',
      themes: ['A12 Acceptance of international norms'],
      affectedPersons: ['general'],
      sdgs: [16],
      actionCategory: 5,
      ownerIds: [coordinator.id],
    }).expect(201);
    await post(cycle3, { paragraph: '28.2', text: 'Abolish the death penalty', recommendingStates: ['Portugal'], response: 'noted', themes: ['D23 Death penalty'] }).expect(201);
    await post(cycle3, { paragraph: '28.3', text: 'Prevent torture in detention and investigate allegations of torture', recommendingStates: ['France'], response: 'supported', themes: ['D25 Prohibition of torture'] }).expect(201);
    await post(cycle2, { paragraph: '186.1', text: 'Consider ratifying the ICCPR', recommendingStates: ['Mexico'], response: 'supported' }).expect(201);
  });
  afterAll(async () => t.close());

  it('should return every field it was given when it creates a recommendation', async () => {
    const res = await list({ q: 'Covenant' });
    expect(res.body.items[0]).toMatchObject({
      cycleId: cycle3,
      paragraph: '28.1',
      recommendingStates: ['France', 'Iran (Islamic Republic of)'],
      response: 'supported',
      status: 'not_assessed',
      themes: ['A12 Acceptance of international norms'],
      affectedPersons: ['general'],
      sdgs: [16],
      actionCategory: 5,
      ownerIds: [coordinator.id],
      predecessorId: null,
    });
  });

  it('should filter by cycle, response, theme, recommending State, owner and status', async () => {
    expect((await list({ cycleId: cycle3 })).body.total).toBe(3);
    expect((await list({ cycleId: cycle2 })).body.total).toBe(1);
    expect((await list({ response: 'noted' })).body.items.map((r: { paragraph: string }) => r.paragraph)).toEqual(['28.2']);
    expect((await list({ theme: 'D25 Prohibition of torture' })).body.items.map((r: { paragraph: string }) => r.paragraph)).toEqual(['28.3']);
    expect((await list({ recommendingState: 'France' })).body.items.map((r: { paragraph: string }) => r.paragraph)).toEqual(['28.1', '28.3']);
    expect((await list({ recommendingState: 'Iran (Islamic Republic of)' })).body.total).toBe(1);
    expect((await list({ ownerId: coordinator.id })).body.total).toBe(1);
    expect((await list({ status: 'not_assessed', cycleId: cycle3, response: 'supported' })).body.total).toBe(2);
    expect((await list({ status: 'in_progress' })).body.total).toBe(0);
  });

  it('should search the text in full, with stemming and any punctuation', async () => {
    expect((await list({ q: 'tortured' })).body.items.map((r: { paragraph: string }) => r.paragraph)).toEqual(['28.3']);
    expect((await list({ q: 'death penalty' })).body.total).toBe(1);
    expect((await list({ q: '"death penalty' })).body.total).toBe(1);
    expect((await list({ q: 'death torture' })).body.total).toBe(0);
    expect((await list({ q: 'ratify', cycleId: cycle3 })).body.total).toBe(1);
  });

  it('should paginate with items, total, page and pageSize', async () => {
    const first = await list({ pageSize: 2, page: 1 });
    const second = await list({ pageSize: 2, page: 2 });
    expect(first.body).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items).toHaveLength(2);
    const ids = [...first.body.items, ...second.body.items].map((r: { id: number }) => r.id);
    expect(new Set(ids).size).toBe(4);
    expect((await list({ pageSize: 2, page: 3 })).body.items).toEqual([]);
  });

  it('should change only the named fields when patched', async () => {
    const [rec] = (await list({ q: 'Covenant' })).body.items;
    const res = await t.http
      .patch(`/api/v1/recommendations/${rec.id}`)
      .set('Authorization', coordinator.auth)
      .send({ themes: ['A12 Acceptance of international norms', 'B31 Equality & non-discrimination'], response: 'supported_in_part' })
      .expect(200);
    expect(res.body).toMatchObject({
      themes: ['A12 Acceptance of international norms', 'B31 Equality & non-discrimination'],
      response: 'supported_in_part',
      recommendingStates: ['France', 'Iran (Islamic Republic of)'],
      sdgs: [16],
      ownerIds: [coordinator.id],
      text: rec.text,
      status: 'not_assessed',
    });
  });

  it('should link a predecessor in an earlier cycle and refuse one in the same cycle', async () => {
    const [older] = (await list({ cycleId: cycle2 })).body.items;
    const [newer] = (await list({ q: 'Covenant' })).body.items;
    const [sameCycle] = (await list({ q: 'death' })).body.items;
    const res = await t.http.patch(`/api/v1/recommendations/${newer.id}`).set('Authorization', coordinator.auth).send({ predecessorId: older.id }).expect(200);
    expect(res.body.predecessorId).toBe(older.id);
    const refused = await t.http.patch(`/api/v1/recommendations/${newer.id}`).set('Authorization', coordinator.auth).send({ predecessorId: sameCycle.id }).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'predecessorId' })]);
  });

  it('should say which recommendation was not found', async () => {
    const res = await t.http.get('/api/v1/recommendations/999999').set('Authorization', coordinator.auth).expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Recommendation 999999 was not found' });
  });

  it('should let a cycle be read, listed and edited by key dates', async () => {
    const res = await t.http.patch(`/api/v1/cycles/${cycle3}`).set('Authorization', admin.auth).send({ adoptionDate: '2019-03-15', documentSymbol: 'A/HRC/40/6' }).expect(200);
    expect(res.body).toMatchObject({ id: cycle3, number: 3, stateUnderReview: 'China', reviewDate: '2018-11-06', adoptionDate: '2019-03-15', documentSymbol: 'A/HRC/40/6', mechanism: 'upr', state: 'open' });
    const all = await t.http.get('/api/v1/cycles').set('Authorization', coordinator.auth).expect(200);
    expect(all.body.map((c: { number: number }) => c.number)).toEqual([2, 3]);
  });
});
