import { createTestApp, TestApp, TestUser } from './support/test-app';

describe("the State's participation in a review", () => {
  let t: TestApp;
  let admin: TestUser;
  const post = (path: string, body: object) => t.http.post(path).set('Authorization', admin.auth).send(body);
  const patch = (path: string, body: object) => t.http.patch(path).set('Authorization', admin.auth).send(body);
  const responses = async (cycleId: number) =>
    (await t.http.get('/api/v1/recommendations').query({ cycleId }).set('Authorization', admin.auth).expect(200)).body.items.map((r: { response: string }) => r.response);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
  });
  afterAll(async () => t.close());

  it('should record participated by default and refuse an unknown value, naming the allowed ones', async () => {
    const cycle = await post('/api/v1/cycles', { number: 3, stateUnderReview: 'Chile' }).expect(201);
    expect(cycle.body.participation).toBe('participated');
    const bad = await post('/api/v1/cycles', { number: 3, stateUnderReview: 'Chile', participation: 'absent' }).expect(400);
    expect(JSON.stringify(bad.body.details)).toMatch(/participation must be one of: participated, did_not_participate, postponed/);
    await patch(`/api/v1/cycles/${cycle.body.id}`, { participation: null }).expect(400);
  });

  it('should give every recommendation no response when the State did not participate, in the same change', async () => {
    const cycle = (await post('/api/v1/cycles', { number: 4, stateUnderReview: 'United States of America', session: '50' }).expect(201)).body;
    await post(`/api/v1/cycles/${cycle.id}/recommendations`, { text: 'Abolish the death penalty', response: 'supported' }).expect(201);
    await post(`/api/v1/cycles/${cycle.id}/recommendations`, { text: 'Ratify CEDAW', response: 'noted' }).expect(201);
    await post(`/api/v1/cycles/${cycle.id}/recommendations`, { text: 'Close Guantanamo' }).expect(201);
    const res = await patch(`/api/v1/cycles/${cycle.id}`, { participation: 'did_not_participate' }).expect(200);
    expect(res.body.participation).toBe('did_not_participate');
    expect(await responses(cycle.id)).toEqual(['no_response', 'no_response', 'no_response']);

    // New recommendations get no response; another response is refused, naming why.
    const added = await post(`/api/v1/cycles/${cycle.id}/recommendations`, { text: 'Protect asylum seekers' }).expect(201);
    expect(added.body.response).toBe('no_response');
    const refused = await post(`/api/v1/cycles/${cycle.id}/recommendations`, { text: 'Protect migrants', response: 'supported' }).expect(400);
    expect(refused.body.details).toEqual([{ field: 'response', problem: expect.stringMatching(/United States of America did not participate in this review/) }]);
    await patch(`/api/v1/recommendations/${added.body.id}`, { response: 'noted' }).expect(400);
    expect(await responses(cycle.id)).toEqual(['no_response', 'no_response', 'no_response', 'no_response']);

    // An import into the cycle records no response whatever the file says.
    const csv = ['state_under_review,cycle,session,document_symbol,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category',
      'United States of America,4,50,,,End family detention,Mexico,supported,,,,'].join('\n');
    const imported = await t.http.post('/api/v1/imports').set('Authorization', admin.auth).field('format', 'csv').field('cycleId', String(cycle.id))
      .attach('file', Buffer.from(csv), 'usa.csv').expect(201);
    expect(imported.body.created).toBe(1);
    expect(await responses(cycle.id)).toEqual(Array(5).fill('no_response'));
  });

  it('should say so in the cycle report (JSON, HTML) and on the public ledger', async () => {
    const cycle = (await post('/api/v1/cycles', { number: 4, stateUnderReview: 'United States of America', session: '51', participation: 'did_not_participate' }).expect(201)).body;
    expect(cycle.participation).toBe('did_not_participate');
    await post(`/api/v1/cycles/${cycle.id}/recommendations`, { text: 'Abolish the death penalty' }).expect(201);
    const sentence = /United States of America did not participate in this review: it gave no response to any recommendation/;
    const json = await t.http.get(`/api/v1/cycles/${cycle.id}/report`).set('Authorization', admin.auth).expect(200);
    expect(json.body.cycle).toMatchObject({ participation: 'did_not_participate', participationNote: expect.stringMatching(sentence) });
    expect(json.body.byResponse.find((r: { response: string }) => r.response === 'no_response').count).toBe(1);
    const html = await t.http.get(`/api/v1/cycles/${cycle.id}/report`).query({ format: 'html' }).set('Authorization', admin.auth).expect(200);
    expect(html.text).toMatch(sentence);
    await post(`/api/v1/cycles/${cycle.id}/publish`, {}).expect((res) => expect([200, 201]).toContain(res.status));
    const ledger = await t.http.get(`/ledger/${cycle.id}`).expect(200);
    expect(ledger.text).toMatch(sentence);

    // A State that took part: nothing is said.
    const other = (await post('/api/v1/cycles', { number: 1, stateUnderReview: 'Fiji' }).expect(201)).body;
    const plain = await t.http.get(`/api/v1/cycles/${other.id}/report`).set('Authorization', admin.auth).expect(200);
    expect(plain.body.cycle.participationNote).toBeNull();
  });

  it('should say a postponed review is postponed and leave the responses alone', async () => {
    const cycle = (await post('/api/v1/cycles', { number: 2, stateUnderReview: 'Nicaragua' }).expect(201)).body;
    await post(`/api/v1/cycles/${cycle.id}/recommendations`, { text: 'Release political prisoners', response: 'pending' }).expect(201);
    await patch(`/api/v1/cycles/${cycle.id}`, { participation: 'postponed' }).expect(200);
    expect(await responses(cycle.id)).toEqual(['pending']);
    const json = await t.http.get(`/api/v1/cycles/${cycle.id}/report`).set('Authorization', admin.auth).expect(200);
    expect(json.body.cycle.participationNote).toMatch(/The review of Nicaragua was postponed/);
  });
});
