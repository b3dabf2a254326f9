import { buildProgram } from '../src/cli/commands';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';

const API = '/api/v1';

interface Entry {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  entity: string;
  entityId: number | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * The audit trail (issue 12): every kind of tracked change leaves one entry (who, when, what,
 * before and after) in the same transaction as the change; the API lists and filters them; the
 * database itself refuses to update or delete an entry, on SQLite and on PostgreSQL.
 */
describe('audit trail', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition Audit');
    coordinator = await t.createUser('coordinator', 'Coalition Audit');
    member = await t.createUser('member', 'Coalition Audit');
  });
  afterAll(() => t?.close());

  const post = (path: string, body: object, user: TestUser = admin) => t.http.post(`${API}${path}`).set('Authorization', user.auth).send(body);
  const patch = (path: string, body: object, user: TestUser = admin) => t.http.patch(`${API}${path}`).set('Authorization', user.auth).send(body);
  async function audit(query: Record<string, string | number>, user: TestUser = admin): Promise<{ items: Entry[]; total: number; page: number; pageSize: number }> {
    return (await t.http.get(`${API}/audit`).query(query).set('Authorization', user.auth).expect(200)).body;
  }
  const actions = async (entity: string, entityId?: number) => (await audit({ entity, ...(entityId ? { entityId } : {}), pageSize: 200 })).items.map((e) => e.action).reverse();

  it('should record every kind of change, with who, when, and the changed fields before and after', async () => {
    const cycle = (await post('/cycles', { stateUnderReview: 'Chile', number: 3 }).expect(201)).body;
    await patch(`/cycles/${cycle.id}`, { session: '32' }).expect(200);
    await post(`/cycles/${cycle.id}/publish`, {}).expect(200);

    const rec = (await post(`/cycles/${cycle.id}/recommendations`, { text: 'Abolish the death penalty', recommendingStates: ['France'] }, coordinator).expect(201)).body;
    await patch(`/recommendations/${rec.id}`, { response: 'supported', themes: ['D23 Death penalty'], ownerIds: [member.id] }, coordinator).expect(200);
    await post(`/recommendations/${rec.id}/status`, { status: 'in_progress', note: 'Bill tabled' }, coordinator).expect(201);
    await post(`/recommendations/${rec.id}/evidence`, { kind: 'testimony', title: 'What Ana told us about her brother', url: 'https://example.org/t' }, member).expect(201);

    const deadline = (await post('/deadlines', { recommendationId: rec.id, kind: 'evidence_due', dueDate: '2030-01-15', timeZone: 'UTC', assigneeIds: [member.id] }, coordinator).expect(201)).body;
    await patch(`/deadlines/${deadline.id}`, { dueDate: '2030-02-01' }, coordinator).expect(200);
    await t.http.delete(`${API}/deadlines/${deadline.id}`).set('Authorization', coordinator.auth).expect(204);

    const invited = (await post('/users/invitations', { email: 'new.member@example.org', name: 'New Member', role: 'member' }).expect(201)).body.user;
    await patch(`/users/${invited.id}`, { role: 'coordinator' }).expect(200);
    await patch(`/users/${invited.id}`, { active: false }).expect(200);

    expect(await actions('cycle', cycle.id)).toEqual(['created', 'updated', 'published']);
    expect(await actions('recommendation', rec.id)).toEqual(['created', 'updated', 'status_changed']);
    expect(await actions('deadline', deadline.id)).toEqual(['created', 'updated', 'deleted']);
    expect(await actions('user', invited.id)).toEqual(['invited', 'updated', 'updated']);

    const recEntries = (await audit({ entity: 'recommendation', entityId: rec.id })).items;
    const update = recEntries.find((e) => e.action === 'updated')!;
    // The State's response is in the trail now, with the rest of what changed, and only that.
    expect(update).toMatchObject({
      actorId: coordinator.id,
      actorName: expect.any(String),
      before: { response: 'pending', themes: [], ownerIds: [] },
      after: { response: 'supported', themes: ['D23 Death penalty'], ownerIds: [member.id] },
    });
    expect(Object.keys(update.after!).sort()).toEqual(['ownerIds', 'response', 'themes']);
    expect(recEntries.find((e) => e.action === 'status_changed')).toMatchObject({ before: { status: 'not_assessed' }, after: { status: 'in_progress' } });

    // Testimony is confidential: the trail says a testimony was added, never what it says.
    const [evidence] = (await audit({ entity: 'evidence' })).items;
    expect(evidence).toMatchObject({ action: 'added', actorId: member.id, after: { recommendationId: rec.id, kind: 'testimony', confidential: true, title: null, url: null } });
    expect(JSON.stringify(await audit({ pageSize: 200 }))).not.toContain('Ana');

    // The recommendation's one timeline: its own changes, its evidence and its deadline, newest first.
    const timeline = await audit({ recommendationId: rec.id, pageSize: 200 });
    expect(timeline.items.map((e) => `${e.entity} ${e.action}`).reverse()).toEqual([
      'recommendation created', 'recommendation updated', 'recommendation status_changed', 'evidence added', 'deadline created', 'deadline updated', 'deadline deleted',
    ]);
    expect(timeline.items.every((e) => (e as Entry & { recommendationId: number }).recommendationId === rec.id)).toBe(true);
    const other = (await post(`/cycles/${cycle.id}/recommendations`, { text: 'Ratify the Optional Protocol', recommendingStates: ['Peru'] }, coordinator).expect(201)).body;
    expect((await audit({ recommendationId: other.id })).items.map((e) => e.action)).toEqual(['created']);
    await t.http.get(`${API}/audit`).query({ recommendationId: 'x' }).set('Authorization', admin.auth).expect(400);

    const deactivated = (await audit({ entity: 'user', entityId: invited.id })).items[0];
    expect(deactivated).toMatchObject({ before: { active: true }, after: { active: false } });
  });

  it('should record imports, lineage decisions and the cycle close', async () => {
    const header = 'state_under_review,cycle,session,document_symbol,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category';
    const csv = [header, 'Peru,2,14,A/HRC/22/15,116.1,Ratify the Optional Protocol to CAT,Norway,supported,,,,', 'Peru,3,28,A/HRC/37/8,111.4,Ratify the Optional Protocol to the Convention against Torture,Norway,supported,,,,'].join('\n');
    const imported = await t.http.post(`${API}/imports`).set('Authorization', admin.auth).attach('file', Buffer.from(csv), 'peru.csv').expect(201);
    expect(imported.body).toMatchObject({ created: 2 });
    const [entry] = (await audit({ entity: 'import' })).items;
    expect(entry).toMatchObject({ action: 'imported', actorId: admin.id, entityId: null, after: { file: 'peru.csv', created: 2, updated: 0, rejected: 0 } });
    expect((entry.after!.cycles as unknown[]).length).toBe(2);

    const peru = (await t.http.get(`${API}/recommendations`).query({ q: 'Optional Protocol' }).set('Authorization', admin.auth).expect(200)).body.items as { id: number; paragraph: string; cycleId: number }[];
    const older = peru.find((r) => r.paragraph === '116.1')!;
    const newer = peru.find((r) => r.paragraph === '111.4')!;
    await post(`/recommendations/${newer.id}/lineage`, { candidateId: older.id, decision: 'confirm' }, coordinator).expect(200);
    expect((await audit({ entity: 'lineage', entityId: newer.id })).items[0]).toMatchObject({ action: 'confirmed', before: { predecessorId: null }, after: { candidateId: older.id, predecessorId: older.id } });
    expect((await audit({ recommendationId: newer.id })).items[0]).toMatchObject({ entity: 'lineage', action: 'confirmed' });

    await post(`/cycles/${older.cycleId}/close`, { force: true }).expect(200);
    expect((await audit({ entity: 'cycle', entityId: older.cycleId })).items[0]).toMatchObject({ action: 'closed', actorId: admin.id, before: { state: 'open' }, after: { state: 'closed' } });
  });

  it('should write nothing to the trail when the change is refused', async () => {
    const cycle = (await post('/cycles', { stateUnderReview: 'Peru', number: 4 }).expect(201)).body;
    const rec = (await post(`/cycles/${cycle.id}/recommendations`, { text: 'Adopt a law on defenders' }).expect(201)).body;
    const before = (await audit({ entity: 'recommendation', entityId: rec.id })).total;
    // fully_implemented straight from not_assessed needs evidence: refused, and not in the trail.
    await post(`/recommendations/${rec.id}/status`, { status: 'fully_implemented', note: 'Done' }).expect(409);
    expect((await audit({ entity: 'recommendation', entityId: rec.id })).total).toBe(before);
  });

  it('should filter by actor and time, page the answer, refuse bad filters, and be for admins and coordinators only', async () => {
    const all = await audit({ pageSize: 200 });
    expect(all.items.length).toBe(all.total);
    const ids = all.items.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids); // newest first

    const byMember = await audit({ actorId: member.id, pageSize: 200 });
    expect(byMember.total).toBeGreaterThan(0);
    expect(byMember.items.every((e) => e.actorId === member.id)).toBe(true);

    const page2 = await audit({ page: 2, pageSize: 3 });
    expect(page2).toMatchObject({ page: 2, pageSize: 3, total: all.total });
    expect(page2.items.map((e) => e.id)).toEqual(ids.slice(3, 6));

    const now = t.clock.now();
    expect((await audit({ to: new Date(now.getTime() - 86_400_000).toISOString() })).total).toBe(0);
    expect((await audit({ from: new Date(now.getTime() - 60_000).toISOString(), to: new Date(now.getTime() + 60_000).toISOString() })).total).toBe(all.total);

    const bad = await t.http.get(`${API}/audit`).query({ from: 'yesterday', entity: 'planet' }).set('Authorization', admin.auth).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['entity', 'from']);
    await t.http.get(`${API}/audit`).query({ from: '2030-01-02', to: '2030-01-01' }).set('Authorization', admin.auth).expect(400);
    await t.http.get(`${API}/audit`).set('Authorization', member.auth).expect(403);
    expect((await audit({}, coordinator)).total).toBe(all.total);

    // Another coalition sees only its own trail: its first admin's creation (from the command line, no actor).
    const other = await t.createUser('admin', 'Coalition Elsewhere');
    expect((await audit({}, other)).items).toEqual([expect.objectContaining({ entity: 'user', entityId: other.id, action: 'created', actorId: null })]);
  });

  it("should record a coalition's State aliases added and removed, through the API (who) and the command line (no one), and nothing for a refused one", async () => {
    const cli = (...args: string[]) => buildProgram(async () => t.app, () => undefined).parseAsync(['node', 'cli', ...args]);
    const added = (await post('/admin/state-aliases', { state: 'CIV', alias: 'Republique de Cote d Ivoire' }).expect(201)).body;
    await cli('alias', 'add', '--coalition', 'Coalition Audit', '--state', 'USA', '--alias', 'Untied States');
    const viaCli = (await t.http.get(`${API}/admin/state-aliases`).set('Authorization', admin.auth).expect(200)).body.items.find((a: { alias: string }) => a.alias === 'Untied States');
    await t.http.delete(`${API}/admin/state-aliases/${added.id}`).set('Authorization', admin.auth).expect(204);
    await cli('alias', 'remove', '--coalition', 'Coalition Audit', '--id', String(viaCli.id));
    // Refused: an alias that is a State's name, an unknown State, an unknown alias.
    const before = (await audit({ entity: 'state_alias' })).total;
    await post('/admin/state-aliases', { state: 'FRA', alias: 'Ivory Coast' }).expect(409);
    await post('/admin/state-aliases', { state: 'Atlantis', alias: 'Lost city' }).expect(400);
    await t.http.delete(`${API}/admin/state-aliases/${added.id}`).set('Authorization', admin.auth).expect(404);
    expect((await audit({ entity: 'state_alias' })).total).toBe(before);

    expect(await actions('state_alias', added.id)).toEqual(['added', 'removed']);
    const [removed, addedEntry] = (await audit({ entity: 'state_alias', entityId: added.id })).items;
    expect(addedEntry).toMatchObject({ actorId: admin.id, actorName: expect.any(String), before: null, after: { alias: 'Republique de Cote d Ivoire', stateCode: 'CIV', state: "Côte d'Ivoire" } });
    expect(removed).toMatchObject({ actorId: admin.id, before: { alias: 'Republique de Cote d Ivoire', stateCode: 'CIV' }, after: null });
    const cliEntries = (await audit({ entity: 'state_alias', entityId: viaCli.id })).items;
    expect(cliEntries.map((e) => ({ action: e.action, actorId: e.actorId, actorName: e.actorName }))).toEqual([
      { action: 'removed', actorId: null, actorName: null },
      { action: 'added', actorId: null, actorName: null },
    ]);
    expect(cliEntries[1].after).toMatchObject({ alias: 'Untied States', stateCode: 'USA' });
  });

  it('should refuse, in the database itself, to update or delete an entry', async () => {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM audit_entry ORDER BY id LIMIT 1`);
    await expect(t.dataSource.query(`UPDATE audit_entry SET action = 'forged' WHERE id = ${Number(id)}`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM audit_entry WHERE id = ${Number(id)}`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
    if (t.dataSource.options.type === 'postgres') await expect(t.dataSource.query(`TRUNCATE audit_entry`)).rejects.toThrow(/append-only/);
    const [{ action }] = await t.dataSource.query(`SELECT action FROM audit_entry WHERE id = ${Number(id)}`);
    expect(action).not.toBe('forged');
  });
});
