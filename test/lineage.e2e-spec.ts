import { seedRecommendations } from '../bench/seed';
import { buildProgram } from '../src/cli/commands';
import { LineageService } from '../src/lineage/lineage.service';
import { similarity } from '../src/lineage/text-similarity';
import { createTestApp, TestApp, TestUser } from './support/test-app';

interface Suggestion {
  candidateId: number;
  score: number;
  state: string;
  cycle: { id: number; number: number };
  paragraph: string | null;
  excerpt: string;
  status: string;
  decidedBy: { id: number; name: string } | null;
}

const OPCAT = 'Ratify the Optional Protocol to the Convention against Torture';

describe('lineage across cycles', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  const cycles: Record<string, number> = {};
  const ids: Record<string, number> = {};

  const post = (path: string, body: object, user = coordinator) => t.http.post(path).set('Authorization', user.auth).send(body);
  const lineage = (key: string, query: Record<string, string> = {}, user = member) =>
    t.http.get(`/api/v1/recommendations/${ids[key]}/lineage`).query(query).set('Authorization', user.auth);
  const decide = (key: string, candidate: string | number, decision: string, user = coordinator) =>
    post(`/api/v1/recommendations/${ids[key]}/lineage`, { candidateId: typeof candidate === 'number' ? candidate : ids[candidate], decision }, user);
  const candidates = (suggestions: Suggestion[]) => suggestions.map((s) => s.candidateId);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    member = await t.createUser('member');
    const cycle = async (key: string, number: number, stateUnderReview: string, user = admin) => {
      cycles[key] = (await post('/api/v1/cycles', { number, stateUnderReview }, user).expect(201)).body.id;
    };
    const rec = async (key: string, cycle: string, paragraph: string, text: string, user = coordinator) => {
      ids[key] = (await post(`/api/v1/cycles/${cycles[cycle]}/recommendations`, { paragraph, text, response: 'supported' }, user).expect(201)).body.id;
    };
    await cycle('us1', 1, 'United States of America');
    await cycle('us2', 2, 'United States of America');
    await cycle('us3', 3, 'United States of America');
    await cycle('cl1', 1, 'Chile');
    await rec('a1', 'us1', '92.1', OPCAT);
    await rec('a2', 'us1', '92.2', 'Abolish the death penalty');
    await rec('a3', 'us1', '92.3', 'Ensure the independence of the judiciary');
    await rec('b1', 'us2', '176.1', 'Consider ratifying the Optional Protocol to the Convention against Torture');
    await rec('b2', 'us2', '176.2', 'Establish an official moratorium on executions with a view to abolishing the death penalty');
    await rec('n1', 'us3', '26.1', `${OPCAT} without delay`);
    await rec('n2', 'us3', '26.2', `${OPCAT}, as a matter of priority`);
    await rec('x1', 'cl1', '121.1', OPCAT); // same text, another State
    const stranger = await t.createUser('admin', 'Coalition B');
    const strangerCoordinator = await t.createUser('coordinator', 'Coalition B');
    await cycle('b-us1', 1, 'United States of America', stranger);
    await rec('y1', 'b-us1', '92.1', OPCAT, strangerCoordinator); // same text and State, another coalition
  });
  afterAll(async () => t.close());

  it('should suggest likely predecessors from earlier cycles of the same State, best first, with a score', async () => {
    const res = await lineage('n1').expect(200);
    expect(res.body).toMatchObject({ recommendationId: ids.n1, predecessorId: null, chain: [] });
    const suggestions: Suggestion[] = res.body.suggestions;
    expect(candidates(suggestions).sort()).toEqual([ids.a1, ids.b1].sort());
    expect(suggestions.map((s) => s.score)).toEqual([...suggestions.map((s) => s.score)].sort((a, b) => b - a));
    const a1 = suggestions.find((s) => s.candidateId === ids.a1)!;
    expect(a1).toEqual({
      candidateId: ids.a1, score: similarity(`${OPCAT} without delay`, OPCAT), state: 'suggested', cycle: { id: cycles.us1, number: 1 },
      paragraph: '92.1', excerpt: OPCAT, status: 'not_assessed', decidedBy: null, decidedAt: null,
    });
    expect(a1.score).toBeGreaterThanOrEqual(0.5);
    // Stored on first view: the table holds them.
    const rows = await t.dataSource.query(`SELECT candidate_id, state FROM lineage_suggestion WHERE recommendation_id = ${Number(ids.n1)} ORDER BY candidate_id`);
    expect(rows.map((r: { candidate_id: number }) => Number(r.candidate_id))).toEqual([ids.a1, ids.b1].sort((a, b) => a - b));
  });

  it('should never suggest another State, another coalition, the same or a later cycle, or an unrelated text', async () => {
    const { body } = await lineage('n1').expect(200);
    for (const key of ['x1', 'y1', 'n2', 'a2', 'a3', 'b2']) expect(candidates(body.suggestions)).not.toContain(ids[key]);
    // A first-cycle recommendation has nothing earlier to come from.
    expect((await lineage('a1').expect(200)).body.suggestions).toEqual([]);
    // Nor does a later cycle count as earlier: b1 (cycle 2) may come from a1, not from n1 (cycle 3).
    expect(candidates((await lineage('b1').expect(200)).body.suggestions)).toEqual([ids.a1]);
  });

  it('should let coordinators and admins decide, and not members', async () => {
    const res = await decide('n1', 'b1', 'confirm', member).expect(403);
    expect(res.body.message).toMatch(/admin or coordinator/);
  });

  it('should make a confirmed candidate the predecessor and show the chain through earlier cycles', async () => {
    t.clock.set('2026-12-01T09:00:00.000Z');
    const res = await decide('n1', 'b1', 'confirm').expect(200);
    expect(res.body.predecessorId).toBe(ids.b1);
    expect(res.body.chain).toEqual([{ id: ids.b1, cycle: { id: cycles.us2, number: 2 }, paragraph: '176.1', status: 'not_assessed' }]);
    expect(res.body.suggestions[0]).toMatchObject({
      candidateId: ids.b1, state: 'confirmed', decidedBy: { id: coordinator.id, name: expect.any(String) }, decidedAt: '2026-12-01T09:00:00.000Z',
    });
    const detail = await t.http.get(`/api/v1/recommendations/${ids.n1}`).set('Authorization', member.auth).expect(200);
    expect(detail.body.predecessorId).toBe(ids.b1);

    await decide('b1', 'a1', 'confirm', admin).expect(200);
    const chain = (await lineage('n1').expect(200)).body.chain;
    expect(chain.map((a: { id: number; cycle: { number: number } }) => [a.id, a.cycle.number])).toEqual([[ids.b1, 2], [ids.a1, 1]]);
  });

  it('should stop suggesting an ancestor on refresh, and keep the decisions', async () => {
    const { body } = await lineage('n1', { refresh: 'true' }).expect(200);
    expect(body.suggestions).toEqual([expect.objectContaining({ candidateId: ids.b1, state: 'confirmed' })]);
  });

  it('should turn an earlier confirmation into a rejection when another candidate is confirmed', async () => {
    // n2 may come from a1 or b1; b1 now continues a1, so b1 is offered for both (one commitment, one suggestion).
    expect(candidates((await lineage('n2').expect(200)).body.suggestions)).toEqual([ids.b1]);
    // Confirm one, then the other.
    await decide('n2', 'a1', 'confirm').expect(200);
    const res = await decide('n2', 'b1', 'confirm').expect(200);
    expect(res.body.predecessorId).toBe(ids.b1);
    expect(res.body.suggestions.map((s: Suggestion) => [s.candidateId, s.state])).toEqual([[ids.b1, 'confirmed'], [ids.a1, 'rejected']]);
  });

  it('should never suggest a rejected candidate again, and drop it as predecessor when it was one', async () => {
    expect(candidates((await lineage('b2').expect(200)).body.suggestions)).toEqual([ids.a2]);
    const res = await decide('b2', 'a2', 'reject').expect(200);
    expect(res.body.suggestions).toEqual([expect.objectContaining({ candidateId: ids.a2, state: 'rejected', decidedBy: expect.objectContaining({ id: coordinator.id }) })]);
    const refreshed = await lineage('b2', { refresh: 'true' }).expect(200);
    expect(refreshed.body.suggestions.map((s: Suggestion) => [s.candidateId, s.state])).toEqual([[ids.a2, 'rejected']]);

    await decide('b2', 'a2', 'confirm').expect(200);
    expect((await lineage('b2').expect(200)).body.predecessorId).toBe(ids.a2);
    const rejected = await decide('b2', 'a2', 'reject').expect(200);
    expect(rejected.body).toMatchObject({ predecessorId: null, chain: [] });
  });

  it('should refuse a candidate that cannot be a predecessor, naming candidateId', async () => {
    const refused = async (key: string, candidate: string | number, problem: RegExp) => {
      const res = await decide(key, candidate, 'confirm').expect(400);
      expect(res.body.details).toEqual([{ field: 'candidateId', problem: expect.stringMatching(problem) }]);
    };
    await refused('n1', 'n2', /must be of an earlier cycle/); // same cycle
    await refused('b2', 'n1', /must be of an earlier cycle/); // later cycle
    await refused('n1', 'x1', /made to Chile.*same State/);
    await refused('n1', 'y1', /was not found/); // another coalition's
    await refused('n1', 'n1', /its own predecessor/);
    await refused('n1', 999999, /was not found/);
    const bad = await decide('n1', 'a1', 'maybe').expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'decision', allowed: ['confirm', 'reject'] })]);
    await post(`/api/v1/recommendations/${ids.n1}/lineage`, { candidateId: 'a1', decision: 'confirm' }).expect(400);
    await lineage('n1', { refresh: 'yes' }).expect(400);
    // Another coalition's recommendation does not exist for this one.
    await t.http.get(`/api/v1/recommendations/${ids.y1}/lineage`).set('Authorization', member.auth).expect(404);
  });

  it('should refuse a confirmation that would make a loop', async () => {
    // Links made by hand (PATCH) only need another cycle: a1 (cycle 1) now says it follows b2 (cycle 2).
    await t.http.patch(`/api/v1/recommendations/${ids.a1}`).set('Authorization', coordinator.auth).send({ predecessorId: ids.b2 }).expect(200);
    try {
      const res = await decide('b2', 'a1', 'confirm').expect(409);
      expect(res.body.message).toMatch(/would make a loop/);
    } finally {
      await t.http.patch(`/api/v1/recommendations/${ids.a1}`).set('Authorization', coordinator.auth).send({ predecessorId: null }).expect(200);
    }
  });

  it('should refuse decisions in a closed cycle with 409, and still show the lineage', async () => {
    await t.dataSource.query(`UPDATE review_cycle SET state = 'closed' WHERE id = ${Number(cycles.us3)}`);
    try {
      const res = await decide('n1', 'a1', 'reject').expect(409);
      expect(res.body.message).toMatch(/closed/);
      await lineage('n1').expect(200);
    } finally {
      await t.dataSource.query(`UPDATE review_cycle SET state = 'open' WHERE id = ${Number(cycles.us3)}`);
    }
  });

  it('should offer a commitment carried over a close once, as the latest of its chain, not also the original it continues', async () => {
    const norway = (await post('/api/v1/cycles', { number: 2, stateUnderReview: 'Norway' }, admin).expect(201)).body.id;
    const text = 'Adopt a national action plan on business and human rights';
    const original = (await post(`/api/v1/cycles/${norway}/recommendations`, { paragraph: '131.1', text }).expect(201)).body.id;
    // The close carries the unfinished original into cycle 3; a recurring recommendation there continues (supersedes) it.
    const third = (await post(`/api/v1/cycles/${norway}/close`, { nextCycle: { number: 3 } }, admin).expect(200)).body.nextCycle.id;
    const recurring = (await post(`/api/v1/cycles/${third}/recommendations`, { paragraph: '140.7', text: `${text} and implement it`, predecessorId: original }).expect(201)).body.id;
    expect((await t.http.get(`/api/v1/recommendations/${original}`).set('Authorization', member.auth).expect(200)).body.carriedInto).toEqual([
      expect.objectContaining({ cycleId: third, fromCycleId: norway, supersededById: recurring }),
    ]);
    const fourth = (await post(`/api/v1/cycles/${third}/close`, { nextCycle: { number: 4 } }, admin).expect(200)).body.nextCycle.id;
    const later = (await post(`/api/v1/cycles/${fourth}/recommendations`, { paragraph: '12.3', text }).expect(201)).body.id;
    const { body } = await t.http.get(`/api/v1/recommendations/${later}/lineage`).set('Authorization', member.auth).expect(200);
    // Both are as like it (the original more so): offered once, as the recurring one, whose chain brings the original along.
    expect(similarity(text, text)).toBeGreaterThan(similarity(text, `${text} and implement it`));
    expect(candidates(body.suggestions)).toEqual([recurring]);
    const confirmed = await post(`/api/v1/recommendations/${later}/lineage`, { candidateId: recurring, decision: 'confirm' }).expect(200);
    expect(confirmed.body.chain.map((a: { id: number }) => a.id)).toEqual([recurring, original]);
  });

  it('should suggest for a batch of new recommendations (as after an import) and keep decisions', async () => {
    const service = t.app.get(LineageService);
    const summary = await service.suggestForRecommendations([ids.n1, ids.n2, ids.b1, ids.b2, ids.a1]);
    expect(summary.recommendations).toBe(5);
    const rows: { recommendation_id: number; candidate_id: number; state: string }[] = await t.dataSource.query(
      `SELECT recommendation_id, candidate_id, state FROM lineage_suggestion WHERE recommendation_id IN (${[ids.n1, ids.n2, ids.b1, ids.b2].join(',')}) ORDER BY recommendation_id, candidate_id`);
    const pairs = rows.map((r) => [Number(r.recommendation_id), Number(r.candidate_id), r.state]);
    expect(pairs).toContainEqual([ids.n1, ids.b1, 'confirmed']);
    expect(pairs).toContainEqual([ids.n2, ids.a1, 'rejected']);
    expect(pairs).toContainEqual([ids.b2, ids.a2, 'rejected']);
    expect(pairs.filter(([r, c]) => r === ids.n1 && c === ids.a1)).toEqual([]); // a1 is n1's ancestor now
    expect(summary.suggestions).toBe(rows.filter((r) => r.state === 'suggested').length);
  });

  // How long this takes is a benchmark matter (never asserted in a test); this checks the batch at that size.
  it('should suggest at most five predecessors each when 350 new recommendations meet 1,000 older ones of the same State', async () => {
    const older = (await post('/api/v1/cycles', { number: 1, stateUnderReview: 'Brazil' }, admin).expect(201)).body.id;
    const newer = (await post('/api/v1/cycles', { number: 2, stateUnderReview: 'Brazil' }, admin).expect(201)).body.id;
    await seedRecommendations(t.dataSource, admin.coalitionId, [{ id: older, number: 1 }], 1000);
    const { firstId } = await seedRecommendations(t.dataSource, admin.coalitionId, [{ id: newer, number: 2 }], 350);
    const newIds = Array.from({ length: 350 }, (_, i) => firstId + i);
    const summary = await t.app.get(LineageService).suggestForRecommendations(newIds);
    expect(summary.recommendations).toBe(350);
    // The generated texts share stock phrases, so nearly every one finds its 5 best.
    expect(summary.suggestions).toBeGreaterThan(350 * 4);
    const [{ most }] = await t.dataSource.query(
      `SELECT MAX(n) AS most FROM (SELECT COUNT(*) AS n FROM lineage_suggestion WHERE recommendation_id >= ${firstId} GROUP BY recommendation_id) counts`);
    expect(Number(most)).toBe(5);
  });

  describe('command line', () => {
    const run = async (...args: string[]) => {
      const output: string[] = [];
      const program = buildProgram(async () => t.app, (line) => output.push(line));
      program.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
      await program.parseAsync(['node', 'cli', ...args]);
      return output.join('\n');
    };

    it('should compute suggestions for a whole cycle and show a recommendation\'s lineage', async () => {
      await expect(run('lineage', 'suggest', '--cycle', String(cycles.us3))).resolves.toMatch(/Compared 2 recommendations of cycle \d+ with the earlier cycles of the same State: \d+ suggestions stored/);
      const out = await run('lineage', 'show', '--recommendation', String(ids.n1), '--email', member.email);
      expect(out).toMatch(new RegExp(`Recommendation ${ids.n1}: predecessor ${ids.b1}\\.`));
      expect(out).toMatch(new RegExp(`Chain: ${ids.b1} \\(cycle 2, 176\\.1, not_assessed\\) <- ${ids.a1} \\(cycle 1, 92\\.1, not_assessed\\)`));
      expect(out).toMatch(/confirmed/);
    });

    it('should record a decision as the user named, and refuse members and bad options', async () => {
      await expect(run('lineage', 'decide', '--recommendation', String(ids.b2), '--candidate', String(ids.a2), '--decision', 'confirm', '--email', coordinator.email))
        .resolves.toMatch(new RegExp(`Recommendation ${ids.a2} is now the predecessor of recommendation ${ids.b2}`));
      await expect(run('lineage', 'decide', '--recommendation', String(ids.b2), '--candidate', String(ids.a2), '--decision', 'reject', '--email', member.email))
        .rejects.toThrow(/--email: .* is a member/);
      await expect(run('lineage', 'decide', '--recommendation', String(ids.b2), '--candidate', 'x', '--decision', 'reject', '--email', coordinator.email))
        .rejects.toThrow(/--candidate: candidateId must be a recommendation id/);
      await expect(run('lineage', 'decide', '--recommendation', String(ids.b2), '--candidate', String(ids.a2), '--decision', 'maybe', '--email', coordinator.email))
        .rejects.toThrow(/Allowed choices are confirm, reject/);
      await expect(run('lineage', 'show', '--recommendation', '0', '--email', member.email)).rejects.toThrow(/--recommendation: must be a recommendation id/);
      await expect(run('lineage', 'suggest', '--cycle', '999999')).rejects.toThrow(/--cycle: cycle 999999 was not found/);
    });
  });
});
