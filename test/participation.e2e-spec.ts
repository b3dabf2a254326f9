import { dispatch, follow, rows, setPreferences } from './support/notification-fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
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

describe('a State that did not participate: the trail and the notices of the responses it changes', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let followers: TestUser[];
  const api = (method: 'get' | 'post' | 'patch', path: string, user: TestUser = admin) => t.http[method](`/api/v1${path}`).set('Authorization', user.auth);

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000' });
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    followers = [await t.createUser('member'), await t.createUser('member'), await t.createUser('member')];
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it("should record each response it changes in the recommendation's Changes and tell every follower once, in one email per person", async () => {
    t.clock.set('2027-03-01T10:00:00.000Z');
    const cycle = (await api('post', '/cycles').send({ number: 4, stateUnderReview: 'USA', session: '50' }).expect(201)).body;
    const add = async (text: string, response?: string) => (await api('post', `/cycles/${cycle.id}/recommendations`).send({ text, ...(response ? { response } : {}), ownerIds: [coordinator.id] }).expect(201)).body.id as number;
    const supported = await add('Abolish the death penalty', 'supported');
    const noted = await add('Ratify CEDAW', 'noted');
    const pending = await add('Close Guantanamo');
    const already = await add('Ratify the CRC', 'no_response');
    const [all, one, digest] = followers;
    for (const id of [supported, noted, pending, already]) await follow(t, all, id);
    await follow(t, one, noted);
    await follow(t, digest, supported);
    await follow(t, digest, pending);
    // The admin follows too, but made the change: no notice to oneself.
    await follow(t, admin, supported);
    await setPreferences(t, digest, { statusChanges: 'daily_digest', digestHour: 7, timeZone: 'UTC' });
    await dispatch(t);
    smtp.received.length = 0;

    await api('patch', `/cycles/${cycle.id}`).send({ participation: 'did_not_participate' }).expect(200);

    // One entry per recommendation whose response changed, with before and after; none for the one that had none.
    for (const [id, from] of [[supported, 'supported'], [noted, 'noted'], [pending, 'pending']] as const) {
      const entries = (await api('get', '/audit').query({ entity: 'recommendation', entityId: id }).expect(200)).body.items;
      expect(entries[0]).toMatchObject({ action: 'response_set_by_participation', actorId: admin.id, before: { response: from }, after: { response: 'no_response' } });
    }
    const untouched = (await api('get', '/audit').query({ entity: 'recommendation', entityId: already }).expect(200)).body.items;
    expect(untouched.map((e: { action: string }) => e.action)).toEqual(['created']);
    const cycleEntry = (await api('get', '/audit').query({ entity: 'cycle', entityId: cycle.id }).expect(200)).body.items[0];
    expect(cycleEntry).toMatchObject({ action: 'updated', before: { participation: 'participated' }, after: { participation: 'did_not_participate' } });

    // Immediate: one email per person, whatever the number of recommendations they follow or own.
    await dispatch(t);
    const received = smtp.received.map((m) => ({ to: JSON.stringify(m.to), subject: m.subject, text: m.text ?? '' }));
    expect(smtp.recipients().sort()).toEqual([all.email, one.email, coordinator.email].sort());
    const toAll = received.find((m) => m.to.includes(all.email))!;
    expect(toAll.subject).toBe('upr-followup: 3 changes');
    expect(toAll.text.match(/State's response of recommendation #\d+: (supported|noted|pending) → no response/g)).toHaveLength(3);
    expect(toAll.text).toContain('United States of America did not participate in this review');
    expect(received.find((m) => m.to.includes(one.email))!.subject).toBe(`State's response of recommendation #${noted}: noted → no response`);
    expect(received.find((m) => m.to.includes(coordinator.email))!.subject).toBe('upr-followup: 3 changes');

    // The daily digest gathers its two at the digest hour; nothing is sent twice.
    smtp.received.length = 0;
    t.clock.set('2027-03-02T07:00:30.000Z');
    await dispatch(t);
    expect(smtp.recipients()).toEqual([digest.email]);
    expect(smtp.received[0].subject).toBe('upr-followup daily digest: 2 updates');
    smtp.received.length = 0;
    t.clock.set('2027-03-03T08:00:00.000Z');
    await dispatch(t);
    expect(smtp.received).toEqual([]);

    // Saving the cycle again changes no response: no entry, no notice.
    await api('patch', `/cycles/${cycle.id}`).send({ session: '51' }).expect(200);
    const notices = await rows<{ n: number }>(t, `SELECT COUNT(*) AS n FROM notification WHERE kind = 'response_change'`);
    expect(Number(notices[0].n)).toBe(3 + 1 + 2 + 3);
    const entries = (await api('get', '/audit').query({ entity: 'recommendation', entityId: supported }).expect(200)).body.items;
    expect(entries.filter((e: { action: string }) => e.action === 'response_set_by_participation')).toHaveLength(1);
  });
});
