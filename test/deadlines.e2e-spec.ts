import { createTestApp, TestApp, TestUser } from './support/test-app';

interface DeadlineBody {
  id: number;
  recommendationId: number | null;
  cycleId: number;
  dueAt: string;
  version: number;
  assigneeIds: number[];
}

describe('deadlines', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let otherAdmin: TestUser;
  let otherMember: TestUser;
  let cycleId: number;
  let recommendationId: number;
  let cycleNumber = 0;

  const post = (user: TestUser, body: object) => t.http.post('/api/v1/deadlines').set('Authorization', user.auth).send(body);
  const patch = (user: TestUser, id: number, body: object) => t.http.patch(`/api/v1/deadlines/${id}`).set('Authorization', user.auth).send(body);

  async function createCycle(user: TestUser): Promise<number> {
    cycleNumber += 1;
    const res = await t.http.post('/api/v1/cycles').set('Authorization', user.auth).send({ number: cycleNumber, stateUnderReview: 'Kenya' }).expect(201);
    return res.body.id;
  }

  async function createRecommendation(user: TestUser, inCycle: number, text: string): Promise<number> {
    const res = await t.http.post(`/api/v1/cycles/${inCycle}/recommendations`).set('Authorization', user.auth).send({ text }).expect(201);
    return res.body.id;
  }

  async function countDeadlines(): Promise<number> {
    const rows: { n: number | string }[] = await t.dataSource.query('SELECT COUNT(*) AS n FROM deadline');
    return Number(rows[0].n);
  }

  async function createDeadline(body: object): Promise<DeadlineBody> {
    const res = await post(coordinator, { kind: 'evidence_due', timeZone: 'UTC', ...body }).expect(201);
    return res.body;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition A');
    coordinator = await t.createUser('coordinator', 'Coalition A');
    member = await t.createUser('member', 'Coalition A');
    otherAdmin = await t.createUser('admin', 'Coalition B');
    otherMember = await t.createUser('member', 'Coalition B');
    cycleId = await createCycle(admin);
    recommendationId = await createRecommendation(admin, cycleId, 'Establish a national human rights institution');
  });
  afterAll(async () => t.close());

  describe('creation', () => {
    it('should convert the local time to UTC and fill cycleId when created for a recommendation', async () => {
      const res = await post(coordinator, {
        recommendationId,
        kind: 'evidence_due',
        title: 'Evidence on detention conditions',
        dueDate: '2026-12-15',
        dueTime: '09:00',
        timeZone: 'America/New_York',
        assigneeIds: [coordinator.id, member.id],
      }).expect(201);
      expect(res.body).toMatchObject({
        recommendationId,
        cycleId,
        kind: 'evidence_due',
        title: 'Evidence on detention conditions',
        dueDate: '2026-12-15',
        dueTime: '09:00',
        timeZone: 'America/New_York',
        dueAt: '2026-12-15T14:00:00.000Z',
        state: 'open',
        version: 1,
        assigneeIds: [coordinator.id, member.id],
      });

      const fetched = await t.http.get(`/api/v1/deadlines/${res.body.id}`).set('Authorization', member.auth).expect(200);
      expect(fetched.body).toMatchObject({ id: res.body.id, cycleId, dueAt: '2026-12-15T14:00:00.000Z', assigneeIds: [coordinator.id, member.id] });
    });

    it('should be due at 23:59 local time when created for a cycle without dueTime', async () => {
      const res = await post(coordinator, { cycleId, kind: 'mid_term_report', dueDate: '2026-06-30', timeZone: 'Europe/Berlin' }).expect(201);
      // Berlin is on summer time (UTC+2) at the end of June.
      expect(res.body).toMatchObject({ recommendationId: null, cycleId, dueDate: '2026-06-30', dueTime: null, dueAt: '2026-06-30T21:59:00.000Z', version: 1, assigneeIds: [] });
    });

    it('should answer 400 when neither recommendationId nor cycleId is given', async () => {
      const before = await countDeadlines();
      const res = await post(coordinator, { kind: 'other', dueDate: '2026-12-15', timeZone: 'UTC' }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['recommendationId', 'cycleId']));
      expect(await countDeadlines()).toBe(before);
    });

    it('should answer 400 when both recommendationId and cycleId are given', async () => {
      const before = await countDeadlines();
      const res = await post(coordinator, { recommendationId, cycleId, kind: 'other', dueDate: '2026-12-15', timeZone: 'UTC' }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/not both/) });
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'cycleId' })]);
      expect(await countDeadlines()).toBe(before);
    });

    it('should answer 400 naming timeZone when the time zone is not an IANA zone', async () => {
      const res = await post(coordinator, { cycleId, kind: 'other', dueDate: '2026-12-15', timeZone: 'Mars/Olympus' }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'timeZone' })]);
      expect(res.body.message).toMatch(/timeZone/);
    });

    it('should answer 400 naming dueDate when the date does not exist', async () => {
      const res = await post(coordinator, { cycleId, kind: 'other', dueDate: '2026-02-30', timeZone: 'UTC' }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'dueDate' })]);
    });

    it('should answer 400 naming dueTime when the time is 25:00', async () => {
      const res = await post(coordinator, { cycleId, kind: 'other', dueDate: '2026-12-15', dueTime: '25:00', timeZone: 'UTC' }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'dueTime' })]);
    });

    it('should answer 400 naming assigneeIds and write nothing when an assignee belongs to another coalition', async () => {
      const before = await countDeadlines();
      const assigneesBefore: { n: number | string }[] = await t.dataSource.query('SELECT COUNT(*) AS n FROM deadline_assignee');
      const res = await post(coordinator, {
        recommendationId,
        kind: 'other',
        dueDate: '2026-12-15',
        timeZone: 'UTC',
        assigneeIds: [member.id, otherMember.id],
      }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/assigneeIds/) });
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'assigneeIds', problem: expect.stringContaining(String(otherMember.id)) })]);
      expect(await countDeadlines()).toBe(before);
      const assigneesAfter: { n: number | string }[] = await t.dataSource.query('SELECT COUNT(*) AS n FROM deadline_assignee');
      expect(Number(assigneesAfter[0].n)).toBe(Number(assigneesBefore[0].n));
    });

    it('should answer 403 and write nothing when a member creates a deadline', async () => {
      const before = await countDeadlines();
      const res = await post(member, { cycleId, kind: 'other', dueDate: '2026-12-15', timeZone: 'UTC' }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(await countDeadlines()).toBe(before);
    });

    it('should answer 404 when the recommendation or cycle belongs to another coalition', async () => {
      await post(otherAdmin, { recommendationId, kind: 'other', dueDate: '2026-12-15', timeZone: 'UTC' }).expect(404);
      await post(otherAdmin, { cycleId, kind: 'other', dueDate: '2026-12-15', timeZone: 'UTC' }).expect(404);
    });
  });

  describe('changes', () => {
    it('should recompute dueAt and raise the version to 2 when dueDate and timeZone change', async () => {
      const created = await createDeadline({ recommendationId, dueDate: '2026-12-15', dueTime: '09:00', timeZone: 'America/New_York' });
      const res = await patch(coordinator, created.id, { dueDate: '2027-01-20', timeZone: 'Asia/Tokyo' }).expect(200);
      expect(res.body).toMatchObject({ id: created.id, dueDate: '2027-01-20', dueTime: '09:00', timeZone: 'Asia/Tokyo', dueAt: '2027-01-20T00:00:00.000Z', version: 2 });
      const fetched = await t.http.get(`/api/v1/deadlines/${created.id}`).set('Authorization', member.auth).expect(200);
      expect(fetched.body).toMatchObject({ dueAt: '2027-01-20T00:00:00.000Z', version: 2 });
    });

    it('should reset dueAt to the end of the local day when dueTime is set to null', async () => {
      const created = await createDeadline({ recommendationId, dueDate: '2026-12-15', dueTime: '09:00', timeZone: 'America/New_York' });
      const res = await patch(coordinator, created.id, { dueTime: null }).expect(200);
      expect(res.body).toMatchObject({ dueTime: null, dueAt: '2026-12-16T04:59:00.000Z', version: 2 });
    });

    it('should replace the assignees when assigneeIds change and refuse another coalition user', async () => {
      const created = await createDeadline({ recommendationId, dueDate: '2026-12-15', assigneeIds: [member.id] });
      const res = await patch(coordinator, created.id, { assigneeIds: [coordinator.id] }).expect(200);
      expect(res.body.assigneeIds).toEqual([coordinator.id]);
      const refused = await patch(coordinator, created.id, { assigneeIds: [otherMember.id] }).expect(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'assigneeIds' })]);
      const fetched = await t.http.get(`/api/v1/deadlines/${created.id}`).set('Authorization', coordinator.auth).expect(200);
      expect(fetched.body).toMatchObject({ assigneeIds: [coordinator.id], version: 2 });
    });

    it('should answer 400 naming dueTime when a patch sets it to 25:00', async () => {
      const created = await createDeadline({ recommendationId, dueDate: '2026-12-15' });
      const res = await patch(coordinator, created.id, { dueTime: '25:00' }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'dueTime' })]);
      const fetched = await t.http.get(`/api/v1/deadlines/${created.id}`).set('Authorization', coordinator.auth).expect(200);
      expect(fetched.body.version).toBe(1);
    });

    it('should delete softly, raising the version, when a coordinator deletes a deadline', async () => {
      const created = await createDeadline({ recommendationId, dueDate: '2026-12-15' });
      await t.http.delete(`/api/v1/deadlines/${created.id}`).set('Authorization', coordinator.auth).expect(204);

      const gone = await t.http.get(`/api/v1/deadlines/${created.id}`).set('Authorization', coordinator.auth).expect(404);
      expect(gone.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      await patch(coordinator, created.id, { title: 'Revived' }).expect(404);
      await t.http.delete(`/api/v1/deadlines/${created.id}`).set('Authorization', coordinator.auth).expect(404);

      const rows: { deleted_at: unknown; version: number | string }[] = await t.dataSource.query(
        `SELECT deleted_at, version FROM deadline WHERE id = ${Number(created.id)}`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].deleted_at).not.toBeNull();
      expect(Number(rows[0].version)).toBe(2);
    });

    it('should answer 403 when a member changes or deletes a deadline', async () => {
      const created = await createDeadline({ recommendationId, dueDate: '2026-12-15' });
      await patch(member, created.id, { title: 'Mine now' }).expect(403);
      await t.http.delete(`/api/v1/deadlines/${created.id}`).set('Authorization', member.auth).expect(403);
      const fetched = await t.http.get(`/api/v1/deadlines/${created.id}`).set('Authorization', member.auth).expect(200);
      expect(fetched.body).toMatchObject({ title: null, version: 1 });
    });

    it('should answer 404 when the deadline belongs to another coalition', async () => {
      const created = await createDeadline({ recommendationId, dueDate: '2026-12-15' });
      const res = await t.http.get(`/api/v1/deadlines/${created.id}`).set('Authorization', otherMember.auth).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: `Deadline ${created.id} was not found` });
      await patch(otherAdmin, created.id, { title: 'Taken over' }).expect(404);
      await t.http.delete(`/api/v1/deadlines/${created.id}`).set('Authorization', otherAdmin.auth).expect(404);
      const list = await t.http.get('/api/v1/deadlines').set('Authorization', otherAdmin.auth).expect(200);
      expect(list.body).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
      const fetched = await t.http.get(`/api/v1/deadlines/${created.id}`).set('Authorization', coordinator.auth).expect(200);
      expect(fetched.body).toMatchObject({ title: null, version: 1 });
    });
  });

  describe('listing', () => {
    let listCycle: number;
    let recA: number;
    let recB: number;
    let d1: DeadlineBody; // recA, 2027-03-01, assigned to member
    let d2: DeadlineBody; // recB, 2027-01-10
    let d3: DeadlineBody; // cycle, 2027-02-01, assigned to member, done
    let d4: DeadlineBody; // recA, 2026-12-20
    let deleted: DeadlineBody;

    const list = (user: TestUser, query: Record<string, string | number>) =>
      t.http.get('/api/v1/deadlines').set('Authorization', user.auth).query(query).expect(200);
    const ids = (body: { items: { id: number }[] }) => body.items.map((d) => d.id);

    beforeAll(async () => {
      listCycle = await createCycle(admin);
      recA = await createRecommendation(admin, listCycle, 'Ratify the Optional Protocol to the Convention against Torture');
      recB = await createRecommendation(admin, listCycle, 'Decriminalise defamation');
      // Created out of date order, so the list order can only come from sorting.
      d1 = await createDeadline({ recommendationId: recA, dueDate: '2027-03-01', assigneeIds: [member.id] });
      d2 = await createDeadline({ recommendationId: recB, dueDate: '2027-01-10' });
      d3 = await createDeadline({ cycleId: listCycle, dueDate: '2027-02-01', assigneeIds: [member.id, coordinator.id] });
      d4 = await createDeadline({ recommendationId: recA, dueDate: '2026-12-20' });
      deleted = await createDeadline({ recommendationId: recA, dueDate: '2026-12-01', assigneeIds: [member.id] });
      await patch(coordinator, d3.id, { state: 'done' }).expect(200);
      await t.http.delete(`/api/v1/deadlines/${deleted.id}`).set('Authorization', coordinator.auth).expect(204);
    });

    it('should list the cycle\'s deadlines soonest first without deleted ones when filtered by cycleId', async () => {
      const res = await list(member, { cycleId: listCycle });
      expect(ids(res.body)).toEqual([d4.id, d2.id, d3.id, d1.id]);
      expect(res.body).toMatchObject({ total: 4, page: 1, pageSize: 50 });
      const dueAts = res.body.items.map((d: { dueAt: string }) => d.dueAt);
      expect(dueAts).toEqual([...dueAts].sort());
      expect(res.body.items.find((d: { id: number }) => d.id === d3.id)).toMatchObject({ recommendationId: null, cycleId: listCycle });
    });

    it('should list only that recommendation\'s deadlines when filtered by recommendationId', async () => {
      const res = await list(member, { recommendationId: recA });
      expect(ids(res.body)).toEqual([d4.id, d1.id]);
      expect(res.body.total).toBe(2);
      expect((await list(member, { recommendationId: recB })).body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: d2.id })] });
    });

    it('should list only deadlines assigned to that user when filtered by assigneeId', async () => {
      const res = await list(member, { cycleId: listCycle, assigneeId: member.id });
      expect(ids(res.body)).toEqual([d3.id, d1.id]);
      expect(res.body.total).toBe(2);
      expect(ids((await list(member, { cycleId: listCycle, assigneeId: coordinator.id })).body)).toEqual([d3.id]);
    });

    it('should list only deadlines in that state when filtered by state', async () => {
      expect(ids((await list(member, { cycleId: listCycle, state: 'done' })).body)).toEqual([d3.id]);
      const open = await list(member, { cycleId: listCycle, state: 'open' });
      expect(ids(open.body)).toEqual([d4.id, d2.id, d1.id]);
      expect(open.body.items.every((d: { state: string }) => d.state === 'open')).toBe(true);
    });

    it('should return the requested page with the full total when paginated', async () => {
      const first = await list(member, { cycleId: listCycle, page: 1, pageSize: 3 });
      expect(first.body).toMatchObject({ total: 4, page: 1, pageSize: 3 });
      expect(ids(first.body)).toEqual([d4.id, d2.id, d3.id]);
      const second = await list(member, { cycleId: listCycle, page: 2, pageSize: 3 });
      expect(second.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
      expect(ids(second.body)).toEqual([d1.id]);
      const beyond = await list(member, { cycleId: listCycle, page: 3, pageSize: 3 });
      expect(beyond.body).toMatchObject({ items: [], total: 4, page: 3 });
    });

    it('should answer 400 when a list filter is malformed', async () => {
      const res = await t.http.get('/api/v1/deadlines').set('Authorization', member.auth).query({ state: 'late' }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'state' })]);
      await t.http.get('/api/v1/deadlines').set('Authorization', member.auth).query({ pageSize: 1000 }).expect(400);
    });
  });
});
