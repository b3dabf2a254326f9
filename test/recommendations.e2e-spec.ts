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
      affectedPersons: ['General'],
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

  it('should count and page every kind of filter within the coalition only, whether or not the page tells the total', async () => {
    const other = await t.createUser('admin', 'Coalition Elsewhere');
    const otherCycle = (await t.http.post('/api/v1/cycles').set('Authorization', other.auth).send({ number: 3, stateUnderReview: 'China' }).expect(201)).body.id;
    await t.http
      .post(`/api/v1/cycles/${otherCycle}/recommendations`)
      .set('Authorization', other.auth)
      .send({ text: 'Prevent torture in prisons', recommendingStates: ['France'], response: 'supported', themes: ['D25 Prohibition of torture'] })
      .expect(201);
    const paragraphs = (res: { body: { items: { paragraph: string }[] } }) => res.body.items.map((r) => r.paragraph);
    // pageSize 1 fills the page, so the total comes from the count; page 9 is past the end.
    for (const pageSize of [1, 50]) {
      expect((await list({ theme: 'D25 Prohibition of torture', pageSize })).body.total).toBe(1);
      expect((await list({ recommendingState: 'France', pageSize })).body.total).toBe(2);
      expect((await list({ recommendingState: 'France', response: 'supported', pageSize })).body.total).toBe(2);
      expect((await list({ recommendingState: 'France', theme: 'D25 Prohibition of torture', pageSize })).body.total).toBe(1);
      expect((await list({ recommendingState: 'France', q: 'torture', pageSize })).body.total).toBe(1);
      expect((await list({ recommendingState: 'France', ownerId: coordinator.id, pageSize })).body.total).toBe(1);
      expect((await list({ q: 'torture', pageSize })).body.total).toBe(1);
    }
    expect(paragraphs(await list({ recommendingState: 'France', pageSize: 1, page: 2 }))).toEqual(['28.3']);
    expect((await list({ recommendingState: 'France', pageSize: 1, page: 9 })).body).toMatchObject({ items: [], total: 2 });
    expect((await list({ theme: 'D25 Prohibition of torture', pageSize: 1, page: 9 })).body).toMatchObject({ items: [], total: 1 });
    const theirs = await t.http.get('/api/v1/recommendations').query({ recommendingState: 'France' }).set('Authorization', other.auth).expect(200);
    expect(theirs.body.items.map((r: { text: string }) => r.text)).toEqual(['Prevent torture in prisons']);
  });

  it('should give the same times in the list as in the detail, before and after an edit', async () => {
    const [first] = (await list({ q: 'Covenant' })).body.items;
    const detail = await t.http.get(`/api/v1/recommendations/${first.id}`).set('Authorization', coordinator.auth).expect(200);
    expect([first.createdAt, first.updatedAt]).toEqual([detail.body.createdAt, detail.body.updatedAt]);
    t.clock.advance(1234);
    const patched = await t.http.patch(`/api/v1/recommendations/${first.id}`).set('Authorization', coordinator.auth).send({ actionCategory: 4 }).expect(200);
    const [after] = (await list({ q: 'Covenant' })).body.items;
    expect([after.createdAt, after.updatedAt]).toEqual([patched.body.createdAt, patched.body.updatedAt]);
    expect(after.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await t.http.patch(`/api/v1/recommendations/${first.id}`).set('Authorization', coordinator.auth).send({ actionCategory: 5 }).expect(200);
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
    expect(all.body.items.map((c: { number: number }) => c.number)).toEqual([2, 3]);
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 50 });
  });
});
