import type { ParsedMail } from 'mailparser';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { SmtpTestServer } from './support/smtp-test-server';
import { changeStatus, createScene, dispatch, follow, HOUR, rows, Scene, setPreferences } from './support/notification-fixtures';

/** Reliability scenarios 1, 2 and 10 and the content of change notices, against a real SMTP server. */
describe('notification delivery over SMTP', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let scene: Scene;
  let members: TestUser[];

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', SMTP_MAX_CONNECTIONS: '2' });
    scene = await createScene(t, 'Coalition A', 'Ratify the Optional Protocol <script>alert(1)</script> to the ICESCR');
    members = [await t.createUser('member'), await t.createUser('member'), await t.createUser('member')];
    for (const member of members) await follow(t, member, scene.recommendationId);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.busy = false;
    smtp.rejected.clear();
  });

  it('should retry through 421 replies and deliver each notice exactly once when the server recovers (scenario 1)', async () => {
    smtp.busy = true;
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'in_progress', 'Bill introduced');
    const first = await dispatch(t);
    expect(first).toMatchObject({ emailsSent: 0, retried: 3, failed: 0 });
    t.clock.advance(2 * HOUR);
    expect(await dispatch(t)).toMatchObject({ emailsSent: 0, retried: 3, failed: 0 });
    const pending = await rows<{ state: string; attempts: number }>(t, `SELECT state, attempts FROM digest ORDER BY id`);
    expect(pending.map((d) => [d.state, Number(d.attempts)])).toEqual([['pending', 2], ['pending', 2], ['pending', 2]]);

    smtp.busy = false;
    t.clock.advance(2 * HOUR);
    expect(await dispatch(t)).toMatchObject({ emailsSent: 3, failed: 0 });
    t.clock.advance(2 * HOUR);
    expect(await dispatch(t)).toMatchObject({ emailsSent: 0 });
    expect(smtp.recipients().sort()).toEqual(members.map((m) => m.email).sort());
    expect(new Set(smtp.messageIds()).size).toBe(3);
  });

  it('should mark an email failed only once the retry budget is spent', async () => {
    smtp.busy = true;
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'not_started', 'Stalled');
    const states: string[] = [];
    for (let elapsed = 0; elapsed <= 26; elapsed += 2) {
      await dispatch(t);
      const [digest] = await rows<{ state: string }>(t, `SELECT state FROM digest WHERE recipient_id = ${members[0].id} ORDER BY id DESC LIMIT 1`);
      states.push(`${elapsed}h:${digest.state}`);
      t.clock.advance(2 * HOUR);
    }
    // Pending for the whole first 24 hours of trying, failed after.
    expect(states.filter((s) => Number(s.split('h')[0]) < 24)).toEqual(states.slice(0, 12).map((s) => `${s.split(':')[0]}:pending`));
    expect(states.at(-1)).toBe('26h:failed');
    expect(smtp.received).toEqual([]);
    const failed = await t.http.get('/api/v1/admin/outbox').query({ state: 'failed' }).set('Authorization', scene.admin.auth).expect(200);
    expect(failed.body.items).toHaveLength(3);
    expect(failed.body.items[0].lastError).toMatch(/gave up after \d+ attempts: 421/);

    // An admin's retry sends it once the server is back.
    smtp.busy = false;
    await t.http.post(`/api/v1/admin/outbox/${failed.body.items[0].id}/retry`).set('Authorization', scene.admin.auth).expect(200);
    expect(await dispatch(t)).toMatchObject({ emailsSent: 1 });
    expect(smtp.received).toHaveLength(1);
  });

  it('should fail and suppress only the recipient the server refuses with 550 (scenario 2)', async () => {
    smtp.rejected.add(members[1].email);
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'in_progress', 'Moving again');
    expect(await dispatch(t)).toMatchObject({ emailsSent: 2, failed: 1, retried: 0 });
    expect(smtp.recipients().sort()).toEqual([members[0].email, members[2].email].sort());
    expect(await rows(t, `SELECT email FROM email_suppression`)).toEqual([{ email: members[1].email }]);

    // The suppressed address is never contacted again: its next notice is recorded as suppressed.
    smtp.received.length = 0;
    const connectionsBefore = smtp.connections;
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'not_implemented', 'Bill died in committee');
    expect(await dispatch(t)).toMatchObject({ emailsSent: 2, suppressed: 1 });
    expect(smtp.recipients()).not.toContain(members[1].email);
    const listed = await t.http.get('/api/v1/admin/outbox').set('Authorization', scene.admin.auth).expect(200);
    expect(listed.body.items.map((i: { state: string; recipientEmail: string }) => `${i.state}:${i.recipientEmail}`)).toEqual(
      expect.arrayContaining([`suppressed:${members[1].email}`, `failed:${members[1].email}`]),
    );
    expect(smtp.connections - connectionsBefore).toBeLessThanOrEqual(2);
    await rows(t, `DELETE FROM email_suppression`);
  });

  it('should say who changed what, from what to what and why, with every value escaped and no confidential evidence title', async () => {
    const evidence = await t.http
      .post(`/api/v1/recommendations/${scene.recommendationId}/evidence`)
      .set('Authorization', scene.coordinator.auth)
      .send({ kind: 'testimony', title: 'Testimony of detainee J.D. at Facility X', url: 'https://example.org/t', confidential: true })
      .expect(201);
    const report = await t.http
      .post(`/api/v1/recommendations/${scene.recommendationId}/evidence`)
      .set('Authorization', scene.coordinator.auth)
      .send({ kind: 'report', title: 'Public report 2026', url: 'https://example.org/r' })
      .expect(201);
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'partially_implemented', 'Signed <b>not</b> ratified', [evidence.body.id, report.body.id]);
    await dispatch(t);
    const mail = smtp.received.find((m) => (m.to as { text: string }).text.includes(members[0].email))!;
    expect(mail.subject).toBe('Status of recommendation 26.49: not implemented → partially implemented');
    expect(mail.text).toContain('Note: Signed <b>not</b> ratified');
    expect(mail.text).toContain('Evidence cited: 2: Public report 2026 (1 confidential, not shown)');
    expect(mail.text).toMatch(/Changed by coordinator \d+ on/);
    expect(mail.html).toContain('Signed &lt;b&gt;not&lt;/b&gt; ratified');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    for (const part of [mail.text, mail.html, mail.subject]) expect(part).not.toContain('Testimony of detainee');
    expect(SmtpTestServer.header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(SmtpTestServer.header(mail, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:3000\/unsubscribe\/[\w-]+\.[\w-]+>$/);
  });

  it('should not tell the person who made the change', async () => {
    await follow(t, scene.coordinator, scene.recommendationId);
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'in_progress', 'Restarted');
    await dispatch(t);
    expect(smtp.recipients()).not.toContain(scene.coordinator.email);
    expect(smtp.recipients()).toHaveLength(3);
  });

  it('should honour preferences: off sends nothing, a daily digest gathers a day into one email at the digest hour', async () => {
    const [offMember, digestMember] = members;
    await setPreferences(t, offMember, { statusChanges: 'off' });
    await setPreferences(t, digestMember, { statusChanges: 'daily_digest', digestHour: 7, timeZone: 'Europe/Berlin' });
    t.clock.set('2027-01-10T09:00:00.000Z');
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'not_started', 'One');
    await dispatch(t);
    t.clock.set('2027-01-10T15:00:00.000Z');
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'in_progress', 'Two');
    await dispatch(t);
    expect(smtp.recipients()).toEqual([members[2].email, members[2].email]);

    smtp.received.length = 0;
    t.clock.set('2027-01-11T05:59:00.000Z'); // 06:59 in Berlin: not yet
    await dispatch(t);
    expect(smtp.received).toEqual([]);
    t.clock.set('2027-01-11T06:00:30.000Z'); // 07:00 in Berlin
    await dispatch(t);
    expect(smtp.recipients()).toEqual([digestMember.email]);
    expect(smtp.received[0].subject).toBe('upr-followup daily digest: 2 updates');
    expect(smtp.received[0].text).toContain('Note: One');
    expect(smtp.received[0].text).toContain('Note: Two');
    const cancelled = await rows<{ n: number }>(t, `SELECT COUNT(*) AS n FROM notification WHERE recipient_id = ${offMember.id} AND state = 'cancelled'`);
    expect(Number(cancelled[0].n)).toBe(2);
    await setPreferences(t, offMember, { statusChanges: 'immediate' });
    await setPreferences(t, digestMember, { statusChanges: 'immediate', timeZone: 'UTC' });
  });

  describe('one-click unsubscribe (scenario 10)', () => {
    const tokenOf = (mail: ParsedMail) => SmtpTestServer.header(mail, 'List-Unsubscribe')!.match(/unsubscribe\/([^>]+)>/)![1];
    const preferences = async (user: TestUser) => (await t.http.get('/api/v1/me/preferences').set('Authorization', user.auth).expect(200)).body;

    it('should change nothing for a forged, expired or replayed token, and turn the kind off for a good one', async () => {
      const member = members[2];
      await changeStatus(t, scene.coordinator, scene.recommendationId, 'regressed', 'Repealed');
      await dispatch(t);
      const token = tokenOf(smtp.received.find((m) => (m.to as { text: string }).text.includes(member.email))!);
      const [body, mac] = token.split('.');

      const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), userId: members[0].id })).toString('base64url');
      for (const bad of [`${forgedBody}.${mac}`, `${body}.${mac.slice(0, -2)}xx`, 'garbage', `${body}`]) {
        const res = await t.http.post(`/unsubscribe/${bad}`).expect(400);
        expect(res.body.message).toMatch(/not valid, has expired, or was already used/);
      }
      expect((await preferences(members[0])).statusChanges).toBe('immediate');

      const now = t.clock.now();
      t.clock.advance(91 * 24 * HOUR);
      await t.http.post(`/unsubscribe/${token}`).expect(400);
      t.clock.set(now);
      expect((await preferences(member)).statusChanges).toBe('immediate');

      const page = await t.http.get(`/unsubscribe/${token}`).expect(200);
      expect(page.text).toContain('<form method="post"');
      const ok = await t.http.post(`/unsubscribe/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(ok.body).toEqual({ unsubscribed: 'change notices', email: member.email });
      expect((await preferences(member)).statusChanges).toBe('off');

      await setPreferences(t, member, { statusChanges: 'immediate' });
      await t.http.post(`/unsubscribe/${token}`).expect(400);
      expect((await preferences(member)).statusChanges).toBe('immediate');
    });

    it('should answer the page\'s button with a page (what stopped, or why the link no longer works), not JSON', async () => {
      const member = await t.createUser('member');
      await follow(t, member, scene.recommendationId);
      await changeStatus(t, scene.coordinator, scene.recommendationId, 'not_implemented', 'Stalled');
      await dispatch(t);
      const token = tokenOf(smtp.received.find((m) => (m.to as { text: string }).text.includes(member.email))!);
      const done = await t.http.post(`/unsubscribe/${token}`).set('Accept', 'text/html,application/xhtml+xml').type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(done.headers['content-type']).toMatch(/^text\/html/);
      expect(done.text).toContain(`${member.email} no longer receives change notices from upr-followup.`);
      expect((await preferences(member)).statusChanges).toBe('off');
      const again = await t.http.post(`/unsubscribe/${token}`).set('Accept', 'text/html').type('form').send('List-Unsubscribe=One-Click').expect(400);
      expect(again.headers['content-type']).toMatch(/^text\/html/);
      expect(again.text).toContain('This unsubscribe link is not valid, has expired, or was already used');
      expect(again.text).not.toContain('{');
    });
  });

  describe('bad input (scenario 11)', () => {
    it('should refuse bad preferences naming each field and change nothing', async () => {
      const before = (await t.http.get('/api/v1/me/preferences').set('Authorization', members[0].auth).expect(200)).body;
      const res = await t.http
        .patch('/api/v1/me/preferences')
        .set('Authorization', members[0].auth)
        .send({ reminders: 'weekly', statusChanges: null, timeZone: 'Mars/Olympus', digestHour: 24, colour: 'blue' })
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['colour', 'digestHour', 'reminders', 'statusChanges', 'timeZone']);
      expect(res.body.details.find((d: { field: string }) => d.field === 'reminders').allowed).toEqual(['immediate', 'daily_digest', 'off']);
      expect((await t.http.get('/api/v1/me/preferences').set('Authorization', members[0].auth).expect(200)).body).toEqual(before);
    });

    it('should let only admins change the reminder policy, and refuse bad offsets', async () => {
      await t.http.patch('/api/v1/admin/reminder-policy').set('Authorization', scene.coordinator.auth).send({ hour: 8 }).expect(403);
      const bad = await t.http.patch('/api/v1/admin/reminder-policy').set('Authorization', scene.admin.auth).send({ offsetsDays: [7, -1, 400], hour: 'nine' }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['hour', 'offsetsDays']);
      const ok = await t.http.patch('/api/v1/admin/reminder-policy').set('Authorization', scene.admin.auth).send({ offsetsDays: [1, 30, 7], hour: 8 }).expect(200);
      expect(ok.body).toEqual({ offsetsDays: [30, 7, 1], hour: 8, overdueNotice: true });
    });
  });
});
