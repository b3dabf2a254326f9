import { DispatchSummary, NotificationDispatcher } from '../src/notifications/notification-dispatcher.service';
import { NotificationsRepository } from '../src/notifications/notifications.repository';
import { changeStatus, createScene, follow, rows, Scene } from './support/notification-fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const MEMBERS = 60;
const ROUNDS = 4;
/** Polls each instance makes at most while waiting for the other to begin sending (10 ms apart). */
const MAX_POLLS = 500;
const DEADLINES = [
  { title: 'Alpha', members: (i: number) => i < MEMBERS / 2 },
  { title: 'Bravo', members: (i: number) => i >= MEMBERS / 2 },
  { title: 'Charlie', members: () => true },
];

interface NotificationRow {
  id: number;
  key: string;
  kind: string;
  state: string;
  payload: string;
  recipient_id: number;
  digest_id: number | null;
}

/**
 * Reliability scenario 4: two instances of the application on one database (SQLite file, or one
 * PostgreSQL schema), dispatching at the same moment, on clocks set to the same time.
 */
describe('two instances dispatching at once (reliability scenario 4)', () => {
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let scene: Scene;
  let members: TestUser[];
  const summaries: { a: DispatchSummary[]; b: DispatchSummary[] } = { a: [], b: [] };

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    smtp.delayMs = 10;
    await smtp.start();
    database = await createTestDatabase();
    // Small batches, so the two instances take turns claiming instead of one taking everything at once.
    const env = { SMTP_RATE_PER_SECOND: '1000', SMTP_MAX_CONNECTIONS: '3', NOTIFY_BATCH_SIZE: '5' };
    // Each instance names itself in EHLO, so the SMTP server can tell their messages apart.
    a = await createTestApp({ ...env, SMTP_URL: `${smtp.url}/?name=instance-a` }, { database });
    b = await createTestApp({ ...env, SMTP_URL: `${smtp.url}/?name=instance-b` }, { database });
    setClocks('2027-03-01T10:00:00.000Z');
    scene = await createScene(a);
    members = [];
    for (let i = 0; i < MEMBERS; i++) {
      const member = await a.createUser('member');
      await follow(a, member, scene.recommendationId);
      members.push(member);
    }
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    await smtp?.stop();
  });

  function setClocks(at: string): void {
    a.clock.set(at);
    b.clock.set(at);
  }

  /**
   * Both instances poll at the same moment, several times over, as their schedules would. Where
   * emails are due, each also goes on polling until both have begun sending: on a busy machine one
   * instance could otherwise claim and send a whole window before the other's claim finds anything
   * (two CI runs saw one instance send none, each dispatch ending at its first empty claim), and the
   * test would no longer see two senders. The SMTP server holds every message until both instances
   * have begun one, so the first cannot finish the window alone.
   */
  async function dispatchTogether(emailsDue = true): Promise<void> {
    if (emailsDue) smtp.holdUntilClients(['instance-a', 'instance-b']);
    const polls = [a, b].map(async (t, i) => {
      for (let round = 0; round < ROUNDS || (smtp.holding && round < MAX_POLLS); round++) {
        (i === 0 ? summaries.a : summaries.b).push(await t.app.get(NotificationDispatcher).dispatch());
        if (round >= ROUNDS) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // This instance gave up waiting for the other (the participation check below will say so):
      // the messages held for the other instance go on.
      smtp.releaseHeld();
    });
    await Promise.all(polls);
  }

  it('should send each notice once and one email per member and window when two instances dispatch at the same moment', async () => {
    // Window 1: two status changes in the same minute, each to all 60 followers.
    await changeStatus(a, scene.coordinator, scene.recommendationId, 'in_progress', 'first change');
    await changeStatus(b, scene.coordinator, scene.recommendationId, 'not_started', 'second change');
    await dispatchTogether();

    // Deadlines three days ahead: one reminder each (09:00 UTC the day before) and an overdue notice.
    for (const [n, deadline] of DEADLINES.entries()) {
      await (n % 2 ? b : a).http
        .post('/api/v1/deadlines')
        .set('Authorization', scene.coordinator.auth)
        .send({
          recommendationId: scene.recommendationId,
          kind: 'mid_term_report',
          title: deadline.title,
          dueDate: '2027-03-04',
          dueTime: '17:00',
          timeZone: 'UTC',
          assigneeIds: members.filter((_, i) => deadline.members(i)).map((m) => m.id),
        })
        .expect(201);
    }
    await dispatchTogether(false); // nothing is due yet
    expect(smtp.received).toHaveLength(MEMBERS);

    // Window 2: the reminders come due, and a status change in the same minute travels with them.
    setClocks('2027-03-03T09:00:20.000Z');
    await changeStatus(b, scene.coordinator, scene.recommendationId, 'not_implemented', 'third change');
    await dispatchTogether();

    // Window 3: the deadlines pass while open; each assignee gets the overdue notices.
    setClocks('2027-03-04T17:00:10.000Z');
    await dispatchTogether();

    // What the database planned and recorded: every notice sent, one email per member and window.
    const notifications = await rows<NotificationRow>(a, `SELECT id, key, kind, state, payload, recipient_id, digest_id FROM notification ORDER BY id`);
    const assignments = DEADLINES.reduce((n, d) => n + members.filter((_, i) => d.members(i)).length, 0);
    const expectedNotices = MEMBERS * 3 + assignments * 2;
    expect(countBy(notifications.map((n) => n.kind))).toEqual({ status_change: MEMBERS * 3, deadline_reminder: assignments, deadline_overdue: assignments });
    expect(countBy(notifications.map((n) => n.state))).toEqual({ sent: expectedNotices });
    const digests = await rows<{ id: number; recipient_id: number; window_key: string; state: string; message_id: string }>(
      a,
      `SELECT id, recipient_id, window_key, state, message_id FROM digest ORDER BY id`,
    );
    expect(countBy(digests.map((d) => d.state))).toEqual({ sent: MEMBERS * 3 });
    expect(new Set(digests.map((d) => `${d.recipient_id}|${d.window_key}`)).size).toBe(MEMBERS * 3);
    expect(countBy(digests.map((d) => d.window_key))).toEqual({ 'at:2027-03-01T10:00': MEMBERS, 'at:2027-03-03T09:00': MEMBERS, 'at:2027-03-04T17:00': MEMBERS });

    // What arrived: no Message-ID twice, and exactly one email for each (recipient, window).
    const messageIds = smtp.messageIds();
    expect(messageIds.length).toBe(MEMBERS * 3);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    const digestByMessageId = new Map(digests.map((d) => [d.message_id, d]));
    const emailOf = new Map(members.map((m) => [m.id, m.email]));
    const recipients = smtp.recipients();
    const arrived = messageIds.map((id, i) => {
      const digest = digestByMessageId.get(id);
      expect(digest && emailOf.get(Number(digest.recipient_id))).toBe(recipients[i]);
      return `${recipients[i]}|${digest?.window_key}`;
    });
    expect(Object.values(countBy(arrived)).filter((n) => n !== 1)).toEqual([]);
    expect(new Set(arrived).size).toBe(MEMBERS * 3);

    // Each notice's content arrived exactly once, in the email it was recorded as sent in.
    const messageIdOfDigest = new Map(digests.map((d) => [Number(d.id), d.message_id]));
    const problems: string[] = [];
    for (const n of notifications) {
      const marker = markerOf(n);
      const carriers = smtp.received.filter((mail, i) => recipients[i] === emailOf.get(Number(n.recipient_id)) && marker.test(mail.text ?? ''));
      if (carriers.length !== 1 || carriers[0].messageId !== messageIdOfDigest.get(Number(n.digest_id))) {
        problems.push(`${n.key}: in ${carriers.length} emails (${carriers.map((m) => m.messageId).join(', ')}), recorded in digest ${n.digest_id}`);
      }
    }
    expect(problems).toEqual([]);

    // Together the two instances sent every email, and each sent some of them.
    const total = (list: DispatchSummary[], field: keyof DispatchSummary) => list.reduce((sum, s) => sum + s[field], 0);
    expect(total(summaries.a, 'emailsSent') + total(summaries.b, 'emailsSent')).toBe(smtp.received.length);
    expect(total(summaries.a, 'notificationsSent') + total(summaries.b, 'notificationsSent')).toBe(expectedNotices);
    expect(total(summaries.a, 'emailsSent')).toBeGreaterThan(0);
    expect(total(summaries.b, 'emailsSent')).toBeGreaterThan(0);
    for (const field of ['failed', 'retried', 'cancelled', 'suppressed'] as const) expect(total(summaries.a, field) + total(summaries.b, field)).toBe(0);
  }, 120_000);

  it('should give each instance at most one batch, and never the same email, when two instances claim at the same moment', async () => {
    setClocks('2027-03-10T10:00:00.000Z');
    const now = a.clock.now();
    const leaseUntil = new Date(now.getTime() + 60_000);
    const [claimsOfA, claimsOfB] = [a, b].map((t) => t.app.get(NotificationsRepository));
    for (const member of members) await claimsOfA.upsertDigest(member, 'claim-test', now);
    try {
      const claims: number[][] = [];
      for (let round = 0; round < MEMBERS; round++) {
        const both = await Promise.all([claimsOfA.claimDue('instance-a', now, leaseUntil, 5), claimsOfB.claimDue('instance-b', now, leaseUntil, 5)]);
        claims.push(...both);
        if (both.every((claim) => claim.length === 0)) break;
      }
      expect(claims.map((claim) => claim.length).filter((n) => n > 5)).toEqual([]);
      const claimed = claims.flat();
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed).toHaveLength(MEMBERS);
    } finally {
      await rows(a, `DELETE FROM digest WHERE window_key = 'claim-test'`);
    }
  });
});

/** What in an email's text shows that this notice is in it. */
function markerOf(n: NotificationRow): RegExp {
  const payload = JSON.parse(n.payload) as { note?: string; deadline?: { title: string } };
  if (n.kind === 'status_change') return new RegExp(`^\\s*Note: ${payload.note}$`, 'm');
  const prefix = { deadline_reminder: 'Reminder', deadline_overdue: 'Overdue' }[n.kind];
  if (!prefix) throw new Error(`unexpected notice ${n.key}`);
  return new RegExp(`^\\* ${prefix}: .*\\b${payload.deadline!.title}\\b`, 'm');
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
