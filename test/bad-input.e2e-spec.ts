import type { Response } from 'supertest';
import { ROLES } from '../src/auth/role';
import { MECHANISMS } from '../src/vocabulary/cycle.vocabulary';
import { DEADLINE_KINDS, DEADLINE_STATES } from '../src/vocabulary/deadline.vocabulary';
import { EVIDENCE_KINDS } from '../src/vocabulary/evidence.vocabulary';
import { RESPONSES, STATUSES } from '../src/vocabulary/recommendation.vocabulary';
import { createTestApp, TestApp, TestUser } from './support/test-app';

type Method = 'get' | 'post' | 'patch' | 'delete';

interface FieldProblem {
  field: string;
  problem: string;
  allowed?: string[];
}

const API = '/api/v1';

/** Every table a request of these tests could write to. */
const TABLES = [
  'coalition', 'app_user', 'api_token', 'review_cycle', 'recommendation', 'recommendation_tag', 'recommendation_owner',
  'recommendation_follower', 'status_change', 'status_change_evidence', 'evidence', 'deadline', 'deadline_assignee',
];

/** Row counts of every table; COUNT(*) is a string on PostgreSQL and a number on SQLite. */
async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number(row.n);
  }
  return counts;
}

/**
 * A 400 in the standard shape whose details name exactly these fields (in any order); returns the
 * details. `context` only makes a failure say which request it was.
 */
function expectBadRequest(res: Response, fields: string[], context = ''): FieldProblem[] {
  expect({ context, status: res.status, body: res.body }).toMatchObject({
    context,
    status: 400,
    body: { statusCode: 400, error: 'Bad Request', message: expect.any(String), details: expect.any(Array) },
  });
  const details = res.body.details as FieldProblem[];
  expect({ context, fields: details.map((d) => d.field).sort() }).toEqual({ context, fields: [...fields].sort() });
  for (const detail of details) expect(detail.problem).toEqual(expect.any(String));
  for (const field of fields) expect(res.body.message).toContain(field);
  return details;
}

