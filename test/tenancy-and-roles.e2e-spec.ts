import type { Response } from 'supertest';
import type { Role } from '../src/auth/role';
import { createTestApp, TestApp, TestUser } from './support/test-app';

type Method = 'get' | 'post' | 'patch' | 'delete';

interface Coalition {
  admin: TestUser;
  coordinator: TestUser;
  member: TestUser;
}

const API = '/api/v1';

describe('tenancy and roles', () => {
  let t: TestApp;
  let a: Coalition;
  let b: Coalition;
  let cycleA: { id: number; stateUnderReview: string };
  let recA: { id: number; text: string };
  let linkEvidenceA: { id: number };
  let fileEvidenceA: { id: number };
  let deadlineA: { id: number; title: string; version: number };
  let cycleB: { id: number };
  let recB: { id: number };
  let deadlineB: { id: number };

  /** Sends a request as `user` with an optional JSON body. */
  const call = (user: TestUser, method: Method, path: string, body?: object) => {
    const req = t.http[method](`${API}${path}`).set('Authorization', user.auth);
    return body === undefined ? req : req.send(body);
  };

  const count = async (table: string): Promise<number> => {
    const [row] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(row.n);
  };

  const coalition = async (name: string): Promise<Coalition> => ({
    admin: await t.createUser('admin', name),
    coordinator: await t.createUser('coordinator', name),
    member: await t.createUser('member', name),
  });

  beforeAll(async () => {
    t = await createTestApp();
    a = await coalition('Coalition A');
    b = await coalition('Coalition B');

    cycleA = (await call(a.admin, 'post', '/cycles', { number: 3, stateUnderReview: 'Austria' }).expect(201)).body;
    recA = (await call(a.coordinator, 'post', `/cycles/${cycleA.id}/recommendations`, { text: 'Ratify the Convention against Torture' }).expect(201)).body;
    linkEvidenceA = (
      await call(a.member, 'post', `/recommendations/${recA.id}/evidence`, { kind: 'link', title: 'Ministry statement', url: 'https://example.org/statement' }).expect(201)
    ).body;
    fileEvidenceA = (
      await t.http
        .post(`${API}/recommendations/${recA.id}/evidence`)
        .set('Authorization', a.member.auth)
        .field('kind', 'document')
        .field('title', 'Shadow report')
        .attach('file', Buffer.from('the shadow report of coalition A'), { filename: 'shadow-report.txt', contentType: 'text/plain' })
        .expect(201)
    ).body;
    deadlineA = (
      await call(a.coordinator, 'post', '/deadlines', {
        recommendationId: recA.id, kind: 'evidence_due', title: 'A deadline', dueDate: '2027-01-15', timeZone: 'Europe/Berlin',
      }).expect(201)
    ).body;

    cycleB = (await call(b.admin, 'post', '/cycles', { number: 3, stateUnderReview: 'Belgium' }).expect(201)).body;
    recB = (await call(b.admin, 'post', `/cycles/${cycleB.id}/recommendations`, { text: 'Abolish the death penalty' }).expect(201)).body;
    deadlineB = (
      await call(b.admin, 'post', '/deadlines', { cycleId: cycleB.id, kind: 'other', dueDate: '2027-02-01', timeZone: 'America/New_York' }).expect(201)
    ).body;
  });
  afterAll(async () => t?.close());

  /** 404 in the standard error shape: the other coalition's item is "not found", never "forbidden". */
  const expectNotFound = (res: Response, what: string) => {
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: expect.stringMatching(new RegExp(`^${what} \\d+ was not found$`)) },
    });
  };

  describe('another coalition', () => {
    it('should answer 404 when a user of another coalition reads or changes a cycle', async () => {
      for (const user of [b.admin, b.coordinator, b.member]) {
        expectNotFound(await call(user, 'get', `/cycles/${cycleA.id}`), 'Cycle');
      }
      expectNotFound(await call(b.admin, 'patch', `/cycles/${cycleA.id}`, { stateUnderReview: 'Hungary' }), 'Cycle');
      expectNotFound(await call(b.coordinator, 'post', `/cycles/${cycleA.id}/recommendations`, { text: 'Injected' }), 'Cycle');

      const own = await call(a.member, 'get', `/cycles/${cycleA.id}`).expect(200);
      expect(own.body.stateUnderReview).toBe('Austria');
      expect(await count('recommendation')).toBe(2);
    });

    it('should answer 404 when a user of another coalition reads or changes a recommendation', async () => {
      for (const user of [b.admin, b.coordinator, b.member]) {
        expectNotFound(await call(user, 'get', `/recommendations/${recA.id}`), 'Recommendation');
      }
      expectNotFound(await call(b.admin, 'patch', `/recommendations/${recA.id}`, { text: 'Hungary' }), 'Recommendation');
      expectNotFound(await call(b.coordinator, 'patch', `/recommendations/${recA.id}`, { response: 'noted' }), 'Recommendation');
      expectNotFound(
        await call(b.admin, 'post', `/recommendations/${recA.id}/status`, { status: 'not_started', note: 'Nothing has been done' }),
        'Recommendation',
      );

      const own = await call(a.member, 'get', `/recommendations/${recA.id}`).expect(200);
      expect(own.body).toMatchObject({ text: 'Ratify the Convention against Torture', response: 'pending', status: 'not_assessed', history: [] });
      expect(await count('status_change')).toBe(0);
    });

    it('should answer 404 when a user of another coalition reads or submits evidence of a recommendation', async () => {
      const before = await count('evidence');
      for (const user of [b.admin, b.coordinator, b.member]) {
        expectNotFound(await call(user, 'get', `/recommendations/${recA.id}/evidence`), 'Recommendation');
        expectNotFound(
          await call(user, 'post', `/recommendations/${recA.id}/evidence`, { kind: 'link', title: 'Planted', url: 'https://example.org/planted' }),
          'Recommendation',
        );
      }
      const upload = await t.http
        .post(`${API}/recommendations/${recA.id}/evidence`)
        .set('Authorization', b.member.auth)
        .field('kind', 'document')
        .field('title', 'Planted file')
        .attach('file', Buffer.from('planted'), { filename: 'planted.txt', contentType: 'text/plain' });
      expectNotFound(upload, 'Recommendation');
      expect(await count('evidence')).toBe(before);
    });

    it('should answer 404 when a user of another coalition downloads an evidence file', async () => {
      const own = await t.http.get(`${API}/evidence/${fileEvidenceA.id}/file`).set('Authorization', a.member.auth).expect(200);
      expect(own.text).toBe('the shadow report of coalition A');
      for (const user of [b.admin, b.coordinator, b.member]) {
        expectNotFound(await call(user, 'get', `/evidence/${fileEvidenceA.id}/file`), 'Evidence file');
        expectNotFound(await call(user, 'get', `/evidence/${linkEvidenceA.id}/file`), 'Evidence file');
      }
    });

    it('should answer 404 when a user of another coalition follows or unfollows a recommendation', async () => {
      for (const user of [b.admin, b.member]) {
        expectNotFound(await call(user, 'post', `/recommendations/${recA.id}/follow`), 'Recommendation');
        expectNotFound(await call(user, 'delete', `/recommendations/${recA.id}/follow`), 'Recommendation');
      }
      expect(await count('recommendation_follower')).toBe(0);
      const own = await call(a.admin, 'get', `/recommendations/${recA.id}`).expect(200);
      expect(own.body.followerCount).toBe(0);
    });

    it('should answer 404 when a user of another coalition reads, changes or deletes a deadline', async () => {
      for (const user of [b.admin, b.coordinator, b.member]) {
        expectNotFound(await call(user, 'get', `/deadlines/${deadlineA.id}`), 'Deadline');
      }
      for (const user of [b.admin, b.coordinator]) {
        expectNotFound(await call(user, 'patch', `/deadlines/${deadlineA.id}`, { title: 'Hungary', state: 'done' }), 'Deadline');
        expectNotFound(await call(user, 'delete', `/deadlines/${deadlineA.id}`), 'Deadline');
      }
      const before = await count('deadline');
      expectNotFound(
        await call(b.admin, 'post', '/deadlines', { recommendationId: recA.id, kind: 'other', dueDate: '2027-03-01', timeZone: 'UTC' }),
        'Recommendation',
      );
      expectNotFound(await call(b.admin, 'post', '/deadlines', { cycleId: cycleA.id, kind: 'other', dueDate: '2027-03-01', timeZone: 'UTC' }), 'Cycle');
      expect(await count('deadline')).toBe(before);

      const own = await call(a.member, 'get', `/deadlines/${deadlineA.id}`).expect(200);
      expect(own.body).toMatchObject({ title: 'A deadline', state: 'open', version: deadlineA.version });
    });

    it('should answer 404 when an admin of another coalition changes a user', async () => {
      expectNotFound(await call(b.admin, 'patch', `/users/${a.member.id}`, { active: false }), 'User');
      expectNotFound(await call(b.admin, 'patch', `/users/${a.admin.id}`, { role: 'member' }), 'User');
      await call(a.member, 'get', '/me').expect(200);
      expect((await call(a.admin, 'get', '/me').expect(200)).body.role).toBe('admin');
    });

    it("should leave another coalition's items out of every list when a user lists cycles, recommendations, deadlines and users", async () => {
      const cycles = await call(b.admin, 'get', '/cycles').expect(200);
      expect(cycles.body.items.map((c: { id: number }) => c.id)).toEqual([cycleB.id]);

      const recs = await call(b.member, 'get', '/recommendations').expect(200);
      expect(recs.body.items.map((r: { id: number }) => r.id)).toEqual([recB.id]);
      expect(recs.body.total).toBe(1);
      const byCycle = await call(b.admin, 'get', `/recommendations?cycleId=${cycleA.id}`).expect(200);
      expect(byCycle.body).toMatchObject({ items: [], total: 0 });
      const bySearch = await call(b.admin, 'get', '/recommendations?q=torture').expect(200);
      expect(bySearch.body).toMatchObject({ items: [], total: 0 });

      const deadlines = await call(b.coordinator, 'get', '/deadlines').expect(200);
      expect(deadlines.body.items.map((d: { id: number }) => d.id)).toEqual([deadlineB.id]);
      const deadlinesByRec = await call(b.admin, 'get', `/deadlines?recommendationId=${recA.id}`).expect(200);
      expect(deadlinesByRec.body).toMatchObject({ items: [], total: 0 });

      const users = await call(b.admin, 'get', '/users').expect(200);
      expect(users.body.items.map((u: { id: number }) => u.id).sort()).toEqual([b.admin.id, b.coordinator.id, b.member.id].sort());

      // And coalition A still sees its own.
      expect((await call(a.member, 'get', '/cycles').expect(200)).body.items.map((c: { id: number }) => c.id)).toEqual([cycleA.id]);
      expect((await call(a.member, 'get', '/recommendations').expect(200)).body.items.map((r: { id: number }) => r.id)).toEqual([recA.id]);
      expect((await call(a.member, 'get', '/deadlines').expect(200)).body.items.map((d: { id: number }) => d.id)).toEqual([deadlineA.id]);
    });
  });

  describe('roles', () => {
    const forbiddenFor = async (user: TestUser, method: Method, path: string, body: object | undefined, allowed: Role[]) => {
      const res = await call(user, method, path, body);
      expect({ route: `${method.toUpperCase()} ${path}`, status: res.status, body: res.body }).toMatchObject({
        status: 403,
        body: { statusCode: 403, error: 'Forbidden', details: { allowedRoles: allowed, yourRole: user.role } },
      });
      for (const role of allowed) expect(res.body.message).toContain(role);
      expect(res.body.message).toContain(`you are ${user.role}`);
    };

    it('should answer 403 naming the allowed roles when a member tries to change cycles, recommendations, deadlines or users', async () => {
      const counts = async () => Promise.all(['review_cycle', 'recommendation', 'status_change', 'deadline', 'app_user'].map(count));
      const before = await counts();
      const m = a.member;
      await forbiddenFor(m, 'post', '/cycles', { number: 4, stateUnderReview: 'Austria' }, ['admin']);
      await forbiddenFor(m, 'patch', `/cycles/${cycleA.id}`, { session: '40' }, ['admin']);
      await forbiddenFor(m, 'post', `/cycles/${cycleA.id}/recommendations`, { text: 'Mine' }, ['admin', 'coordinator']);
      await forbiddenFor(m, 'patch', `/recommendations/${recA.id}`, { text: 'Changed' }, ['admin', 'coordinator']);
      await forbiddenFor(m, 'post', `/recommendations/${recA.id}/status`, { status: 'in_progress', note: 'Started' }, ['admin', 'coordinator']);
      await forbiddenFor(m, 'post', '/deadlines', { cycleId: cycleA.id, kind: 'other', dueDate: '2027-03-01', timeZone: 'UTC' }, ['admin', 'coordinator']);
      await forbiddenFor(m, 'patch', `/deadlines/${deadlineA.id}`, { title: 'Changed' }, ['admin', 'coordinator']);
      await forbiddenFor(m, 'delete', `/deadlines/${deadlineA.id}`, undefined, ['admin', 'coordinator']);
      await forbiddenFor(m, 'post', '/users', { email: 'x@example.org', name: 'X', role: 'admin', password: 'a long enough password' }, ['admin']);
      await forbiddenFor(m, 'patch', `/users/${m.id}`, { role: 'admin' }, ['admin']);
      expect(await counts()).toEqual(before);

      expect((await call(a.member, 'get', '/me').expect(200)).body.role).toBe('member');
      const cycle = await call(a.admin, 'get', `/cycles/${cycleA.id}`).expect(200);
      expect(cycle.body.session).toBeNull();
      const deadline = await call(a.admin, 'get', `/deadlines/${deadlineA.id}`).expect(200);
      expect(deadline.body).toMatchObject({ title: 'A deadline', version: deadlineA.version });
    });

    it('should answer 403 when a coordinator creates a cycle or a user', async () => {
      const cycles = await count('review_cycle');
      const users = await count('app_user');
      await forbiddenFor(a.coordinator, 'post', '/cycles', { number: 4, stateUnderReview: 'Austria' }, ['admin']);
      await forbiddenFor(a.coordinator, 'post', '/users', { email: 'y@example.org', name: 'Y', role: 'member', password: 'a long enough password' }, ['admin']);
      expect(await count('review_cycle')).toBe(cycles);
      expect(await count('app_user')).toBe(users);
    });

    it('should let a coordinator change recommendations and deadlines when they belong to the coalition', async () => {
      const rec = await call(a.coordinator, 'patch', `/recommendations/${recA.id}`, { themes: ['torture'] }).expect(200);
      expect(rec.body.themes).toEqual(['D25 Prohibition of torture and cruel, inhuman or degrading treatment']);
      const deadline = await call(a.coordinator, 'patch', `/deadlines/${deadlineA.id}`, { dueTime: '17:00' }).expect(200);
      expect(deadline.body).toMatchObject({ dueTime: '17:00', version: deadlineA.version + 1 });
      deadlineA = deadline.body;
    });

    it('should let a member read lists and submit evidence when they have no write role', async () => {
      const m = a.member;
      expect((await call(m, 'get', '/cycles').expect(200)).body.total).toBe(1);
      expect((await call(m, 'get', '/recommendations').expect(200)).body.total).toBe(1);
      expect((await call(m, 'get', '/deadlines').expect(200)).body.total).toBe(1);
      expect((await call(m, 'get', `/cycles/${cycleA.id}`).expect(200)).body.id).toBe(cycleA.id);

      const before = await count('evidence');
      const added = await call(m, 'post', `/recommendations/${recA.id}/evidence`, { kind: 'report', title: 'NGO report', url: 'https://example.org/report' }).expect(201);
      expect(added.body).toMatchObject({ recommendationId: recA.id, kind: 'report', submittedById: m.id, confidential: false });
      expect(await count('evidence')).toBe(before + 1);
      const listed = await call(m, 'get', `/recommendations/${recA.id}/evidence`).expect(200);
      expect(listed.body.items.map((e: { id: number }) => e.id)).toEqual(expect.arrayContaining([linkEvidenceA.id, fileEvidenceA.id, added.body.id]));
    });

    it('should show following and followerCount when a member follows and then unfollows a recommendation', async () => {
      const m = a.member;
      const initially = await call(m, 'get', `/recommendations/${recA.id}`).expect(200);
      expect(initially.body).toMatchObject({ following: false, followerCount: 0 });

      expect((await call(m, 'post', `/recommendations/${recA.id}/follow`).expect(201)).body).toEqual({ recommendationId: recA.id, following: true });
      // Following twice is still one follow.
      await call(m, 'post', `/recommendations/${recA.id}/follow`).expect(201);
      await call(a.coordinator, 'post', `/recommendations/${recA.id}/follow`).expect(201);
      expect((await call(m, 'get', `/recommendations/${recA.id}`).expect(200)).body).toMatchObject({ following: true, followerCount: 2 });
      expect((await call(a.admin, 'get', `/recommendations/${recA.id}`).expect(200)).body).toMatchObject({ following: false, followerCount: 2 });

      expect((await call(m, 'delete', `/recommendations/${recA.id}/follow`).expect(200)).body).toEqual({ recommendationId: recA.id, following: false });
      expect((await call(m, 'get', `/recommendations/${recA.id}`).expect(200)).body).toMatchObject({ following: false, followerCount: 1 });
      await call(a.coordinator, 'delete', `/recommendations/${recA.id}/follow`).expect(200);
      expect(await count('recommendation_follower')).toBe(0);
    });
  });

  describe('tokens and deactivation', () => {
    it('should return the secret once, list it without the secret and refuse it with 401 when a token is revoked', async () => {
      const user = await t.createUser('member', 'Coalition A');
      const created = await call(user, 'post', '/me/tokens', { label: 'reporting script' }).expect(201);
      expect(created.body).toMatchObject({ id: expect.any(Number), label: 'reporting script', revokedAt: null, token: expect.stringMatching(/^upr_/) });
      const secret: string = created.body.token;
      const asNew = (path: string) => t.http.get(`${API}${path}`).set('Authorization', `Bearer ${secret}`);
      expect((await asNew('/me').expect(200)).body.id).toBe(user.id);

      const listed = await call(user, 'get', '/me/tokens').expect(200);
      expect(listed.body.items.map((tk: { label: string }) => tk.label)).toEqual(['test', 'reporting script']);
      const entry = listed.body.items.find((tk: { id: number }) => tk.id === created.body.id);
      expect(Object.keys(entry).sort()).toEqual(['createdAt', 'id', 'label', 'lastUsedAt', 'revokedAt']);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(JSON.stringify(listed.body)).not.toContain(secret.slice(4));

      // Another user, even an admin of the same coalition, cannot revoke it.
      expectNotFound(await call(a.admin, 'delete', `/me/tokens/${created.body.id}`), 'Token');
      await asNew('/me').expect(200);

      await call(user, 'delete', `/me/tokens/${created.body.id}`).expect(204);
      const refused = await asNew('/me').expect(401);
      expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/revoked/) });
      const after = await call(user, 'get', '/me/tokens').expect(200);
      expect(after.body.items.find((tk: { id: number }) => tk.id === created.body.id).revokedAt).toEqual(expect.any(String));
      // The user's other token still works.
      await call(user, 'get', '/me').expect(200);
    });

    it('should answer 401 to every token of a user when an admin deactivates them', async () => {
      const user = await t.createUser('coordinator', 'Coalition A');
      const second = (await call(user, 'post', '/me/tokens', { label: 'second' }).expect(201)).body.token as string;
      await call(user, 'get', '/cycles').expect(200);

      const res = await call(a.admin, 'patch', `/users/${user.id}`, { active: false }).expect(200);
      expect(res.body).toMatchObject({ id: user.id, active: false });
      const refused = await call(user, 'get', '/cycles').expect(401);
      expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      await t.http.get(`${API}/me`).set('Authorization', `Bearer ${second}`).expect(401);

      await call(a.admin, 'patch', `/users/${user.id}`, { active: true }).expect(200);
      await call(user, 'get', '/cycles').expect(200);
    });

    it('should answer 409 when an admin deactivates themselves', async () => {
      const res = await call(a.admin, 'patch', `/users/${a.admin.id}`, { active: false }).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/yourself/) });
      const demote = await call(a.admin, 'patch', `/users/${a.admin.id}`, { role: 'member' }).expect(409);
      expect(demote.body.statusCode).toBe(409);
      const me = await call(a.admin, 'get', '/me').expect(200);
      expect(me.body.role).toBe('admin');
      const users = await call(a.admin, 'get', '/users').expect(200);
      expect(users.body.items.find((u: { id: number }) => u.id === a.admin.id).active).toBe(true);
    });
  });

  describe('/me', () => {
    it('should return the id, email, name, role and coalition when a user asks who they are', async () => {
      const res = await call(b.coordinator, 'get', '/me').expect(200);
      const [coalitionB] = await t.dataSource.query(`SELECT id, name FROM coalition WHERE name = 'Coalition B'`);
      expect(res.body).toEqual({
        id: b.coordinator.id,
        email: b.coordinator.email,
        name: expect.stringMatching(/^coordinator \d+$/),
        role: 'coordinator',
        coalition: { id: Number(coalitionB.id), name: 'Coalition B' },
      });
      expect(res.body.coalition.id).toBe(b.coordinator.coalitionId);
      expect(res.body.coalition.id).not.toBe(a.admin.coalitionId);
    });
  });
});
