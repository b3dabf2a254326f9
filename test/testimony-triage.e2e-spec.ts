import { randomBytes } from 'node:crypto';
import { IntakeSettingsService } from '../src/testimonies/intake-settings.service';
import { createScene, type Scene } from './support/notification-fixtures';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * Issue 13, triage for coordinators: the queue's states and tags, links to recommendations as
 * evidence, the anonymised excerpt checked against the consent, the coalition's own (People's UPR)
 * recommendations beside the State's on the public ledger, and withdrawal taking links and excerpt.
 */
describe('testimony triage', () => {
  const MARKER = `zq${randomBytes(8).toString('hex')}triage`;
  const EXCERPT = 'A father of two was held for nine days without seeing a lawyer.';
  let t: TestApp;
  let scene: Scene;
  let member: TestUser;
  let stranger: TestUser;
  let otherRecommendationId: number;
  let secondRecommendationId: number;
  const receipts = new Map<number, string>();

  const api = (method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, who: TestUser) => t.http[method](`/api/v1${path}`).set('Authorization', who.auth);
  const rows = <T = Record<string, unknown>>(sql: string): Promise<T[]> => t.dataSource.query(sql);

  /** A testimony sent to the coalition's intake with the given consent: its id. */
  const testify = async (consent: 'internal' | 'anonymised' | 'public'): Promise<number> => {
    const res = await t.http.post('/api/v1/public/testimonies/triage-voices')
      .send({ text: `${MARKER} was detained at the border`, consent, language: 'en', contact: `${MARKER}@example.org`, place: `${MARKER} place` })
      .expect(201);
    const [row] = await rows<{ id: number }>('SELECT id FROM testimony ORDER BY id DESC LIMIT 1');
    receipts.set(Number(row.id), res.body.receipt);
    return Number(row.id);
  };

  const addRecommendation = async (cycleId: number, text: string, paragraph: string): Promise<number> =>
    (await api('post', `/cycles/${cycleId}/recommendations`, scene.coordinator).send({ paragraph, text, response: 'no_response' }).expect(201)).body.id;

  beforeAll(async () => {
    t = await createTestApp({ TESTIMONY_KEY: randomBytes(32).toString('base64') });
    scene = await createScene(t, 'Coalition Triage');
    member = await t.createUser('member', 'Coalition Triage');
    const other = await createScene(t, 'Coalition Elsewhere');
    stranger = other.coordinator;
    otherRecommendationId = other.recommendationId;
    secondRecommendationId = await addRecommendation(scene.cycleId, 'End detention of asylum seekers', '26.50');
    await t.app.get(IntakeSettingsService).enable(scene.admin.coalitionId, { slug: 'triage-voices' }, null);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should change state and tags, normalising themes and groups, and filter the queue by state', async () => {
    const id = await testify('internal');
    const res = await api('patch', `/testimonies/${id}`, scene.coordinator).send({ state: 'reviewed', themes: ['D25'], affectedPersons: ['detainees'] }).expect(200);
    expect(res.body).toMatchObject({ id, state: 'reviewed', tags: { themes: ['D25'], affectedPersons: ['Persons deprived of their liberty'] } });
    expect(JSON.stringify(res.body)).not.toContain(MARKER);
    // The coordinators' tags are apart from what the person chose (sealed with the text: none here).
    const read = await api('get', `/testimonies/${id}`, scene.coordinator).expect(200);
    expect(read.body).toMatchObject({ themes: [], affectedPersons: [], tags: { themes: ['D25'] } });

    const reviewed = await api('get', '/testimonies?state=reviewed', scene.coordinator).expect(200);
    expect(reviewed.body).toMatchObject({ total: 1, page: 1 });
    expect(reviewed.body.pageSize).toEqual(expect.any(Number));
    expect(reviewed.body.items.map((item: { id: number }) => item.id)).toEqual([id]);
    expect((await api('get', '/testimonies?state=new', scene.coordinator).expect(200)).body.items.map((item: { id: number }) => item.id)).not.toContain(id);
    await api('get', '/testimonies?state=lost', scene.coordinator).expect(400);

    // Only the tags sent change; the admin may triage too.
    const archived = await api('patch', `/testimonies/${id}`, scene.admin).send({ state: 'archived' }).expect(200);
    expect(archived.body).toMatchObject({ state: 'archived', tags: { themes: ['D25'] } });
    const cleared = await api('patch', `/testimonies/${id}`, scene.admin).send({ themes: [] }).expect(200);
    expect(cleared.body.tags).toEqual({ themes: [], affectedPersons: ['Persons deprived of their liberty'] });
  });

  it('should refuse an unknown theme or group with a 400 naming the value, an unknown state, and an empty change, changing nothing', async () => {
    const id = await testify('internal');
    const unknown = await api('patch', `/testimonies/${id}`, scene.coordinator).send({ state: 'reviewed', themes: ['Death penalties'], affectedPersons: ['Martians'] }).expect(400);
    expect(unknown.body.message).toContain('Death penalties');
    expect(JSON.stringify(unknown.body)).toContain('Martians');
    const withdrawnByHand = await api('patch', `/testimonies/${id}`, scene.coordinator).send({ state: 'withdrawn' }).expect(400);
    expect(JSON.stringify(withdrawnByHand.body)).toContain('state must be one of');
    const empty = await api('patch', `/testimonies/${id}`, scene.coordinator).send({}).expect(400);
    expect(empty.body.message).toContain('state');
    const [row] = await rows<{ state: string; themes: string | null }>(`SELECT state, themes FROM testimony WHERE id = ${id}`);
    expect(row).toEqual({ state: 'new', themes: null });
  });

  it('should answer 404 to members and to another coalition for every triage route, changing nothing', async () => {
    const id = await testify('anonymised');
    for (const who of [member, stranger]) {
      await api('patch', `/testimonies/${id}`, who).send({ state: 'reviewed' }).expect(404);
      await api('get', `/testimonies/${id}/links`, who).expect(404);
      await api('post', `/testimonies/${id}/links`, who).send({ recommendationIds: [scene.recommendationId] }).expect(404);
      await api('delete', `/testimonies/${id}/links/${scene.recommendationId}`, who).expect(404);
      await api('put', `/testimonies/${id}/excerpt`, who).send({ text: EXCERPT }).expect(404);
      await api('delete', `/testimonies/${id}/excerpt`, who).expect(404);
    }
    const [row] = await rows<{ state: string; excerpt: string | null }>(`SELECT state, excerpt FROM testimony WHERE id = ${id}`);
    expect(row).toEqual({ state: 'new', excerpt: null });
    expect(await rows(`SELECT id FROM evidence WHERE testimony_id = ${id}`)).toEqual([]);
  });

  it('should link a testimony to two recommendations as confidential evidence naming no word of it, and unlink one', async () => {
    const id = await testify('internal');
    const linked = await api('post', `/testimonies/${id}/links`, scene.coordinator).send({ recommendationIds: [scene.recommendationId, secondRecommendationId, scene.recommendationId] }).expect(201);
    expect(linked.body.state).toBe('linked');
    expect(linked.body.links.map((item: { recommendationId: number }) => item.recommendationId)).toEqual([scene.recommendationId, secondRecommendationId]);
    // Linking again changes nothing.
    const again = await api('post', `/testimonies/${id}/links`, scene.coordinator).send({ recommendationIds: [secondRecommendationId] }).expect(201);
    expect(again.body.links).toHaveLength(2);
    expect((await api('get', '/testimonies?state=linked', scene.coordinator).expect(200)).body.items.map((item: { id: number }) => item.id)).toContain(id);

    const evidence = await api('get', `/recommendations/${scene.recommendationId}/evidence`, scene.coordinator).expect(200);
    const item = evidence.body.items.find((e: { testimonyId: number | null }) => e.testimonyId === id);
    expect(item).toMatchObject({ kind: 'testimony', confidential: true, title: `Testimony ${id}`, url: null, fileName: null });
    expect(JSON.stringify(evidence.body)).not.toContain(MARKER);
    const seenByMember = await api('get', `/recommendations/${scene.recommendationId}/evidence`, member).expect(200);
    expect(seenByMember.body.items.some((e: { testimonyId: number | null }) => e.testimonyId === id)).toBe(false);

    const unlinked = await api('delete', `/testimonies/${id}/links/${secondRecommendationId}`, scene.coordinator).expect(200);
    expect(unlinked.body.links.map((i: { recommendationId: number }) => i.recommendationId)).toEqual([scene.recommendationId]);
    await api('delete', `/testimonies/${id}/links/${secondRecommendationId}`, scene.coordinator).expect(404);
    const second = await api('get', `/recommendations/${secondRecommendationId}/evidence`, scene.coordinator).expect(200);
    expect(second.body.items.some((e: { testimonyId: number | null }) => e.testimonyId === id)).toBe(false);
    const last = await api('delete', `/testimonies/${id}/links/${scene.recommendationId}`, scene.coordinator).expect(200);
    expect(last.body).toMatchObject({ state: 'reviewed', links: [] });
  });

  it("should refuse to link to another coalition's recommendation (404) or bad ids (400), linking none of the list", async () => {
    const id = await testify('internal');
    await api('post', `/testimonies/${id}/links`, scene.coordinator).send({ recommendationIds: [secondRecommendationId, otherRecommendationId] }).expect(404);
    const bad = await api('post', `/testimonies/${id}/links`, scene.coordinator).send({ recommendationIds: [] }).expect(400);
    expect(bad.body.message).toContain('recommendationIds');
    await api('post', `/testimonies/${id}/links`, scene.coordinator).send({ recommendationIds: ['x'] }).expect(400);
    expect(await rows(`SELECT id FROM evidence WHERE testimony_id = ${id}`)).toEqual([]);
    const [row] = await rows<{ state: string }>(`SELECT state FROM testimony WHERE id = ${id}`);
    expect(row.state).toBe('new');
  });

  it('should refuse an excerpt of a testimony given for internal use only (409 saying why) and take one given to be quoted', async () => {
    const internal = await testify('internal');
    const refused = await api('put', `/testimonies/${internal}/excerpt`, scene.coordinator).send({ text: EXCERPT }).expect(409);
    expect(refused.body.message).toContain('consent "internal"');
    const [kept] = await rows<{ excerpt: string | null }>(`SELECT excerpt FROM testimony WHERE id = ${internal}`);
    expect(kept.excerpt).toBeNull();

    const quotable = await testify('anonymised');
    await api('put', `/testimonies/${quotable}/excerpt`, scene.coordinator).send({ text: '   ' }).expect(400);
    const written = await api('put', `/testimonies/${quotable}/excerpt`, scene.coordinator).send({ text: EXCERPT }).expect(200);
    expect(written.body.excerpt).toBe(EXCERPT);
    const removed = await api('delete', `/testimonies/${quotable}/excerpt`, scene.coordinator).expect(200);
    expect(removed.body.excerpt).toBeNull();
  });

  it("should cite the excerpt, never the testimony, in the report and on the ledger, beside the State's review and the coalition's own recommendations, until the testimony is withdrawn", async () => {
    const id = await testify('public');
    const internal = await testify('internal');
    const peoples = await api('post', '/cycles', scene.admin).send({ mechanism: 'peoples_upr', number: 1, stateUnderReview: 'United States of America' }).expect(201);
    const ownRecommendation = await addRecommendation(peoples.body.id, 'Restore access to counsel in immigration detention', 'P1');
    await api('post', `/testimonies/${id}/links`, scene.coordinator).send({ recommendationIds: [scene.recommendationId, ownRecommendation] }).expect(201);
    await api('put', `/testimonies/${id}/excerpt`, scene.coordinator).send({ text: EXCERPT }).expect(200);
    await api('post', `/testimonies/${internal}/links`, scene.coordinator).send({ recommendationIds: [scene.recommendationId] }).expect(201);
    await api('post', `/cycles/${scene.cycleId}/publish`, scene.admin).expect(200);
    await api('post', `/cycles/${peoples.body.id}/publish`, scene.admin).expect(200);

    const stateLedger = await t.http.get(`/ledger/${scene.cycleId}`).expect(200);
    expect(stateLedger.text).toContain(EXCERPT);
    expect(stateLedger.text).toContain("The coalition&#x27;s own recommendations");
    expect(stateLedger.text).toContain(`href="/ledger/${peoples.body.id}"`);
    const ownLedger = await t.http.get(`/ledger/${peoples.body.id}`).expect(200);
    expect(ownLedger.text).toContain("People&#x27;s UPR");
    expect(ownLedger.text).toContain(EXCERPT);
    expect(ownLedger.text).toContain('Restore access to counsel');
    expect(ownLedger.text).toContain(`href="/ledger/${scene.cycleId}"`);
    for (const page of [stateLedger.text, ownLedger.text]) {
      expect(page).not.toContain(MARKER);
      expect(page).not.toContain(`Testimony ${id}`);
    }

    const json = await api('get', `/cycles/${scene.cycleId}/report?format=json`, scene.coordinator).expect(200);
    expect(json.body.testimonyExcerpts).toEqual([{ recommendationId: scene.recommendationId, paragraph: '26.49', excerpt: EXCERPT }]);
    const html = await api('get', `/cycles/${scene.cycleId}/report?format=html`, scene.coordinator).expect(200);
    expect(html.text).toContain('From testimonies');
    for (const body of [JSON.stringify(json.body), html.text]) expect(body).not.toContain(MARKER);

    // Withdrawn: the links and the excerpt go with the testimony, from the ledger and the report.
    await t.http.post('/api/v1/public/testimonies/triage-voices/withdraw').send({ receipt: receipts.get(id) }).expect(200);
    const [row] = await rows<{ excerpt: string | null; themes: string | null }>(`SELECT excerpt, themes FROM testimony WHERE id = ${id}`);
    expect(row).toEqual({ excerpt: null, themes: null });
    const links = await rows<{ removed_at: unknown; title: string }>(`SELECT removed_at, title FROM evidence WHERE testimony_id = ${id}`);
    expect(links).toHaveLength(2);
    for (const link of links) expect(link.removed_at).not.toBeNull();
    const evidence = await api('get', `/recommendations/${scene.recommendationId}/evidence`, scene.coordinator).expect(200);
    expect(evidence.body.items.some((e: { testimonyId: number | null }) => e.testimonyId === id)).toBe(false);
    expect((await t.http.get(`/ledger/${scene.cycleId}`).expect(200)).text).not.toContain(EXCERPT);
    expect((await t.http.get(`/ledger/${peoples.body.id}`).expect(200)).text).not.toContain(EXCERPT);
    expect((await api('get', `/cycles/${scene.cycleId}/report?format=json`, scene.coordinator).expect(200)).body.testimonyExcerpts).toEqual([]);

    // Nothing of it can be triaged, linked or quoted any more.
    const refused = await api('post', `/testimonies/${id}/links`, scene.coordinator).send({ recommendationIds: [secondRecommendationId] }).expect(409);
    expect(refused.body.message).toContain('withdrawn');
    await api('put', `/testimonies/${id}/excerpt`, scene.coordinator).send({ text: EXCERPT }).expect(409);
    await api('patch', `/testimonies/${id}`, scene.coordinator).send({ state: 'reviewed' }).expect(409);
  });

  it('should record every triage change in the audit trail, and never the testimony, its contact or the excerpt', async () => {
    const entries = await rows<{ action: string; entity: string; before_values: unknown; after_values: unknown }>(
      `SELECT * FROM audit_entry WHERE entity IN ('testimony', 'evidence') ORDER BY id`,
    );
    const actions = new Set(entries.map((entry) => `${entry.entity}:${entry.action}`));
    for (const action of ['testimony:state_changed', 'testimony:tagged', 'testimony:excerpt_written', 'testimony:excerpt_removed', 'evidence:added', 'evidence:removed', 'testimony:withdrawn']) {
      expect(actions).toContain(action);
    }
    const dump = JSON.stringify(await rows('SELECT * FROM audit_entry'));
    expect(dump).not.toContain(MARKER);
    expect(dump).not.toContain(EXCERPT);
  });
});
