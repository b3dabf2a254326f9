import { changeStatus, createScene, dispatch, follow, rows } from './support/notification-fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

const MEMBERS = 7;

/** Claiming in batches (NOTIFY_BATCH_SIZE) while the SMTP pool keeps its connections busy. */
describe('dispatching more emails than one batch', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    // Slow replies: an email is still being sent when the next one is taken.
    smtp.delayMs = 300;
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', SMTP_MAX_CONNECTIONS: '3', NOTIFY_BATCH_SIZE: '2' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('should claim the next batch while the last emails of the current one are being sent, and send each email once', async () => {
    const scene = await createScene(t);
    const members = [];
    for (let i = 0; i < MEMBERS; i++) {
      const member = await t.createUser('member');
      await follow(t, member, scene.recommendationId);
      members.push(member);
    }
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'in_progress', 'Bill introduced');

    await expect(dispatch(t)).resolves.toMatchObject({ emailsSent: MEMBERS, retried: 0, failed: 0 });

    // Batches of 2 sent one after the other never had more than 2 emails in flight; the pool has 3.
    expect(smtp.maxInFlight).toBe(3);
    expect(smtp.recipients().sort()).toEqual(members.map((m) => m.email).sort());
    expect(new Set(smtp.messageIds()).size).toBe(MEMBERS);
    const digests = await rows<{ state: string; lease_owner: string | null }>(t, `SELECT state, lease_owner FROM digest`);
    expect(digests).toHaveLength(MEMBERS);
    expect(digests.every((d) => d.state === 'sent' && d.lease_owner === null)).toBe(true);
    const notices = await rows<{ state: string }>(t, `SELECT state FROM notification`);
    expect(notices.map((n) => n.state)).toEqual(Array(MEMBERS).fill('sent'));
    await expect(dispatch(t)).resolves.toMatchObject({ emailsSent: 0 });
  });
});
