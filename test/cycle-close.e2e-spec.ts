import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../src/cli/commands';
import { CyclesService } from '../src/cycles/cycles.service';
import { createTestApp, TestApp, TestUser } from './support/test-app';

interface Recommendation {
  id: number;
  cycleId: number;
  paragraph: string | null;
  text: string;
  recommendingStates: string[];
  response: string;
  status: string;
  themes: string[];
  affectedPersons: string[];
  sdgs: number[];
  actionCategory: number | null;
  ownerIds: number[];
  predecessorId: number | null;
  origin: string;
  carriedInto: { cycleId: number; fromCycleId: number; supersededById: number | null }[];
}

describe('closing a cycle', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;

  const post = (path: string, body: object, user = coordinator) => t.http.post(path).set('Authorization', user.auth).send(body);
  const close = (cycleId: number, body: object = {}, user = admin) => post(`/api/v1/cycles/${cycleId}/close`, body, user);
  const cycle = async (number: number, stateUnderReview: string, extra: object = {}) =>
    (await post('/api/v1/cycles', { number, stateUnderReview, ...extra }, admin).expect(201)).body as { id: number };
  const rec = async (cycleId: number, body: object) => (await post(`/api/v1/cycles/${cycleId}/recommendations`, body).expect(201)).body as Recommendation;
  const setStatus = (id: number, body: object) => post(`/api/v1/recommendations/${id}/status`, body).expect(201);
  const inCycle = async (cycleId: number): Promise<Recommendation[]> =>
    (await t.http.get('/api/v1/recommendations').query({ cycleId, pageSize: 200 }).set('Authorization', member.auth).expect(200)).body.items;
  const carriedInto = async (cycleId: number): Promise<Recommendation[]> =>
    (await t.http.get('/api/v1/recommendations').query({ cycleId, carried: true, pageSize: 200 }).set('Authorization', member.auth).expect(200)).body.items;
  const countCycles = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM review_cycle'))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    member = await t.createUser('member');
  });
  afterAll(async () => t.close());

  describe('a cycle with unfinished recommendations and open deadlines', () => {
    let c3: number;
    const r: Record<string, Recommendation> = {};
    const deadlines: number[] = [];

    beforeAll(async () => {
      c3 = (await cycle(3, 'United States of America', { session: '36', documentSymbol: 'A/HRC/46/15' })).id;
      r.done = await rec(c3, { paragraph: '26.1', text: 'Ratify the Optional Protocol to the Convention against Torture', response: 'supported' });
      r.going = await rec(c3, {
        paragraph: '26.2', text: 'Abolish the death penalty', response: 'noted', recommendingStates: ['Portugal', 'Chile'],
        themes: ['D23 Death penalty', 'A12 Acceptance of international norms'], affectedPersons: ['persons deprived of their liberty'], sdgs: [16, 5],
        actionCategory: 5, ownerIds: [coordinator.id],
      });
      r.fresh = await rec(c3, { paragraph: '26.3', text: 'Protect migrants', response: 'no_response' });
      r.worse = await rec(c3, { paragraph: '26.4', text: 'Guarantee the right to peaceful assembly', response: 'supported_in_part' });
      const evidence = (await post(`/api/v1/recommendations/${r.done.id}/evidence`, { kind: 'link', title: 'Ratification', url: 'https://example.org/r' }).expect(201)).body.id;
      await setStatus(r.done.id, { status: 'fully_implemented', note: 'Ratified', evidenceIds: [evidence] });
      await setStatus(r.going.id, { status: 'in_progress', note: 'Bill introduced' });
      await setStatus(r.worse.id, { status: 'regressed', note: 'Protest law passed' });
      await t.http.post(`/api/v1/recommendations/${r.going.id}/follow`).set('Authorization', member.auth).expect(201);
      for (const body of [
        { recommendationId: r.going.id, kind: 'evidence_due', title: 'Bill text', dueDate: '2027-02-01', assigneeIds: [coordinator.id] },
        { cycleId: c3, kind: 'mid_term_report', title: 'Mid-term report', dueDate: '2027-03-01', assigneeIds: [member.id] },
      ]) {
        deadlines.push((await post('/api/v1/deadlines', { timeZone: 'America/New_York', ...body }).expect(201)).body.id);
      }
    });

    it('should be for admins only', async () => {
      for (const user of [coordinator, member]) {
        const res = await close(c3, {}, user).expect(403);
        expect(res.body.message).toMatch(/needs the role admin/);
      }
      const stranger = await t.createUser('admin', 'Coalition B');
      await close(c3, {}, stranger).expect(404);
    });

    it('should refuse with 409 listing the open deadlines, and change nothing', async () => {
      const cyclesBefore = await countCycles();
      const res = await close(c3).expect(409);
      expect(res.body.message).toMatch(/still has 2 open deadlines/);
      expect(res.body.details.openDeadlines).toEqual([
        expect.objectContaining({ id: deadlines[0], kind: 'evidence_due', title: 'Bill text', dueDate: '2027-02-01', recommendationId: r.going.id }),
        expect.objectContaining({ id: deadlines[1], kind: 'mid_term_report', recommendationId: null }),
      ]);
      const after = await t.http.get(`/api/v1/cycles/${c3}`).set('Authorization', member.auth).expect(200);
      expect(after.body).toMatchObject({ state: 'open', closedAt: null, nextCycleId: null });
      expect(await countCycles()).toBe(cyclesBefore);
      expect((await inCycle(c3)).map((x) => x.status)).toEqual(['fully_implemented', 'in_progress', 'not_assessed', 'regressed']);
    });

    it('should refuse a next cycle number that is not above the closed one', async () => {
      const res = await close(c3, { force: true, nextCycle: { number: 3 } }).expect(400);
      expect(res.body.details).toEqual([{ field: 'nextCycle.number', problem: expect.stringMatching(/must be above 3/) }]);
      const bad = await close(c3, { force: 'yes', nextCycle: { number: 4, reviewDate: '2026-02-30', colour: 'red' } }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['force', 'nextCycle.colour', 'nextCycle.reviewDate']);
      await t.http.get(`/api/v1/cycles/${c3}`).set('Authorization', member.auth).expect(200).expect((res2) => expect(res2.body.state).toBe('open'));
    });

    it('should close when forced: deadlines done, cycle frozen, next cycle created, unfinished carried, report written', async () => {
      t.clock.set('2027-01-10T15:30:00.000Z');
      const res = await close(c3, { force: true, nextCycle: { number: 4, session: '50', reviewDate: '2027-11-07', documentSymbol: 'A/HRC/61/10' } }).expect(200);
      const body = res.body;
      expect(body.cycle).toMatchObject({ id: c3, state: 'closed', closedAt: '2027-01-10T15:30:00.000Z', nextCycleId: body.nextCycle.id });
      expect(body.nextCycle).toMatchObject({
        mechanism: 'upr', number: 4, stateUnderReview: 'United States of America', state: 'open', session: '50', reviewDate: '2027-11-07', documentSymbol: 'A/HRC/61/10',
      });
      expect(body.nextCycleCreated).toBe(true);
      expect(body.carriedOver).toBe(3);
      expect(body.carried).toEqual([r.going, r.fresh, r.worse].map((x) => ({ recommendationId: x.id, cycleId: c3 })));
      expect(body.alreadyInNextCycle).toEqual([]);
      expect(body.fullyImplementedLeftBehind).toBe(1);
      expect(body.deadlinesCompleted).toEqual(deadlines);
      expect(body.reports).toEqual({ html: `reports/cycle-${c3}-close.html`, json: `reports/cycle-${c3}-close.json` });

      // Carried: the same recommendations, nothing copied: the next cycle received none of them.
      expect(await inCycle(body.nextCycle.id)).toEqual([]);
      const carried = await carriedInto(body.nextCycle.id);
      expect(carried.map((x) => x.id)).toEqual([r.going.id, r.fresh.id, r.worse.id]);
      const going = carried[0];
      expect(going).toMatchObject({
        cycleId: c3, paragraph: '26.2', text: 'Abolish the death penalty', recommendingStates: ['Portugal', 'Chile'],
        themes: ['D23 Death penalty', 'A12 Acceptance of international norms'], affectedPersons: ['Persons deprived of their liberty'],
        sdgs: [5, 16], actionCategory: 5, ownerIds: [coordinator.id], response: 'noted', status: 'in_progress', origin: 'received',
        carriedInto: [{ cycleId: body.nextCycle.id, fromCycleId: c3, carriedAt: '2027-01-10T15:30:00.000Z', supersededById: null }],
      });
      // The last status and response stay (regressed, supported in part), with the history.
      expect(carried[2]).toMatchObject({ id: r.worse.id, status: 'regressed', response: 'supported_in_part' });
      const detail = await t.http.get(`/api/v1/recommendations/${going.id}`).set('Authorization', member.auth).expect(200);
      expect(detail.body).toMatchObject({ following: true, followerCount: 1, history: [expect.objectContaining({ toStatus: 'in_progress', note: 'Bill introduced' })] });
      const worse = await t.http.get(`/api/v1/recommendations/${r.worse.id}`).set('Authorization', member.auth).expect(200);
      expect(worse.body.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['regressed']);
      // The next cycle's figures: nothing received, three carried, apart.
      const nextReport = await t.http.get(`/api/v1/cycles/${body.nextCycle.id}/report`).set('Authorization', member.auth).expect(200);
      expect(nextReport.body.totals.recommendations).toBe(0);
      expect(nextReport.body.byRecommendingState).toEqual([]);
      expect(nextReport.body.carried).toMatchObject({ count: 3, followedHere: 3, superseded: 0 });
      expect(nextReport.body.carried.byStatus.filter((s: { count: number }) => s.count > 0)).toEqual([
        { status: 'not_assessed', count: 1 }, { status: 'in_progress', count: 1 }, { status: 'regressed', count: 1 },
      ]);

      // Deadlines done, and nothing more will remind anyone of them.
      for (const id of deadlines) {
        const d = await t.http.get(`/api/v1/deadlines/${id}`).set('Authorization', member.auth).expect(200);
        expect(d.body).toMatchObject({ state: 'done', version: 2 });
      }
      const [{ pending }] = await t.dataSource.query(`SELECT COUNT(*) AS pending FROM notification WHERE deadline_id IN (${deadlines.join(',')}) AND state = 'pending'`);
      expect(Number(pending)).toBe(0);

      // The close report, HTML and JSON, under DATA_DIR.
      const html = readFileSync(join(t.database.dataDir, body.reports.html), 'utf8');
      expect(html).toMatch(/Cycle closed 2027-01-10 15:30 UTC/);
      expect(html).toMatch(/3 unfinished recommendations carried into United States of America, UPR cycle 4/);
      expect(html).toMatch(/They are not copied: each keeps its status, evidence and history/);
      const json = JSON.parse(readFileSync(join(t.database.dataDir, body.reports.json), 'utf8'));
      expect(json.close).toMatchObject({ carriedOver: 3, nextCycleId: body.nextCycle.id, deadlinesCompleted: deadlines, carried: body.carried });
      expect(json.totals.recommendations).toBe(4);
      expect(json.cycle).toMatchObject({ state: 'closed', nextCycleId: body.nextCycle.id });
    });

    it('should refuse every change in the closed cycle but to what it carried on', async () => {
      // r.done was fully implemented: left behind, frozen with the cycle.
      await post(`/api/v1/recommendations/${r.done.id}/status`, { status: 'not_implemented', note: 'Too late' }).expect(409);
      await t.http.patch(`/api/v1/recommendations/${r.done.id}`).set('Authorization', coordinator.auth).send({ text: 'changed' }).expect(409);
      await post(`/api/v1/recommendations/${r.done.id}/evidence`, { kind: 'link', title: 'Late', url: 'https://example.org/late' }).expect(409);
      await post(`/api/v1/cycles/${c3}/recommendations`, { text: 'new' }).expect(409);
      await t.http.patch(`/api/v1/cycles/${c3}`).set('Authorization', admin.auth).send({ session: '37' }).expect(409);
      await post('/api/v1/deadlines', { cycleId: c3, kind: 'other', dueDate: '2027-06-01', timeZone: 'UTC' }).expect(409);
    });

    it('should let the carried recommendations be worked on from the next cycle, as one continuous history', async () => {
      const evidence = (await post(`/api/v1/recommendations/${r.going.id}/evidence`, { kind: 'link', title: 'Committee hearing', url: 'https://example.org/h' }).expect(201)).body.id;
      await setStatus(r.going.id, { status: 'partially_implemented', note: 'Carried over; passed one chamber', evidenceIds: [evidence] });
      const detail = await t.http.get(`/api/v1/recommendations/${r.going.id}`).set('Authorization', member.auth).expect(200);
      expect(detail.body.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['in_progress', 'partially_implemented']);
      expect(detail.body.history[1].evidenceIds).toEqual([evidence]);
    });

    it('should answer a second close with the same result and create nothing twice', async () => {
      const first = await t.http.get(`/api/v1/cycles/${c3}`).set('Authorization', member.auth).expect(200);
      const cyclesBefore = await countCycles();
      const nextBefore = await inCycle(first.body.nextCycleId);
      t.clock.set('2027-02-01T00:00:00.000Z');
      const again = await close(c3).expect(200);
      const differentBody = await close(c3, { force: false, nextCycle: { number: 7 } }).expect(200);
      expect(differentBody.body).toEqual(again.body);
      expect(again.body).toMatchObject({
        cycle: { id: c3, state: 'closed', closedAt: '2027-01-10T15:30:00.000Z' }, carriedOver: 3, nextCycleCreated: true, fullyImplementedLeftBehind: 1,
      });
      expect(again.body.nextCycle.id).toBe(first.body.nextCycleId);
      expect(await countCycles()).toBe(cyclesBefore);
      expect((await inCycle(first.body.nextCycleId)).map((x) => x.id)).toEqual(nextBefore.map((x) => x.id));
      // A report file lost after the close is written again by the next close.
      const htmlPath = join(t.database.dataDir, `reports/cycle-${c3}-close.html`);
      rmSync(htmlPath);
      await close(c3).expect(200);
      expect(existsSync(htmlPath)).toBe(true);
    });
  });

  it('should carry into an existing open next cycle, without copying what is already there', async () => {
    const c1 = (await cycle(1, 'Chile')).id;
    const c2 = (await cycle(2, 'Chile')).id;
    const k1 = await rec(c1, { paragraph: '121.1', text: 'Establish a national preventive mechanism' });
    const k2 = await rec(c1, { paragraph: '121.2', text: 'Combat violence against women' });
    // k1 was imported into cycle 2 already and linked to its predecessor.
    const k1Again = await rec(c2, { paragraph: '110.4', text: 'Establish a national preventive mechanism', predecessorId: k1.id });
    const res = await close(c1, { nextCycle: { number: 2, session: '32', documentSymbol: 'A/HRC/41/6' } }).expect(200);
    expect(res.body).toMatchObject({ nextCycleCreated: false, nextCycle: { id: c2, session: '32', documentSymbol: 'A/HRC/41/6' }, carriedOver: 1 });
    expect(res.body.alreadyInNextCycle).toEqual([{ fromId: k1.id, toId: k1Again.id }]);
    expect(res.body.carried).toEqual([{ recommendationId: k2.id, cycleId: c1 }]);
    // Cycle 2 received one recommendation; the other is carried, apart.
    expect((await inCycle(c2)).map((x) => x.id)).toEqual([k1Again.id]);
    expect((await carriedInto(c2)).map((x) => x.id)).toEqual([k2.id]);
  });

  it('should refuse to carry into a closed cycle', async () => {
    const c1 = (await cycle(1, 'Kenya')).id;
    const c2 = (await cycle(2, 'Kenya')).id;
    await rec(c1, { text: 'Adopt a refugee law' });
    await close(c2).expect(200);
    const res = await close(c1).expect(409);
    expect(res.body.message).toMatch(/Cycle 2 of Kenya .* is closed/);
    const after = await t.http.get(`/api/v1/cycles/${c1}`).set('Authorization', member.auth).expect(200);
    expect(after.body.state).toBe('open');
  });

  it('should close once when two closes arrive together', async () => {
    const c1 = (await cycle(1, 'Mexico')).id;
    for (let i = 0; i < 20; i++) await rec(c1, { paragraph: `100.${i}`, text: `Recommendation ${i}` });
    const cyclesBefore = await countCycles();
    const [a, b] = await Promise.all([close(c1), close(c1)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    expect(await countCycles()).toBe(cyclesBefore + 1);
    expect(await inCycle(a.body.nextCycle.id)).toHaveLength(0);
    expect(await carriedInto(a.body.nextCycle.id)).toHaveLength(20);
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM carried_recommendation WHERE cycle_id = ${Number(a.body.nextCycle.id)}`);
    expect(Number(n)).toBe(20);
  });

  it('should end the carried item when a recurring recommendation of the next cycle is linked to it, and carry the rest on again', async () => {
    const c1 = (await cycle(1, 'Ghana')).id;
    const a = await rec(c1, { paragraph: '10.1', text: 'Abolish the death penalty', recommendingStates: ['France'] });
    const b = await rec(c1, { paragraph: '10.2', text: 'Criminalise torture', recommendingStates: ['Chile'] });
    const closed = await close(c1).expect(200);
    const c2 = closed.body.nextCycle.id as number;
    // Cycle 2 receives the same death-penalty recommendation again: linked, it supersedes the carried one.
    const again = await rec(c2, { paragraph: '20.1', text: 'Abolish the death penalty', recommendingStates: ['Spain'], predecessorId: a.id });
    const carried = await carriedInto(c2);
    expect(carried.map((x) => [x.id, x.carriedInto[0].supersededById])).toEqual([[a.id, again.id], [b.id, null]]);
    // Superseded: the follow-up goes on in cycle 2; the old one is frozen with its closed cycle.
    await post(`/api/v1/recommendations/${a.id}/status`, { status: 'in_progress', note: 'x' }).expect(409);
    await setStatus(b.id, { status: 'not_started', note: 'Still followed' });
    // Received counts by recommending State: only what cycle 2 received.
    const report = await t.http.get(`/api/v1/cycles/${c2}/report`).set('Authorization', member.auth).expect(200);
    expect(report.body.byRecommendingState).toEqual([{ state: 'Spain', code: 'ESP', count: 1 }]);
    expect(report.body.carried).toMatchObject({ count: 2, followedHere: 1, superseded: 1 });
    // Unlinking makes it followed again.
    await t.http.patch(`/api/v1/recommendations/${again.id}`).set('Authorization', coordinator.auth).send({ predecessorId: null }).expect(200);
    expect((await carriedInto(c2)).map((x) => x.carriedInto[0].supersededById)).toEqual([null, null]);
    await t.http.patch(`/api/v1/recommendations/${again.id}`).set('Authorization', coordinator.auth).send({ predecessorId: a.id }).expect(200);

    // Closing cycle 2 carries b on into cycle 3 (still the same row, of cycle 1); a is superseded and not carried.
    const next = await close(c2).expect(200);
    expect(next.body.carried).toEqual([{ recommendationId: b.id, cycleId: c1 }, { recommendationId: again.id, cycleId: c2 }]);
    const c3 = next.body.nextCycle.id as number;
    const inThree = await carriedInto(c3);
    expect(inThree.map((x) => x.id)).toEqual([b.id, again.id]);
    expect(inThree[0].carriedInto.map((k) => [k.cycleId, k.fromCycleId])).toEqual([[c2, c1], [c3, c2]]);
    await setStatus(b.id, { status: 'in_progress', note: 'Followed in cycle 3' });
  });

  describe('a carried item in the figures of both cycles', () => {
    const counts = async (cycleId: number) => (await t.app.get(CyclesService).getWithCounts({ ...admin, name: 'Admin' }, cycleId)).counts;
    const report = async (cycleId: number) => (await t.http.get(`/api/v1/cycles/${cycleId}/report`).set('Authorization', member.auth).expect(200)).body;
    const link = (id: number, title: string) => post(`/api/v1/recommendations/${id}/evidence`, { kind: 'link', title, url: 'https://example.org/e' }).expect(201);

    it('should count it once: evidence, recurring and lineage in its own cycle, the carried figures in the next, and a copy of an old close never as recurring', async () => {
      const c1 = (await cycle(1, 'Mongolia')).id;
      const kept = await rec(c1, { paragraph: '1.1', text: 'Ratify the Escazú Agreement' });
      const again = await rec(c1, { paragraph: '1.2', text: 'Protect journalists from violence' });
      await link(kept.id, 'Before the close');
      const c2 = (await close(c1).expect(200)).body.nextCycle.id as number;
      // Worked on while carried: its evidence is the recommendation's, counted in its own cycle.
      await link(kept.id, 'While carried');
      const successor = await rec(c2, { paragraph: '2.1', text: 'Protect journalists from violence and threats', predecessorId: again.id });
      await link(successor.id, 'Received in cycle 2');

      const one = await report(c1);
      expect(one.totals).toMatchObject({ recommendations: 2, evidenceItems: 2, recommendationsWithEvidence: 1, recurring: 0 });
      const two = await report(c2);
      expect(two.totals).toMatchObject({ recommendations: 1, evidenceItems: 1, recommendationsWithEvidence: 1, recurring: 1 });
      expect(two.carried).toMatchObject({ count: 2, followedHere: 1, superseded: 1 });
      expect(two.recommendations.map((r: { id: number }) => r.id)).toEqual([successor.id]);
      expect(two.recurring).toEqual([expect.objectContaining({ id: successor.id, cycles: [1, 2] })]);
      await expect(counts(c1)).resolves.toEqual({ recommendations: 2, carried: 0, assessed: 0, openDeadlines: 0 });
      await expect(counts(c2)).resolves.toEqual({ recommendations: 1, carried: 1, assessed: 0, openDeadlines: 0 });

      // A copy made by a close before carry-over became a link (origin carried, its predecessor the
      // original): counted with the carried items, never as recurring, and its cycle is not one the
      // recommendation was made in.
      const [{ id: copyId }] = await t.dataSource.query(
        `INSERT INTO recommendation (coalition_id, cycle_id, paragraph, text, text_key, predecessor_id, origin) VALUES (${admin.coalitionId}, ${c2}, '1.1', 'Ratify the Escazú Agreement', 'copy', ${kept.id}, 'carried') RETURNING id`,
      );
      await t.dataSource.query(`INSERT INTO carried_recommendation (coalition_id, cycle_id, recommendation_id, from_cycle_id, carried_at) VALUES (${admin.coalitionId}, ${c2}, ${Number(copyId)}, ${c1}, '2027-01-10 00:00:00')`);
      const withCopy = await report(c2);
      expect(withCopy.totals).toMatchObject({ recommendations: 1, recurring: 1 });
      expect(withCopy.recurring.map((r: { id: number }) => r.id)).toEqual([successor.id]);
      expect(withCopy.carried).toMatchObject({ count: 3, followedHere: 2 });
      const c3 = (await close(c2, { force: true }).expect(200)).body.nextCycle.id as number;
      const third = await rec(c3, { paragraph: '3.1', text: 'Ratify the Escazú Agreement', predecessorId: Number(copyId) });
      expect((await report(c3)).recurring).toEqual([expect.objectContaining({ id: third.id, cycles: [1, 3], summary: 'made in cycles 1 and 3, not yet assessed' })]);
    });
  });

  describe('deadlines of a carried item', () => {
    const deadline = async (recommendationId: number, title: string) =>
      (await post('/api/v1/deadlines', { recommendationId, kind: 'evidence_due', title, dueDate: '2027-06-01', timeZone: 'UTC' }).expect(201)).body as { id: number; cycleId: number };

    it('should refuse to close the origin cycle over its open deadlines, file new ones under the cycle it is carried into, and let that close end them', async () => {
      const c1 = (await cycle(1, 'Botswana', { session: '5' })).id;
      const carried = await rec(c1, { paragraph: '5.1', text: 'Enact a refugee protection law' });
      const finished = await rec(c1, { paragraph: '5.2', text: 'Ratify the CRPD' });
      // The origin cycle: its open deadlines (of its recommendations) hold its close, as for any cycle.
      const early = await deadline(carried.id, 'Before the close');
      expect(early.cycleId).toBe(c1);
      await close(c1).expect(409);
      await t.http.patch(`/api/v1/deadlines/${early.id}`).set('Authorization', coordinator.auth).send({ state: 'done' }).expect(200);
      const c2 = (await close(c1).expect(200)).body.nextCycle.id as number;

      // While carried into open cycle 2, the item keeps working deadlines, filed under cycle 2.
      const during = await deadline(carried.id, 'While carried');
      expect(during.cycleId).toBe(c2);
      await t.http.patch(`/api/v1/deadlines/${during.id}`).set('Authorization', coordinator.auth).send({ dueDate: '2027-07-01' }).expect(200);
      const other = await deadline(finished.id, 'Also carried');
      await t.http.delete(`/api/v1/deadlines/${other.id}`).set('Authorization', coordinator.auth).expect((res) => expect([200, 204]).toContain(res.status));
      expect((await t.app.get(CyclesService).getWithCounts({ ...admin, name: 'Admin' }, c2)).counts.openDeadlines).toBe(1);
      expect((await t.app.get(CyclesService).getWithCounts({ ...admin, name: 'Admin' }, c1)).counts.openDeadlines).toBe(0);
      const overdue = await t.http.get(`/api/v1/deadlines`).query({ cycleId: c2 }).set('Authorization', member.auth).expect(200);
      expect(overdue.body.items.map((d: { id: number }) => d.id)).toEqual([during.id]);

      // Closing cycle 2 ends them as it ends its own: refused while open, marked done with force.
      const refused = await close(c2).expect(409);
      expect(refused.body.details.openDeadlines.map((d: { id: number; recommendationId: number }) => [d.id, d.recommendationId])).toEqual([[during.id, carried.id]]);
      const evidence = (await post(`/api/v1/recommendations/${finished.id}/evidence`, { kind: 'link', title: 'Ratified', url: 'https://example.org/r' }).expect(201)).body.id;
      await setStatus(finished.id, { status: 'fully_implemented', note: 'Ratified', evidenceIds: [evidence] });
      const closed = await close(c2, { force: true }).expect(200);
      expect(closed.body.deadlinesCompleted).toEqual([during.id]);
      // The unfinished one is carried on, and its next deadline belongs to cycle 3; the finished one ends in cycle 2.
      const c3 = closed.body.nextCycle.id as number;
      expect(closed.body.carried).toEqual([{ recommendationId: carried.id, cycleId: c1 }]);
      expect((await deadline(carried.id, 'In cycle 3')).cycleId).toBe(c3);
      await post('/api/v1/deadlines', { recommendationId: finished.id, kind: 'other', dueDate: '2027-06-01', timeZone: 'UTC' }).expect(409);
      await t.http.patch(`/api/v1/deadlines/${during.id}`).set('Authorization', coordinator.auth).send({ state: 'open' }).expect(409);
    });
  });

  it('should close a cycle with nothing in it', async () => {
    const c = (await cycle(1, 'Fiji')).id;
    const res = await close(c).expect(200);
    expect(res.body).toMatchObject({ carriedOver: 0, carried: [], fullyImplementedLeftBehind: 0, deadlinesCompleted: [], nextCycle: { number: 2 } });
  });

  describe('command line', () => {
    const run = async (...args: string[]) => {
      const output: string[] = [];
      const program = buildProgram(async () => t.app, (line) => output.push(line));
      program.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
      await program.parseAsync(['node', 'cli', ...args]);
      return output.join('\n');
    };

    it('should refuse while deadlines are open, listing them, then close with --force, then say it was closed', async () => {
      const c = (await cycle(2, 'Viet Nam')).id;
      await rec(c, { paragraph: '143.1', text: 'Abolish the death penalty' });
      const deadline = (await post('/api/v1/deadlines', { cycleId: c, kind: 'hearing', title: 'Hearing', dueDate: '2027-05-01', timeZone: 'Asia/Ho_Chi_Minh' }).expect(201)).body.id;
      const refused = await run('cycle', 'close', String(c)).catch((e) => e);
      expect(refused.message).toMatch(/still has 1 open deadline: mark it done, or run again with --force to mark it done now:/);
      expect(refused.message).toMatch(new RegExp(`deadline ${deadline}: hearing "Hearing", due 2027-05-01, the whole cycle`));

      const out = await run('cycle', 'close', String(c), '--force', '--next-session', '46');
      expect(out).toMatch(/Closed cycle \d+ \(Viet Nam, UPR cycle 2\)\./);
      expect(out).toMatch(/Carried 1 unfinished recommendation into cycle 3 \(id \d+, created by the close\)\./);
      expect(out).toMatch(new RegExp(`Marked 1 open deadline done: ${deadline}\\.`));
      expect(out).toMatch(new RegExp(`Close report: .*cycle-${c}-close\\.html and .*cycle-${c}-close\\.json`));

      const again = await run('cycle', 'close', String(c));
      expect(again).toMatch(/was already closed on .* UTC; nothing changed\./);
      expect(again).toMatch(/It had carried 1 unfinished recommendation into cycle 3/);
    });

    it('should name the bad option', async () => {
      await expect(run('cycle', 'close', 'abc')).rejects.toThrow(/ID: must be a cycle id/);
      await expect(run('cycle', 'close', '999999')).rejects.toThrow(/ID: cycle 999999 was not found/);
      const c = (await cycle(1, 'Peru')).id;
      await expect(run('cycle', 'close', String(c), '--next-review-date', '2027-02-30')).rejects.toThrow(/--next-review-date: reviewDate must be a real date/);
      await expect(run('cycle', 'close', String(c), '--next-number', 'four')).rejects.toThrow(/--next-number: .*number must be a whole number/);
      await expect(run('cycle', 'close', String(c), '--next-number', '1')).rejects.toThrow(/--next-number: must be above 1/);
      await expect(run('cycle', 'close', String(c), '--colour', 'red')).rejects.toThrow(/unknown option '--colour'/);
    });
  });
});
