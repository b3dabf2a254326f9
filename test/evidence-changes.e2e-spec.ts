import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Editing, reclassifying and removing evidence (issue 12): who may, what the audit trail keeps (never
 * a confidential item's words), the file purge when the last item holding a file goes, and a
 * removed or reclassified item leaving every list, count, citation, ledger and report at once.
 */
describe('evidence: edit, reclassify, remove', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let otherMember: TestUser;
  let outsider: TestUser;
  let cycleId: number;
  let recommendationId: number;

  const api = (path: string) => `/api/v1${path}`;
  const addLink = async (user: TestUser, title: string, extra: object = {}) =>
    (await t.http.post(api(`/recommendations/${recommendationId}/evidence`)).set('Authorization', user.auth).send({ kind: 'link', title, url: 'https://example.org/x', ...extra }).expect(201)).body;
  const addFile = async (user: TestUser, title: string, bytes: Buffer, extra: Record<string, string> = {}) => {
    let req = t.http.post(api(`/recommendations/${recommendationId}/evidence`)).set('Authorization', user.auth).field('kind', extra.kind ?? 'document').field('title', title);
    if (extra.confidential) req = req.field('confidential', extra.confidential);
    return (await req.attach('file', bytes, { filename: 'notes.txt', contentType: 'text/plain' }).expect(201)).body;
  };
  const auditOf = async (id: number) =>
    (await t.http.get(api('/audit')).query({ entity: 'evidence', entityId: id }).set('Authorization', admin.auth).expect(200)).body.items as {
      action: string; actorId: number; actorName: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null;
    }[];
  const listTitles = async (user: TestUser) =>
    ((await t.http.get(api(`/recommendations/${recommendationId}/evidence`)).set('Authorization', user.auth).expect(200)).body.items as { title: string }[]).map((e) => e.title);
  const onDisk = (hash: string) => existsSync(join(t.config.storage.evidenceDir, hash));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition A');
    coordinator = await t.createUser('coordinator', 'Coalition A');
    member = await t.createUser('member', 'Coalition A');
    otherMember = await t.createUser('member', 'Coalition A');
    outsider = await t.createUser('admin', 'Coalition B');
    cycleId = (await t.http.post(api('/cycles')).set('Authorization', admin.auth).send({ number: 1, stateUnderReview: 'Chile' }).expect(201)).body.id;
    recommendationId = (await t.http.post(api(`/cycles/${cycleId}/recommendations`)).set('Authorization', admin.auth).send({ text: 'Guarantee access to information' }).expect(201)).body.id;
  });
  afterAll(async () => t.close());

  it('should edit a link and record who, when and each changed field before and after', async () => {
    const link = await addLink(member, 'Ministry statement');
    t.clock.set(new Date('2026-12-02T10:00:00Z'));
    const res = await t.http.patch(api(`/evidence/${link.id}`)).set('Authorization', coordinator.auth)
      .send({ title: 'Ministry statement of 2 May', url: 'https://example.org/statement', kind: 'report' }).expect(200);
    expect(res.body).toMatchObject({ id: link.id, title: 'Ministry statement of 2 May', url: 'https://example.org/statement', kind: 'report', confidential: false });
    expect(await listTitles(member)).toContain('Ministry statement of 2 May');
    const [entry] = await auditOf(link.id);
    expect(entry).toMatchObject({
      action: 'updated', actorId: coordinator.id, at: '2026-12-02T10:00:00.000Z',
      before: { title: 'Ministry statement', url: 'https://example.org/x', kind: 'link' },
      after: { title: 'Ministry statement of 2 May', url: 'https://example.org/statement', kind: 'report' },
    });
    // Nothing changed: nothing recorded.
    await t.http.patch(api(`/evidence/${link.id}`)).set('Authorization', coordinator.auth).send({ title: 'Ministry statement of 2 May' }).expect(200);
    expect((await auditOf(link.id)).length).toBe(2);
  });

  it('should let a member change only the evidence they submitted, and never a confidential item', async () => {
    const mine = await addLink(member, 'My photo series');
    const theirs = await addLink(otherMember, 'Their photo series');
    const secret = await addLink(member, 'Names of witnesses', { confidential: true });
    await t.http.patch(api(`/evidence/${mine.id}`)).set('Authorization', member.auth).send({ title: 'My photo series (May)' }).expect(200);
    const refused = await t.http.patch(api(`/evidence/${theirs.id}`)).set('Authorization', member.auth).send({ title: 'Hijacked' }).expect(403);
    expect(refused.body.message).toMatch(/only the evidence they submitted/);
    await t.http.delete(api(`/evidence/${theirs.id}`)).set('Authorization', member.auth).expect(403);
    // Their own confidential item is out of their sight: not found, as everywhere.
    await t.http.patch(api(`/evidence/${secret.id}`)).set('Authorization', member.auth).send({ title: 'x' }).expect(404);
    await t.http.delete(api(`/evidence/${secret.id}`)).set('Authorization', member.auth).expect(404);
    // Another coalition: not found.
    await t.http.patch(api(`/evidence/${mine.id}`)).set('Authorization', outsider.auth).send({ title: 'x' }).expect(404);
    await t.http.delete(api(`/evidence/${mine.id}`)).set('Authorization', outsider.auth).expect(404);
    expect(await listTitles(admin)).toEqual(expect.arrayContaining(['My photo series (May)', 'Their photo series', 'Names of witnesses']));
  });

  it('should refuse bad changes with a 400 naming the field, and change nothing', async () => {
    const link = await addLink(admin, 'Press release');
    const file = await addFile(admin, 'Scanned letter', Buffer.from('a scanned letter'));
    const testimony = await addLink(admin, 'Account of a detainee', { kind: 'testimony' });
    const patch = (id: number, body: object) => t.http.patch(api(`/evidence/${id}`)).set('Authorization', admin.auth).send(body);
    const refusal = async (body: object) => JSON.stringify((await patch(link.id, body).expect(400)).body);
    expect(await refusal({ url: 'ftp://example.org/x' })).toMatch(/url must be an http\(s\) address/);
    expect(await refusal({ title: '' })).toMatch(/"field":"title"/);
    expect(await refusal({ kind: 'rumour' })).toMatch(/kind must be one of/);
    expect(await refusal({ submittedById: 1 })).toMatch(/submittedById/);
    expect((await patch(file.id, { url: 'https://example.org/y' }).expect(400)).body.details).toEqual([{ field: 'url', problem: expect.stringMatching(/uploaded file has no url/) }]);
    expect((await patch(testimony.id, { confidential: false }).expect(400)).body.details).toEqual([{ field: 'confidential', problem: expect.stringMatching(/testimony is always confidential/) }]);
    await t.http.patch(api('/evidence/999999')).set('Authorization', admin.auth).send({ title: 'x' }).expect(404);
    expect((await auditOf(link.id)).map((e) => e.action)).toEqual(['added']);
    expect((await auditOf(testimony.id)).map((e) => e.action)).toEqual(['added']);
    // Choosing testimony makes an item confidential, whatever else is asked.
    const made = await patch(link.id, { kind: 'testimony', confidential: false }).expect(400);
    expect(made.body.details[0].field).toBe('confidential');
    expect((await patch(link.id, { kind: 'testimony' }).expect(200)).body).toMatchObject({ kind: 'testimony', confidential: true });
  });

  it('should keep a confidential item\'s words out of the audit trail when it is edited, reclassified or removed', async () => {
    const item = await addLink(coordinator, 'Interview with Ana Pérez, Tuesday');
    await t.http.patch(api(`/evidence/${item.id}`)).set('Authorization', coordinator.auth).send({ confidential: true }).expect(200);
    await t.http.patch(api(`/evidence/${item.id}`)).set('Authorization', coordinator.auth).send({ title: 'Interview with Ana Pérez, Wednesday', url: 'https://example.org/ana' }).expect(200);
    const testimony = await addFile(coordinator, 'Testimony of Juan Soto', Buffer.from('what Juan Soto said'), { kind: 'testimony' });
    await t.http.delete(api(`/evidence/${item.id}`)).set('Authorization', coordinator.auth).expect(204);
    await t.http.delete(api(`/evidence/${testimony.id}`)).set('Authorization', coordinator.auth).expect(204);
    const entries = [...(await auditOf(item.id)), ...(await auditOf(testimony.id))];
    expect(entries.map((e) => e.action).sort()).toEqual(['added', 'added', 'reclassified', 'removed', 'removed', 'updated']);
    const trail = JSON.stringify(entries);
    for (const words of ['Wednesday', 'Juan Soto', 'example.org/ana']) expect({ words, inTrail: trail.includes(words) }).toEqual({ words, inTrail: false });
    const updated = entries.find((e) => e.action === 'updated')!;
    // That the title and url changed is kept, not what they say.
    expect(updated).toMatchObject({ before: { title: '(confidential)', url: '(confidential)' }, after: { title: '(confidential)', url: '(confidential)' } });
    const reclassified = entries.find((e) => e.action === 'reclassified')!;
    expect(reclassified).toMatchObject({ before: { confidential: false }, after: { confidential: true } });
    const removedTestimony = entries.find((e) => e.action === 'removed' && e.before?.kind === 'testimony')!;
    expect(removedTestimony).toMatchObject({ actorId: coordinator.id, before: { confidential: true, title: null, url: null, file: true }, after: null });
  });

  it('should delete a removed item\'s file only when no other item holds the same file', async () => {
    const bytes = Buffer.from(`a report shared by two items ${Date.now()}`);
    const hash = sha256(bytes);
    const first = await addFile(admin, 'Shared report (first copy)', bytes);
    const second = await addFile(coordinator, 'Shared report (second copy)', bytes);
    expect(second.sha256).toBe(hash);
    expect(onDisk(hash)).toBe(true);
    await t.http.delete(api(`/evidence/${first.id}`)).set('Authorization', admin.auth).expect(204);
    // Still held by the second item: kept, and still downloadable through it.
    expect(onDisk(hash)).toBe(true);
    const kept = await t.http.get(api(`/evidence/${second.id}/file`)).set('Authorization', member.auth).expect(200);
    expect(kept.text).toBe(bytes.toString());
    await t.http.get(api(`/evidence/${first.id}/file`)).set('Authorization', admin.auth).expect(404);
    await t.http.delete(api(`/evidence/${second.id}`)).set('Authorization', admin.auth).expect(204);
    // The last reference gone: the file is gone from DATA_DIR.
    expect(onDisk(hash)).toBe(false);
    // Removing twice: not found, and recorded once.
    await t.http.delete(api(`/evidence/${second.id}`)).set('Authorization', admin.auth).expect(404);
    expect((await auditOf(second.id)).map((e) => e.action)).toEqual(['removed', 'added']);
    const [removed] = await auditOf(second.id);
    expect(removed).toMatchObject({ actorId: admin.id, before: { title: 'Shared report (second copy)', file: true, confidential: false }, after: null });
  });

  it('should take a removed item out of every list, count, citation, ledger and report, and keep the history that cited it', async () => {
    const cycle = (await t.http.post(api('/cycles')).set('Authorization', admin.auth).send({ number: 2, stateUnderReview: 'Peru' }).expect(201)).body.id;
    const rec = (await t.http.post(api(`/cycles/${cycle}/recommendations`)).set('Authorization', admin.auth).send({ text: 'Protect journalists' }).expect(201)).body.id;
    const add = async (title: string) =>
      (await t.http.post(api(`/recommendations/${rec}/evidence`)).set('Authorization', admin.auth).send({ kind: 'report', title, url: 'https://example.org/r' }).expect(201)).body.id as number;
    const cited = await add('Annual press freedom report');
    const other = await add('Court ruling on defamation');
    await t.http.post(api(`/recommendations/${rec}/status`)).set('Authorization', admin.auth).send({ status: 'partially_implemented', note: 'Some progress', evidenceIds: [cited] }).expect(201);
    await t.http.post(api(`/cycles/${cycle}/publish`)).set('Authorization', admin.auth).expect(200);
    const report = async () => (await t.http.get(api(`/cycles/${cycle}/report`)).query({ format: 'json' }).set('Authorization', admin.auth).expect(200)).body;
    expect((await report()).totals.evidenceItems).toBe(2);
    expect((await t.http.get(`/ledger/${cycle}`).expect(200)).text).toContain('Annual press freedom report');

    await t.http.delete(api(`/evidence/${cited}`)).set('Authorization', admin.auth).expect(204);

    const list = (await t.http.get(api(`/recommendations/${rec}/evidence`)).set('Authorization', admin.auth).expect(200)).body;
    expect({ total: list.total, ids: list.items.map((e: { id: number }) => e.id) }).toEqual({ total: 1, ids: [other] });
    expect((await report()).totals).toMatchObject({ evidenceItems: 1, recommendationsWithEvidence: 1 });
    const ledger = (await t.http.get(`/ledger/${cycle}`).expect(200)).text;
    expect(ledger).not.toContain('Annual press freedom report');
    expect(ledger).toContain('Court ruling on defamation');
    // It can no longer be cited; the history that cited it is kept as it was.
    const refused = await t.http.post(api(`/recommendations/${rec}/status`)).set('Authorization', admin.auth).send({ status: 'fully_implemented', note: 'Done', evidenceIds: [cited] });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const detail = (await t.http.get(api(`/recommendations/${rec}`)).set('Authorization', admin.auth).expect(200)).body;
    expect(detail.history.at(-1)).toMatchObject({ toStatus: 'partially_implemented', evidenceIds: [cited] });
  });

  it('should take a reclassified item off the public ledger and out of members\' sight at once, and back when made public again', async () => {
    const cycle = (await t.http.post(api('/cycles')).set('Authorization', admin.auth).send({ number: 3, stateUnderReview: 'Peru' }).expect(201)).body.id;
    const rec = (await t.http.post(api(`/cycles/${cycle}/recommendations`)).set('Authorization', admin.auth).send({ text: 'Release detained journalists' }).expect(201)).body.id;
    const item = (await t.http.post(api(`/recommendations/${rec}/evidence`)).set('Authorization', member.auth)
      .field('kind', 'document').field('title', 'List of detained journalists').attach('file', Buffer.from(`detained ${Date.now()}`), { filename: 'list.txt', contentType: 'text/plain' }).expect(201)).body;
    await t.http.post(api(`/cycles/${cycle}/publish`)).set('Authorization', admin.auth).expect(200);
    await t.http.get(`/ledger/${cycle}/evidence/${item.id}`).expect(200);

    await t.http.patch(api(`/evidence/${item.id}`)).set('Authorization', coordinator.auth).send({ confidential: true }).expect(200);
    expect((await t.http.get(`/ledger/${cycle}`).expect(200)).text).not.toContain('List of detained journalists');
    await t.http.get(`/ledger/${cycle}/evidence/${item.id}`).expect(404);
    await t.http.get(api(`/evidence/${item.id}/file`)).set('Authorization', member.auth).expect(404);
    expect((await t.http.get(api(`/recommendations/${rec}/evidence`)).set('Authorization', member.auth).expect(200)).body.total).toBe(0);
    const csv = (await t.http.get(api(`/cycles/${cycle}/report`)).query({ format: 'csv' }).set('Authorization', admin.auth).expect(200)).text;
    expect(csv).not.toContain('List of detained journalists');

    await t.http.patch(api(`/evidence/${item.id}`)).set('Authorization', coordinator.auth).send({ confidential: false }).expect(200);
    expect((await t.http.get(`/ledger/${cycle}`).expect(200)).text).toContain('List of detained journalists');
  });

  it('should refuse to change or remove evidence of a closed cycle (409) and change nothing', async () => {
    const cycle = (await t.http.post(api('/cycles')).set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Peru' }).expect(201)).body.id;
    const rec = (await t.http.post(api(`/cycles/${cycle}/recommendations`)).set('Authorization', admin.auth).send({ text: 'Repeal the defamation law' }).expect(201)).body.id;
    const item = (await t.http.post(api(`/recommendations/${rec}/evidence`)).set('Authorization', admin.auth).send({ kind: 'link', title: 'Draft bill', url: 'https://example.org/bill' }).expect(201)).body;
    // Fully implemented, so the close does not carry it into the next cycle (where it could still change).
    await t.http.post(api(`/recommendations/${rec}/status`)).set('Authorization', admin.auth).send({ status: 'fully_implemented', note: 'Passed', evidenceIds: [item.id] }).expect(201);
    await t.http.post(api(`/cycles/${cycle}/close`)).set('Authorization', admin.auth).send({ force: true }).expect((res) => expect(res.status).toBeLessThan(300));
    await t.http.patch(api(`/evidence/${item.id}`)).set('Authorization', admin.auth).send({ title: 'Changed' }).expect(409);
    await t.http.delete(api(`/evidence/${item.id}`)).set('Authorization', admin.auth).expect(409);
    expect((await t.http.get(api(`/recommendations/${rec}/evidence`)).set('Authorization', admin.auth).expect(200)).body.items[0].title).toBe('Draft bill');
  });
});
