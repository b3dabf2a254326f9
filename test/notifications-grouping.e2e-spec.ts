import { createScene, dispatch, rows } from './support/notification-fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
import { statementsOf } from './support/statement-log';
import { createTestApp, TestApp } from './support/test-app';

const MEMBERS = 23;
const DEADLINES = 47;

/**
 * Grouping due notices into emails a thousand at a time (issue 14: bounded memory at 100,000
 * reminders). 23 members with 47 reminders each are 1,081 notices, so two rounds; a round takes each
 * member's notices together, and 1,000 is no multiple of 47, so one member's notices are split
 * between the rounds: they still go in one email.
 */
describe('grouping more due notices than one round', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', SMTP_MAX_CONNECTIONS: '3' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('should send each member one email carrying all their reminders', async () => {
    const scene = await createScene(t);
    await t.http.patch('/api/v1/admin/reminder-policy').set('Authorization', scene.admin.auth).send({ offsetsDays: [1], hour: 9, overdueNotice: false }).expect(200);
    const members = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await t.createUser('member'));
    t.clock.set('2027-03-01T00:00:00.000Z');
    for (let d = 0; d < DEADLINES; d++) {
      await t.http
        .post('/api/v1/deadlines')
        .set('Authorization', scene.coordinator.auth)
        .send({ recommendationId: scene.recommendationId, kind: 'mid_term_report', title: `Report ${d}`, dueDate: '2027-03-10', timeZone: 'UTC', assigneeIds: members.map((m) => m.id) })
        .expect(201);
    }
    expect(await rows(t, `SELECT id FROM notification WHERE state = 'pending'`)).toHaveLength(MEMBERS * DEADLINES);

    t.clock.set('2027-03-09T09:00:05.000Z');
    let summary: Awaited<ReturnType<typeof dispatch>> | undefined;
    const statements = await statementsOf(t.dataSource, async () => {
      summary = await dispatch(t);
    });

    // Two grouping rounds: 1,000 notices, then the 81 left (a round that is not full is the last).
    expect(statements.filter((s) => /^SELECT id, recipient_id, kind, due_at, critical FROM notification/.test(s))).toHaveLength(2);
    expect(summary).toMatchObject({ assigned: MEMBERS * DEADLINES, emailsSent: MEMBERS, notificationsSent: MEMBERS * DEADLINES, failed: 0 });
    expect(smtp.recipients().sort()).toEqual(members.map((m) => m.email).sort());
    // Every email has each of the member's deadlines in its calendar attachments.
    expect(smtp.received.map((mail) => mail.attachments.filter((a) => a.filename?.endsWith('.ics')).length)).toEqual(Array(MEMBERS).fill(DEADLINES));
    const perEmail = await rows<{ n: number | string }>(t, `SELECT COUNT(*) AS n FROM notification GROUP BY digest_id`);
    expect(perEmail.map((r) => Number(r.n))).toEqual(Array(MEMBERS).fill(DEADLINES));
    expect(await rows(t, `SELECT id FROM notification WHERE state <> 'sent'`)).toEqual([]);
    expect(await rows(t, `SELECT id FROM digest WHERE state <> 'sent'`)).toEqual([]);
    await expect(dispatch(t)).resolves.toMatchObject({ assigned: 0, emailsSent: 0 });
    // A thousand notices planned and sent: slow on a busy machine, whatever the database.
  }, 180_000);
});
