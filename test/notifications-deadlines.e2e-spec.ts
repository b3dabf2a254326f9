import { Notification } from '../src/notifications/notification.entity';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { SmtpTestServer } from './support/smtp-test-server';
import { createScene, DAY, dispatch, HOUR, rows, Scene, setPreferences } from './support/notification-fixtures';

/** Reliability scenarios 5, 6, 7 and 9: reminders in time, across downtime, clock jumps and daylight saving. */
describe('deadline reminders', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let scene: Scene;
  let assignee: TestUser;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000' });
    scene = await createScene(t);
    assignee = await t.createUser('member');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    smtp.received.length = 0;
    await setPreferences(t, assignee, { timeZone: 'UTC', reminders: 'immediate' });
    // Each test plans its own deadlines; earlier ones must not leak reminders into it.
    await rows(t, `UPDATE notification SET state = 'cancelled' WHERE state = 'pending'`);
    await rows(t, `UPDATE deadline SET state = 'done'`);
  });

  const createDeadline = async (body: Record<string, unknown>) =>
    (await t.http
      .post('/api/v1/deadlines')
      .set('Authorization', scene.coordinator.auth)
      .send({ recommendationId: scene.recommendationId, kind: 'mid_term_report', assigneeIds: [assignee.id], ...body })
      .expect(201)).body;
  const setPolicy = (body: object) => t.http.patch('/api/v1/admin/reminder-policy').set('Authorization', scene.admin.auth).send(body).expect(200);
  /** Steps the clock through a period, dispatching at each step, as the 15-second poll would (coarser). */
  const runThrough = async (from: string, to: string, stepMs: number) => {
    const sentAt: string[] = [];
    for (let at = new Date(from).getTime(); at <= new Date(to).getTime(); at += stepMs) {
      t.clock.set(new Date(at));
      const before = smtp.received.length;
      await dispatch(t);
      for (let i = before; i < smtp.received.length; i++) sentAt.push(new Date(at).toISOString());
    }
    return sentAt;
  };

  it('should remind each assignee at 09:00 in their own time zone, 14, 7 and 1 days before', async () => {
    await setPolicy({ offsetsDays: [14, 7, 1], hour: 9, overdueNotice: true });
    await setPreferences(t, assignee, { timeZone: 'Asia/Manila' });
    t.clock.set('2027-05-01T00:00:00.000Z');
    const deadline = await createDeadline({ dueDate: '2027-05-20', dueTime: '17:00', timeZone: 'America/New_York', title: 'Mid-term report' });
    const planned = await t.dataSource.getRepository(Notification).find({ where: { deadlineId: deadline.id, recipientId: assignee.id }, order: { dueAt: 'ASC' } });
    // 09:00 in Manila (UTC+8) is 01:00 UTC.
    expect(planned.map((p) => [p.kind, p.dueAt.toISOString()])).toEqual([
      ['deadline_reminder', '2027-05-06T01:00:00.000Z'],
      ['deadline_reminder', '2027-05-13T01:00:00.000Z'],
      ['deadline_reminder', '2027-05-19T01:00:00.000Z'],
      ['deadline_overdue', '2027-05-20T21:00:00.000Z'],
    ]);
    const sent = await runThrough('2027-05-05T23:00:00.000Z', '2027-05-06T03:00:00.000Z', 30 * 60_000);
    expect(sent).toEqual(['2027-05-06T01:00:00.000Z']);
    const mail = smtp.received[0];
    expect(mail.subject).toBe('Reminder: Mid-term report due: Mid-term report, due Fri 21 May 2027, 05:00 GMT+8');
    const ics = mail.attachments.find((a) => a.filename === `deadline-${deadline.id}.ics`)!;
    const calendar = ics.content.toString();
    expect(calendar).toContain('METHOD:REQUEST');
    expect(calendar).toContain(`UID:deadline-${deadline.id}@localhost`);
    expect(calendar).toContain('SEQUENCE:1');
    expect(calendar).toContain('DTSTART:20270520T210000Z'); // 17:00 in New York
  });

  it('should send one reminder at once for a deadline set for tomorrow when every reminder time has passed', async () => {
    await setPolicy({ offsetsDays: [14, 7, 1], hour: 9 });
    t.clock.set('2027-06-10T15:00:00.000Z');
    await createDeadline({ dueDate: '2027-06-11', dueTime: '12:00', timeZone: 'UTC' });
    await dispatch(t);
    expect(smtp.recipients()).toEqual([assignee.email]);
    expect(smtp.received[0].subject).toMatch(/^Reminder: /);
  });

  it('should never send reminders of a moved deadline\'s old date, and cancel a deleted one in the calendar (scenario 9)', async () => {
    await setPolicy({ offsetsDays: [1], hour: 9 });
    t.clock.set('2027-07-01T00:00:00.000Z');
    const deadline = await createDeadline({ dueDate: '2027-07-10', timeZone: 'UTC', title: 'Evidence pack' });
    await t.http.patch(`/api/v1/deadlines/${deadline.id}`).set('Authorization', scene.coordinator.auth).send({ dueDate: '2027-07-20' }).expect(200);
    // The old reminder (9 July) must not go out; the new one (19 July) must, with SEQUENCE 2.
    expect(await runThrough('2027-07-09T08:00:00.000Z', '2027-07-09T12:00:00.000Z', HOUR)).toEqual([]);
    expect(await runThrough('2027-07-19T08:00:00.000Z', '2027-07-19T10:00:00.000Z', HOUR)).toEqual(['2027-07-19T09:00:00.000Z']);
    expect(smtp.received[0].attachments[0].content.toString()).toContain('SEQUENCE:2');

    await t.http.delete(`/api/v1/deadlines/${deadline.id}`).set('Authorization', scene.coordinator.auth).expect(204);
    smtp.received.length = 0;
    expect(await runThrough('2027-07-19T10:00:00.000Z', '2027-07-21T10:00:00.000Z', 6 * HOUR)).toHaveLength(1);
    expect(smtp.received[0].subject).toMatch(/^Cancelled: /);
    const cancel = smtp.received[0].attachments[0].content.toString();
    expect(cancel).toContain('METHOD:CANCEL');
    expect(cancel).toContain('STATUS:CANCELLED');
    expect(cancel).toContain(`UID:deadline-${deadline.id}@localhost`);
    expect(cancel).toContain('SEQUENCE:3');
    // No overdue notice for a deleted deadline.
    const overdue = await rows<{ state: string }>(t, `SELECT state FROM notification WHERE deadline_id = ${deadline.id} AND kind = 'deadline_overdue'`);
    expect(overdue.every((o) => o.state === 'cancelled')).toBe(true);
  });

  it('should send what came due while the service was down, and at most one overdue notice for a deadline that passed (scenario 5)', async () => {
    await setPolicy({ offsetsDays: [14, 7, 1], hour: 9, overdueNotice: true });
    t.clock.set('2027-08-01T00:00:00.000Z');
    await createDeadline({ dueDate: '2027-08-20', dueTime: '12:00', timeZone: 'UTC', title: 'Shadow report' });
    // Down from 1 August to 25 August: three reminders and the deadline itself passed meanwhile.
    t.clock.set('2027-08-25T10:00:00.000Z');
    await dispatch(t);
    await dispatch(t);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Overdue: Mid-term report due: Shadow report, was due Fri 20 Aug 2027, 12:00 UTC']);
    const states = await rows<{ kind: string; state: string }>(t, `SELECT kind, state FROM notification WHERE recipient_id = ${assignee.id} AND kind IN ('deadline_reminder', 'deadline_overdue') AND created_at IS NOT NULL ORDER BY id DESC LIMIT 4`);
    expect(states.map((s) => `${s.kind}:${s.state}`).sort()).toEqual([
      'deadline_overdue:sent', 'deadline_reminder:cancelled', 'deadline_reminder:cancelled', 'deadline_reminder:cancelled',
    ]);
  });

  it('should send a reminder that came due during downtime as soon as the service is back', async () => {
    await setPolicy({ offsetsDays: [7], hour: 9 });
    t.clock.set('2027-09-01T00:00:00.000Z');
    await createDeadline({ dueDate: '2027-09-20', timeZone: 'UTC' });
    t.clock.set('2027-09-15T18:00:00.000Z'); // the 13 September reminder is late, the deadline still ahead
    await dispatch(t);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].subject).toMatch(/^Reminder: /);
  });

  it('should send nothing twice and skip nothing when the clock jumps back an hour and forward again (scenario 6)', async () => {
    await setPolicy({ offsetsDays: [2, 1], hour: 9 });
    t.clock.set('2027-10-01T00:00:00.000Z');
    await createDeadline({ dueDate: '2027-10-10', timeZone: 'UTC' });
    t.clock.set('2027-10-08T09:00:30.000Z');
    await dispatch(t);
    expect(smtp.received).toHaveLength(1);
    t.clock.set('2027-10-08T08:00:30.000Z'); // back one hour
    await dispatch(t);
    t.clock.set('2027-10-08T09:00:30.000Z');
    await dispatch(t);
    expect(smtp.received).toHaveLength(1);
    t.clock.set('2027-10-09T10:30:00.000Z'); // forward past the next reminder
    await dispatch(t);
    await dispatch(t);
    expect(smtp.received).toHaveLength(2);
  });

  describe('daylight-saving days (scenario 7)', () => {
    const cases = [
      { zone: 'America/New_York', day: '2027-03-14', nine: '2027-03-14T13:00:00.000Z', name: 'New York, spring forward' },
      { zone: 'America/New_York', day: '2026-11-01', nine: '2026-11-01T14:00:00.000Z', name: 'New York, fall back' },
      { zone: 'Europe/Berlin', day: '2027-03-28', nine: '2027-03-28T07:00:00.000Z', name: 'Berlin, spring forward' },
      { zone: 'Europe/Berlin', day: '2026-10-25', nine: '2026-10-25T08:00:00.000Z', name: 'Berlin, fall back' },
    ];
    for (const c of cases) {
      it(`should fire a 09:00 local reminder exactly once on the ${c.name} day`, async () => {
        await setPolicy({ offsetsDays: [1], hour: 9, overdueNotice: false });
        await setPreferences(t, assignee, { timeZone: c.zone });
        t.clock.set(new Date(new Date(`${c.day}T00:00:00Z`).getTime() - 3 * DAY));
        const next = new Date(new Date(`${c.day}T12:00:00Z`).getTime() + DAY).toISOString().slice(0, 10);
        await createDeadline({ dueDate: next, dueTime: '12:00', timeZone: c.zone });
        const sent = await runThrough(`${c.day}T00:00:00.000Z`, new Date(new Date(`${c.day}T00:00:00Z`).getTime() + DAY + 6 * HOUR).toISOString(), 15 * 60_000);
        expect(sent).toEqual([c.nine]);
      });
    }

    it('should fire once for a 02:30 deadline on the spring-forward day, which does not exist in New York', async () => {
      await setPolicy({ offsetsDays: [], hour: 9, overdueNotice: true });
      t.clock.set('2027-03-10T00:00:00.000Z');
      const deadline = await createDeadline({ dueDate: '2027-03-14', dueTime: '02:30', timeZone: 'America/New_York' });
      expect(deadline.dueAt).toBe('2027-03-14T07:30:00.000Z'); // moved forward by the gap, to 03:30 EDT
      const sent = await runThrough('2027-03-14T04:00:00.000Z', '2027-03-14T12:00:00.000Z', 15 * 60_000);
      expect(smtp.received.map((m) => m.subject)).toEqual([expect.stringMatching(/^Overdue: /)]);
      expect(sent).toEqual(['2027-03-14T07:30:00.000Z']);
    });
  });

  it('should put many reminders due at once for one member into one email (scenario 8, small)', async () => {
    await setPolicy({ offsetsDays: [1], hour: 9 });
    const members = [await t.createUser('member'), await t.createUser('member'), await t.createUser('member')];
    t.clock.set('2027-11-01T00:00:00.000Z');
    for (let i = 0; i < 10; i++) await createDeadline({ dueDate: '2027-11-10', timeZone: 'UTC', assigneeIds: members.map((m) => m.id), title: `Item ${i}` });
    t.clock.set('2027-11-09T09:00:10.000Z');
    const summary = await dispatch(t);
    expect(summary).toMatchObject({ emailsSent: 3, notificationsSent: 30 });
    expect(smtp.recipients().sort()).toEqual(members.map((m) => m.email).sort());
    expect(smtp.received[0].subject).toBe('upr-followup: 10 deadline notices');
    expect(smtp.received[0].attachments).toHaveLength(10);
  });

  it('should send an evidence-due notice only when no evidence arrived by the deadline', async () => {
    await setPolicy({ offsetsDays: [], hour: 9, overdueNotice: false });
    t.clock.set('2027-12-01T00:00:00.000Z');
    await createDeadline({ kind: 'evidence_due', dueDate: '2027-12-05', dueTime: '10:00', timeZone: 'UTC' });
    t.clock.set('2027-12-05T10:01:00.000Z');
    await dispatch(t);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Evidence due: no evidence was added by Sun 5 Dec 2027, 10:00 UTC']);

    smtp.received.length = 0;
    t.clock.set('2027-12-06T00:00:00.000Z');
    await createDeadline({ kind: 'evidence_due', dueDate: '2027-12-08', dueTime: '10:00', timeZone: 'UTC' });
    await t.http
      .post(`/api/v1/recommendations/${scene.recommendationId}/evidence`)
      .set('Authorization', assignee.auth)
      .send({ kind: 'link', title: 'Court ruling', url: 'https://example.org/ruling' })
      .expect(201);
    t.clock.set('2027-12-08T10:01:00.000Z');
    await dispatch(t);
    expect(smtp.received.map((m) => m.subject)).toEqual([]);
  });
});