describe('bad input', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let outsider: TestUser;
  let cycleId: number;
  let recId: number;
  let deadlineId: number;

  const call = (user: TestUser, method: Method, path: string, body?: object | string) => {
    const req = t.http[method](`${API}${path}`).set('Authorization', user.auth);
    return body === undefined ? req : req.send(body);
  };

  /** Runs `action` and checks afterwards that no table gained or lost a row. */
  const expectNothingWritten = async (action: () => Promise<void>) => {
    const before = await rowCounts(t);
    await action();
    expect(await rowCounts(t)).toEqual(before);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition A');
    coordinator = await t.createUser('coordinator', 'Coalition A');
    outsider = await t.createUser('admin', 'Coalition B');
    cycleId = (await call(admin, 'post', '/cycles', { number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
    recId = (
      await call(admin, 'post', `/cycles/${cycleId}/recommendations`, {
        text: 'Abolish the death penalty', recommendingStates: ['Portugal'], themes: ['death penalty'], ownerIds: [coordinator.id],
      }).expect(201)
    ).body.id;
    deadlineId = (
      await call(admin, 'post', '/deadlines', { recommendationId: recId, kind: 'evidence_due', dueDate: '2027-01-15', timeZone: 'Europe/Berlin' }).expect(201)
    ).body.id;
  });
  afterAll(async () => t?.close());

  describe('unknown fields', () => {
    it('should answer 400 naming isAdmin when a new cycle carries an unknown field', async () => {
      await expectNothingWritten(async () => {
        const res = await call(admin, 'post', '/cycles', { number: 1, stateUnderReview: 'Chile', isAdmin: true });
        const [detail] = expectBadRequest(res, ['isAdmin']);
        expect(detail.problem).toMatch(/should not exist/);
      });
    });

    it('should answer 400 naming the field when a request sets something the API does not let it set', async () => {
      const before = (await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body;
      await expectNothingWritten(async () => {
        expectBadRequest(await call(admin, 'post', `/cycles/${cycleId}/recommendations`, { text: 'T', status: 'fully_implemented' }), ['status'], 'create rec');
        expectBadRequest(await call(admin, 'patch', `/recommendations/${recId}`, { status: 'fully_implemented' }), ['status'], 'patch rec status');
        expectBadRequest(await call(admin, 'patch', `/recommendations/${recId}`, { text: 'Hijacked', coalitionId: outsider.coalitionId }), ['coalitionId'], 'patch rec coalition');
        expectBadRequest(await call(admin, 'patch', `/cycles/${cycleId}`, { state: 'closed' }), ['state'], 'patch cycle state');
        expectBadRequest(
          await call(admin, 'post', '/deadlines', { cycleId, kind: 'other', dueDate: '2027-01-01', timeZone: 'UTC', version: 7 }),
          ['version'],
          'create deadline',
        );
        expectBadRequest(await call(admin, 'patch', `/deadlines/${deadlineId}`, { recommendationId: 99 }), ['recommendationId'], 'patch deadline');
        expectBadRequest(await call(admin, 'patch', `/users/${coordinator.id}`, { email: 'new@example.org' }), ['email'], 'patch user');
        expectBadRequest(await call(admin, 'post', '/me/tokens', { label: 'x', userId: coordinator.id }), ['userId'], 'create token');
      });
      expect((await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body).toEqual(before);
      expect((await call(admin, 'get', `/cycles/${cycleId}`).expect(200)).body.state).toBe('open');
    });
  });

  describe('wrong types', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['number as a word', { number: 'four' }, 'number'],
      ['number as a numeric string', { number: '4' }, 'number'],
      ['number with a fraction', { number: 4.5 }, 'number'],
      ['text as a list', { text: ['Abolish'] }, 'text'],
      ['recommendingStates as a string', { recommendingStates: 'France' }, 'recommendingStates'],
      ['recommendingStates holding a number', { recommendingStates: [7] }, 'recommendingStates'],
      ['sdgs out of range', { sdgs: [18] }, 'sdgs'],
      ['sdgs as strings', { sdgs: ['5'] }, 'sdgs'],
      ['actionCategory out of range', { actionCategory: 9 }, 'actionCategory'],
      ['ownerIds as strings', { ownerIds: ['1'] }, 'ownerIds'],
      ['predecessorId as a word', { predecessorId: 'first' }, 'predecessorId'],
    ];

    it.each(cases)('should answer 400 naming the field when a new recommendation has %s', async (_label, fields, field) => {
      await expectNothingWritten(async () => {
        const path = field === 'number' ? '/cycles' : `/cycles/${cycleId}/recommendations`;
        const base = field === 'number' ? { stateUnderReview: 'Chile' } : { text: 'Ratify the Convention' };
        expectBadRequest(await call(admin, 'post', path, { ...base, ...fields }), [field]);
      });
    });

    it('should answer 400 naming the field when stateUnderReview, title or confidential has the wrong type', async () => {
      await expectNothingWritten(async () => {
        expectBadRequest(await call(admin, 'post', '/cycles', { number: 1, stateUnderReview: 42 }), ['stateUnderReview'], 'cycle');
        expectBadRequest(
          await call(admin, 'post', `/recommendations/${recId}/evidence`, { kind: 'link', title: 'T', url: 'https://example.org', confidential: 'yes' }),
          ['confidential'],
          'evidence confidential',
        );
        expectBadRequest(
          await call(admin, 'post', `/recommendations/${recId}/evidence`, { kind: 'link', title: 'T', url: 'ftp://example.org/file' }),
          ['url'],
          'evidence url',
        );
        expectBadRequest(await call(admin, 'patch', `/users/${coordinator.id}`, { active: 'no' }), ['active'], 'user active');
      });
    });

    it('should answer 400 and change nothing when a PATCH sets a field that cannot be empty to null', async () => {
      const snapshot = async () => ({
        cycle: (await call(admin, 'get', `/cycles/${cycleId}`).expect(200)).body,
        rec: (await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body,
        deadline: (await call(admin, 'get', `/deadlines/${deadlineId}`).expect(200)).body,
        users: (await call(admin, 'get', '/users').expect(200)).body.items,
      });
      const before = await snapshot();
      const attempts: [string, Record<string, unknown>, string][] = [
        [`/cycles/${cycleId}`, { number: null }, 'number'],
        [`/cycles/${cycleId}`, { stateUnderReview: null }, 'stateUnderReview'],
        [`/cycles/${cycleId}`, { mechanism: null }, 'mechanism'],
        [`/recommendations/${recId}`, { text: null }, 'text'],
        [`/recommendations/${recId}`, { response: null }, 'response'],
        [`/recommendations/${recId}`, { recommendingStates: null }, 'recommendingStates'],
        [`/recommendations/${recId}`, { themes: null }, 'themes'],
        [`/recommendations/${recId}`, { sdgs: null }, 'sdgs'],
        [`/recommendations/${recId}`, { ownerIds: null }, 'ownerIds'],
        [`/deadlines/${deadlineId}`, { kind: null }, 'kind'],
        [`/deadlines/${deadlineId}`, { dueDate: null }, 'dueDate'],
        [`/deadlines/${deadlineId}`, { timeZone: null }, 'timeZone'],
        [`/deadlines/${deadlineId}`, { state: null }, 'state'],
        [`/deadlines/${deadlineId}`, { assigneeIds: null }, 'assigneeIds'],
        [`/users/${coordinator.id}`, { name: null }, 'name'],
        [`/users/${coordinator.id}`, { role: null }, 'role'],
        [`/users/${coordinator.id}`, { active: null }, 'active'],
      ];
      await expectNothingWritten(async () => {
        for (const [path, body, field] of attempts) {
          expectBadRequest(await call(admin, 'patch', path, body), [field], `PATCH ${path} ${JSON.stringify(body)}`);
        }
      });
      expect(await snapshot()).toEqual(before);
    });

    it('should clear the value when a PATCH sets a field that may be empty to null', async () => {
      const rec = (
        await call(admin, 'post', `/cycles/${cycleId}/recommendations`, { text: 'Protect journalists', paragraph: '12.3', actionCategory: 4 }).expect(201)
      ).body;
      const cleared = await call(admin, 'patch', `/recommendations/${rec.id}`, { paragraph: null, actionCategory: null, predecessorId: null }).expect(200);
      expect(cleared.body).toMatchObject({ paragraph: null, actionCategory: null, predecessorId: null, text: 'Protect journalists' });
      const deadline = await call(admin, 'patch', `/deadlines/${deadlineId}`, { dueTime: null, title: null }).expect(200);
      expect(deadline.body).toMatchObject({ dueTime: null, title: null, timeZone: 'Europe/Berlin' });
    });
  });

  describe('enumerations', () => {
    it('should answer 400 listing the allowed values when response, status or mechanism is not one of them', async () => {
      await expectNothingWritten(async () => {
        const [response] = expectBadRequest(await call(admin, 'post', `/cycles/${cycleId}/recommendations`, { text: 'T', response: 'accepted' }), ['response']);
        expect(response.allowed).toEqual([...RESPONSES]);
        expect(response.problem).toContain('supported_in_part');

        const [patched] = expectBadRequest(await call(admin, 'patch', `/recommendations/${recId}`, { response: 'accepted' }), ['response']);
        expect(patched.allowed).toEqual([...RESPONSES]);

        const [status] = expectBadRequest(await call(admin, 'post', `/recommendations/${recId}/status`, { status: 'done', note: 'Finished' }), ['status']);
        expect(status.allowed).toEqual([...STATUSES]);

        const [mechanism] = expectBadRequest(await call(admin, 'post', '/cycles', { number: 1, stateUnderReview: 'Chile', mechanism: 'court' }), ['mechanism']);
        expect(mechanism.allowed).toEqual([...MECHANISMS]);
      });
      const rec = (await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body;
      expect(rec).toMatchObject({ response: 'pending', status: 'not_assessed', history: [] });
    });

    it('should answer 400 listing the allowed values when a deadline, evidence or user enumeration is not one of them', async () => {
      await expectNothingWritten(async () => {
        const [kind] = expectBadRequest(
          await call(admin, 'post', '/deadlines', { cycleId, kind: 'meeting', dueDate: '2027-01-01', timeZone: 'UTC' }),
          ['kind'],
        );
        expect(kind.allowed).toEqual([...DEADLINE_KINDS]);
        const [state] = expectBadRequest(await call(admin, 'patch', `/deadlines/${deadlineId}`, { state: 'finished' }), ['state']);
        expect(state.allowed).toEqual([...DEADLINE_STATES]);
        const [evidenceKind] = expectBadRequest(
          await call(admin, 'post', `/recommendations/${recId}/evidence`, { kind: 'video', title: 'T', url: 'https://example.org' }),
          ['kind'],
        );
        expect(evidenceKind.allowed).toEqual([...EVIDENCE_KINDS]);
        const [role] = expectBadRequest(await call(admin, 'patch', `/users/${coordinator.id}`, { role: 'owner' }), ['role']);
        expect(role.allowed).toEqual([...ROLES]);
      });
      expect((await call(admin, 'get', `/deadlines/${deadlineId}`).expect(200)).body.state).toBe('open');
    });
  });

  describe('several problems at once', () => {
    it('should list every offending field when a request has several bad fields', async () => {
      await expectNothingWritten(async () => {
        const res = await call(admin, 'post', '/cycles', {
          number: 'four', stateUnderReview: '', mechanism: 'court', reviewDate: '2020-13-01', isAdmin: true,
        });
        const details = expectBadRequest(res, ['number', 'stateUnderReview', 'mechanism', 'reviewDate', 'isAdmin']);
        expect(details.find((d) => d.field === 'mechanism')?.allowed).toEqual([...MECHANISMS]);

        const rec = await call(admin, 'post', `/cycles/${cycleId}/recommendations`, {
          text: '   ', recommendingStates: 'France', sdgs: [0, 18], actionCategory: 9, response: 'accepted',
        });
        expectBadRequest(rec, ['text', 'recommendingStates', 'sdgs', 'actionCategory', 'response']);

        const deadline = await call(admin, 'post', '/deadlines', { kind: 'x', dueDate: '2021-02-29', dueTime: '25:00', timeZone: 'Mars/Olympus' });
        expectBadRequest(deadline, ['recommendationId', 'cycleId', 'kind', 'dueDate', 'dueTime', 'timeZone']);
      });
    });
  });

  describe('dates and time zones', () => {
    it('should answer 400 naming the field when a cycle date is not a real calendar date', async () => {
      const dates: [string, string][] = [
        ['reviewDate', '2020-13-01'],
        ['adoptionDate', '2021-02-29'],
        ['midTermReportDate', '2021-04-31'],
        ['closeDate', '2021-1-5'],
        ['stakeholderSubmissionDate', '19 March 2020'],
        ['reviewDate', '2020-11-09T10:00:00Z'],
      ];
      await expectNothingWritten(async () => {
        for (const [field, value] of dates) {
          const [detail] = expectBadRequest(await call(admin, 'post', '/cycles', { number: 1, stateUnderReview: 'Chile', [field]: value }), [field], value);
          expect(detail.problem).toMatch(/YYYY-MM-DD/);
        }
        expectBadRequest(await call(admin, 'patch', `/cycles/${cycleId}`, { adoptionDate: '2021-02-29' }), ['adoptionDate'], 'patch');
      });
      expect((await call(admin, 'get', `/cycles/${cycleId}`).expect(200)).body.adoptionDate).toBeNull();
    });

    it('should accept 29 February when the year is a leap year', async () => {
      const res = await call(admin, 'post', '/cycles', { number: 2, stateUnderReview: 'Latvia', reviewDate: '2024-02-29' }).expect(201);
      expect(res.body.reviewDate).toBe('2024-02-29');
    });

    it('should answer 400 naming the field when a deadline has a bad date, time or time zone', async () => {
      const base = { cycleId, kind: 'other', dueDate: '2027-01-01', timeZone: 'UTC' };
      const bad: [Record<string, unknown>, string][] = [
        [{ dueDate: '2021-02-29' }, 'dueDate'],
        [{ dueDate: '2027-13-01' }, 'dueDate'],
        [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
        [{ timeZone: 'America/New York' }, 'timeZone'],
        [{ timeZone: 'UTC+2' }, 'timeZone'],
        [{ timeZone: '' }, 'timeZone'],
        [{ timeZone: 5 }, 'timeZone'],
        [{ dueTime: '24:00' }, 'dueTime'],
        [{ dueTime: '9:00' }, 'dueTime'],
      ];
      await expectNothingWritten(async () => {
        for (const [override, field] of bad) {
          expectBadRequest(await call(admin, 'post', '/deadlines', { ...base, ...override }), [field], JSON.stringify(override));
        }
      });
    });

    it('should answer 400 and leave the deadline unchanged when a PATCH names an unknown time zone', async () => {
      const before = (await call(admin, 'get', `/deadlines/${deadlineId}`).expect(200)).body;
      const [detail] = expectBadRequest(await call(admin, 'patch', `/deadlines/${deadlineId}`, { timeZone: 'Europe/Atlantis' }), ['timeZone']);
      expect(detail.problem).toMatch(/IANA/);
      expectBadRequest(await call(admin, 'patch', `/deadlines/${deadlineId}`, { dueDate: '2027-02-30' }), ['dueDate']);
      expect((await call(admin, 'get', `/deadlines/${deadlineId}`).expect(200)).body).toEqual(before);
    });
  });

  describe('malformed bodies', () => {
    it('should answer 400 "not valid JSON" when the body is malformed JSON', async () => {
      const before = (await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body;
      await expectNothingWritten(async () => {
        for (const raw of ['{"number": 1,', "{'text': 'single quotes'}", '{"number": 1, "stateUnderReview": "X"} trailing']) {
          const res = await t.http.post(`${API}/cycles`).set('Authorization', admin.auth).set('Content-Type', 'application/json').send(raw);
          expect({ raw, status: res.status, body: res.body }).toEqual({
            raw,
            status: 400,
            body: { statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/not valid JSON/), details: [{ field: 'body', problem: 'not valid JSON' }] },
          });
        }
        const patch = await t.http.patch(`${API}/recommendations/${recId}`).set('Authorization', admin.auth).set('Content-Type', 'application/json').send('{"text": ');
        expect(patch.status).toBe(400);
        expect(patch.body.message).toMatch(/not valid JSON/);
      });
      expect((await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body).toEqual(before);
    });
  });

  describe('path parameters', () => {
    it('should answer 400 naming id when a path id is not a positive whole number', async () => {
      const paths: [Method, string, string][] = [
        ['get', '/recommendations/abc', 'id'],
        ['get', '/recommendations/0', 'id'],
        ['get', '/recommendations/1.5', 'id'],
        ['get', '/recommendations/-1', 'id'],
        ['get', '/recommendations/1e3', 'id'],
        ['get', '/recommendations/0x10', 'id'],
        ['get', '/cycles/%207', 'id'],
        ['get', '/cycles/abc', 'id'],
        ['get', '/deadlines/abc', 'id'],
        ['delete', '/deadlines/abc', 'id'],
        ['get', '/evidence/abc/file', 'id'],
        ['get', '/recommendations/abc/evidence', 'id'],
        ['post', '/recommendations/abc/follow', 'id'],
        ['delete', '/me/tokens/abc', 'id'],
      ];
      for (const [method, path, field] of paths) {
        const [detail] = expectBadRequest(await call(admin, method, path), [field], `${method} ${path}`);
        expect(detail.problem).toMatch(/not a positive whole number/);
      }
      // A plain id still reaches the recommendation.
      expect((await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body.id).toBe(recId);
    });

    it('should answer 400 naming the parameter and write nothing when a write names a non-numeric id', async () => {
      await expectNothingWritten(async () => {
        expectBadRequest(await call(admin, 'patch', '/recommendations/abc', { text: 'Changed' }), ['id'], 'patch rec');
        expectBadRequest(await call(admin, 'post', '/recommendations/abc/status', { status: 'in_progress', note: 'n' }), ['id'], 'status');
        expectBadRequest(await call(admin, 'post', '/cycles/abc/recommendations', { text: 'New' }), ['cycleId'], 'create rec');
        expectBadRequest(await call(admin, 'patch', '/users/abc', { name: 'X' }), ['id'], 'patch user');
      });
    });
  });

  describe('query parameters', () => {
    it('should answer 400 naming the parameter when a list query is out of range or unknown', async () => {
      const queries: [string, string, string][] = [
        ['/recommendations', 'pageSize=1000', 'pageSize'],
        ['/recommendations', 'pageSize=0', 'pageSize'],
        ['/recommendations', 'page=0', 'page'],
        ['/recommendations', 'page=two', 'page'],
        ['/recommendations', 'cycleId=abc', 'cycleId'],
        ['/recommendations', 'ownerId=1.5', 'ownerId'],
        ['/recommendations', 'sort=text', 'sort'],
        ['/deadlines', 'pageSize=1000', 'pageSize'],
        ['/deadlines', 'recommendationId=x', 'recommendationId'],
      ];
      for (const [path, query, field] of queries) {
        expectBadRequest(await call(admin, 'get', `${path}?${query}`), [field], `${path}?${query}`);
      }
      // The limit itself is fine.
      expect((await call(admin, 'get', '/recommendations?pageSize=200').expect(200)).body.pageSize).toBe(200);
    });

    it('should answer 400 listing the allowed values when a status or state filter is bogus', async () => {
      const [status] = expectBadRequest(await call(admin, 'get', '/recommendations?status=bogus'), ['status']);
      expect(status.allowed).toEqual([...STATUSES]);
      const [response] = expectBadRequest(await call(admin, 'get', '/recommendations?response=accepted'), ['response']);
      expect(response.allowed).toEqual([...RESPONSES]);
      const [state] = expectBadRequest(await call(admin, 'get', '/deadlines?state=late'), ['state']);
      expect(state.allowed).toEqual([...DEADLINE_STATES]);
    });
  });

  describe('people of another coalition', () => {
    it('should answer 400 naming ownerIds and write nothing when a new recommendation names a user of another coalition', async () => {
      await expectNothingWritten(async () => {
        const res = await call(admin, 'post', `/cycles/${cycleId}/recommendations`, {
          text: 'Ratify the Optional Protocol', recommendingStates: ['France'], themes: ['torture'], ownerIds: [coordinator.id, outsider.id],
        });
        const [detail] = expectBadRequest(res, ['ownerIds']);
        expect(detail.problem).toContain(String(outsider.id));
        expect(detail.problem).not.toContain(String(coordinator.id));
      });
    });

    it('should answer 400 naming ownerIds and leave the recommendation unchanged when a PATCH names a user of another coalition', async () => {
      const before = (await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body;
      await expectNothingWritten(async () => {
        const res = await call(admin, 'patch', `/recommendations/${recId}`, { text: 'Changed', themes: ['Torture'], ownerIds: [outsider.id] });
        expectBadRequest(res, ['ownerIds']);
        expectBadRequest(await call(admin, 'patch', `/recommendations/${recId}`, { ownerIds: [999999] }), ['ownerIds'], 'unknown id');
      });
      const after = (await call(admin, 'get', `/recommendations/${recId}`).expect(200)).body;
      expect(after).toEqual(before);
      expect(after.ownerIds).toEqual([coordinator.id]);
    });

    it('should answer 400 naming assigneeIds and write nothing when a deadline names a user of another coalition', async () => {
      const before = (await call(admin, 'get', `/deadlines/${deadlineId}`).expect(200)).body;
      await expectNothingWritten(async () => {
        expectBadRequest(
          await call(admin, 'post', '/deadlines', { cycleId, kind: 'other', dueDate: '2027-01-01', timeZone: 'UTC', assigneeIds: [outsider.id] }),
          ['assigneeIds'],
          'create',
        );
        expectBadRequest(await call(admin, 'patch', `/deadlines/${deadlineId}`, { title: 'Changed', assigneeIds: [outsider.id] }), ['assigneeIds'], 'patch');
      });
      expect((await call(admin, 'get', `/deadlines/${deadlineId}`).expect(200)).body).toEqual(before);
    });
  });

  describe('status change note', () => {
    it('should answer 400 naming note and leave status and history unchanged when the note is missing or blank', async () => {
      const rec = (await call(admin, 'post', `/cycles/${cycleId}/recommendations`, { text: 'Free political prisoners' }).expect(201)).body;
      const changes = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM status_change'))[0].n);
      const changesBefore = await changes();
      await expectNothingWritten(async () => {
        for (const body of [{ status: 'in_progress' }, { status: 'in_progress', note: '' }, { status: 'in_progress', note: '   ' }, { status: 'in_progress', note: '\n\t ' }, { status: 'in_progress', note: 42 }, { status: 'in_progress', note: null }]) {
          const [detail] = expectBadRequest(await call(coordinator, 'post', `/recommendations/${rec.id}/status`, body), ['note'], JSON.stringify(body));
          expect(detail.problem).toMatch(/note is required/);
        }
      });
      expect(await changes()).toBe(changesBefore);
      const after = (await call(admin, 'get', `/recommendations/${rec.id}`).expect(200)).body;
      expect(after).toMatchObject({ status: 'not_assessed', history: [] });

      // With a note the same change goes through, and the note is kept trimmed.
      const ok = await call(coordinator, 'post', `/recommendations/${rec.id}/status`, { status: 'in_progress', note: '  Bill tabled in parliament  ' }).expect(201);
      expect(ok.body.status).toBe('in_progress');
      expect(ok.body.history).toEqual([expect.objectContaining({ fromStatus: 'not_assessed', toStatus: 'in_progress', note: 'Bill tabled in parliament' })]);
      expect(await changes()).toBe(changesBefore + 1);
    });
  });

  describe('oversized bodies', () => {
    let small: TestApp;
    let smallAdmin: TestUser;
    let smallCycleId: number;

    beforeAll(async () => {
      small = await createTestApp({ BODY_LIMIT_KB: '16' });
      smallAdmin = await small.createUser('admin', 'Coalition A');
      smallCycleId = (await small.http.post(`${API}/cycles`).set('Authorization', smallAdmin.auth).send({ number: 1, stateUnderReview: 'Chile' }).expect(201)).body.id;
    });
    afterAll(async () => small?.close());

    const recommendationCount = async () => Number((await small.dataSource.query('SELECT COUNT(*) AS n FROM recommendation'))[0].n);

    it('should answer 413 with a message and write nothing when the body is larger than BODY_LIMIT_KB', async () => {
      const before = await recommendationCount();
      const res = await small.http
        .post(`${API}/cycles/${smallCycleId}/recommendations`)
        .set('Authorization', smallAdmin.auth)
        .send({ text: 'a'.repeat(64 * 1024) });
      expect({ status: res.status, body: res.body }).toEqual({
        status: 413,
        body: { statusCode: 413, error: 'Payload Too Large', message: 'The request body is larger than this server accepts' },
      });
      expect(await recommendationCount()).toBe(before);
    });

    it('should accept the same request when the body is under BODY_LIMIT_KB', async () => {
      const before = await recommendationCount();
      const res = await small.http
        .post(`${API}/cycles/${smallCycleId}/recommendations`)
        .set('Authorization', smallAdmin.auth)
        .send({ text: 'a'.repeat(8 * 1024) })
        .expect(201);
      expect(res.body.text).toHaveLength(8 * 1024);
      expect(await recommendationCount()).toBe(before + 1);
    });
  });
});
