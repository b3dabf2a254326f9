import { createTestApp, TestApp, TestUser } from './support/test-app';

describe('recommendation lifecycle', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let cycleId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    const cycle = await t.http
      .post('/api/v1/cycles')
      .set('Authorization', admin.auth)
      .send({ mechanism: 'upr', number: 3, stateUnderReview: 'United States of America', session: '36', documentSymbol: 'A/HRC/46/15' })
      .expect(201);
    cycleId = cycle.body.id;
  });
  afterAll(async () => t.close());

  const newRecommendation = async (text = 'Ratify the Optional Protocol to the ICESCR') =>
    (await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', coordinator.auth).send({ text, response: 'noted' }).expect(201)).body;
  const changeStatus = (id: number, body: object) =>
    t.http.post(`/api/v1/recommendations/${id}/status`).set('Authorization', coordinator.auth).send(body);
  const addLink = async (id: number) =>
    (await t.http
      .post(`/api/v1/recommendations/${id}/evidence`)
      .set('Authorization', coordinator.auth)
      .send({ kind: 'link', title: 'Federal Register notice', url: 'https://example.org/notice' })
      .expect(201)).body;

  it('should start a new recommendation as not_assessed', async () => {
    const rec = await newRecommendation();
    expect(rec).toMatchObject({ id: expect.any(Number), status: 'not_assessed', response: 'noted', cycleId });
  });

  it('should record who, from, to, when, the note and the evidence when the status moves', async () => {
    const rec = await newRecommendation();
    t.clock.set('2026-12-01T10:00:00.000Z');
    await changeStatus(rec.id, { status: 'in_progress', note: 'Bill introduced in Congress' }).expect(201);
    const evidence = await addLink(rec.id);
    t.clock.set('2026-12-02T10:00:00.000Z');
    const res = await changeStatus(rec.id, { status: 'partially_implemented', note: 'Signed, not ratified', evidenceIds: [evidence.id] }).expect(201);

    expect(res.body.status).toBe('partially_implemented');
    expect(res.body.history).toEqual([
      expect.objectContaining({ fromStatus: 'not_assessed', toStatus: 'in_progress', note: 'Bill introduced in Congress', evidenceIds: [], createdAt: '2026-12-01T10:00:00.000Z', changedBy: { id: coordinator.id, name: expect.any(String) } }),
      expect.objectContaining({ fromStatus: 'in_progress', toStatus: 'partially_implemented', evidenceIds: [evidence.id], createdAt: '2026-12-02T10:00:00.000Z' }),
    ]);
    const detail = await t.http.get(`/api/v1/recommendations/${rec.id}`).set('Authorization', coordinator.auth).expect(200);
    expect(detail.body.history).toHaveLength(2);
    expect(detail.body.allowedNextStatuses).not.toContain('not_assessed');
    expect(detail.body.allowedNextStatuses).not.toContain('partially_implemented');
  });

  it('should list each change once in the history, with every evidence item it cites in id order', async () => {
    const rec = await newRecommendation();
    const [first, second, third] = [await addLink(rec.id), await addLink(rec.id), await addLink(rec.id)];
    await changeStatus(rec.id, { status: 'partially_implemented', note: 'Two items', evidenceIds: [third.id, first.id] }).expect(201);
    await changeStatus(rec.id, { status: 'in_progress', note: 'Stalled' }).expect(201);
    const res = await changeStatus(rec.id, { status: 'fully_implemented', note: 'All three', evidenceIds: [second.id, third.id, first.id] }).expect(201);

    expect(res.body.history.map((h: { toStatus: string; evidenceIds: number[] }) => [h.toStatus, h.evidenceIds])).toEqual([
      ['partially_implemented', [first.id, third.id]],
      ['in_progress', []],
      ['fully_implemented', [first.id, second.id, third.id]],
    ]);
    const detail = await t.http.get(`/api/v1/recommendations/${rec.id}`).set('Authorization', coordinator.auth).expect(200);
    expect(detail.body.history).toEqual(res.body.history);
  });

  it('should refuse returning to not_assessed with 409, the reason and the allowed next statuses', async () => {
    const rec = await newRecommendation();
    await changeStatus(rec.id, { status: 'not_started', note: 'Triaged' }).expect(201);
    const res = await changeStatus(rec.id, { status: 'not_assessed', note: 'Undo' }).expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/cannot return to not_assessed/),
      details: { currentStatus: 'not_started', requestedStatus: 'not_assessed', allowedNextStatuses: expect.arrayContaining(['in_progress', 'regressed']) },
    });
  });

  it('should refuse fully_implemented without evidence and write nothing', async () => {
    const rec = await newRecommendation();
    const res = await changeStatus(rec.id, { status: 'fully_implemented', note: 'Done, we think' }).expect(409);
    expect(res.body.message).toMatch(/needs at least one evidence item/);
    expect(res.body.details.allowedNextStatuses).toContain('fully_implemented');
    const detail = await t.http.get(`/api/v1/recommendations/${rec.id}`).set('Authorization', coordinator.auth).expect(200);
    expect(detail.body.status).toBe('not_assessed');
    expect(detail.body.history).toEqual([]);
  });

  it('should refuse citing evidence of another recommendation with 400 naming evidenceIds', async () => {
    const first = await newRecommendation();
    const second = await newRecommendation();
    const evidence = await addLink(first.id);
    const res = await changeStatus(second.id, { status: 'fully_implemented', note: 'Done', evidenceIds: [evidence.id] }).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'evidenceIds' })]);
  });

  it('should refuse a change to the status it already has', async () => {
    const rec = await newRecommendation();
    await changeStatus(rec.id, { status: 'in_progress', note: 'Started' }).expect(201);
    const res = await changeStatus(rec.id, { status: 'in_progress', note: 'Still' }).expect(409);
    expect(res.body.message).toMatch(/already in_progress/);
  });

  it('should allow a regression after full implementation', async () => {
    const rec = await newRecommendation();
    const evidence = await addLink(rec.id);
    await changeStatus(rec.id, { status: 'fully_implemented', note: 'Law in force', evidenceIds: [evidence.id] }).expect(201);
    const res = await changeStatus(rec.id, { status: 'regressed', note: 'Law repealed' }).expect(201);
    expect(res.body.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['fully_implemented', 'regressed']);
  });

  it('should keep an unbroken history when two changes arrive at once', async () => {
    const rec = await newRecommendation();
    const results = await Promise.all([
      changeStatus(rec.id, { status: 'in_progress', note: 'A' }),
      changeStatus(rec.id, { status: 'not_started', note: 'B' }),
    ]);
    const codes = results.map((r) => r.status).sort();
    // Both may succeed one after the other (each is a valid move from what it read), but the
    // history must then hold both, in order, each starting where the previous ended.
    const detail = await t.http.get(`/api/v1/recommendations/${rec.id}`).set('Authorization', coordinator.auth).expect(200);
    const history = detail.body.history as { fromStatus: string; toStatus: string }[];
    expect(history.length).toBe(codes.filter((c) => c === 201).length);
    expect(history[0].fromStatus).toBe('not_assessed');
    for (let i = 1; i < history.length; i++) expect(history[i].fromStatus).toBe(history[i - 1].toStatus);
    expect(detail.body.status).toBe(history.at(-1)!.toStatus);
  });

  it('should refuse every change in a closed cycle with 409', async () => {
    const rec = await newRecommendation();
    await t.dataSource.query(`UPDATE review_cycle SET state = 'closed' WHERE id = ${Number(cycleId)}`);
    try {
      const status = await changeStatus(rec.id, { status: 'in_progress', note: 'Too late' }).expect(409);
      expect(status.body.message).toMatch(/closed/);
      await t.http.patch(`/api/v1/recommendations/${rec.id}`).set('Authorization', coordinator.auth).send({ text: 'changed' }).expect(409);
      await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', coordinator.auth).send({ text: 'new' }).expect(409);
      const detail = await t.http.get(`/api/v1/recommendations/${rec.id}`).set('Authorization', coordinator.auth).expect(200);
      expect(detail.body).toMatchObject({ status: 'not_assessed', text: rec.text, history: [] });
    } finally {
      await t.dataSource.query(`UPDATE review_cycle SET state = 'open' WHERE id = ${Number(cycleId)}`);
    }
  });

  it('should never rewrite history: there is no route that edits or deletes a status change', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    const paths = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>);
    const historyWriters = paths.filter(([path, methods]) => /history|status-change/.test(path) && ('patch' in methods || 'delete' in methods || 'put' in methods));
    expect(historyWriters).toEqual([]);
    const statusPath = doc.body.paths['/api/v1/recommendations/{id}/status'];
    expect(Object.keys(statusPath)).toEqual(['post']);
  });
});
