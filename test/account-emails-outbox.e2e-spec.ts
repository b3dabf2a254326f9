import type { ParsedMail } from 'mailparser';
import { BackgroundWork } from '../src/common/background-work';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service';
import { ACCOUNT_EMAIL_FALLBACK_MS, NotificationOutbox } from '../src/notifications/notification-outbox';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';
import { WebClient } from './support/web-session';

const API = '/api/v1';

/**
 * One mail path (issue 11): invitations, password resets and the notice to an address that has an
 * account elsewhere are outbox rows, delivered at once by the dispatcher, their text (and link)
 * erased once they are sent or given up, never retried with a link that is gone, and sent later
 * by the scheduler if the instance that enqueued one stopped before delivering it.
 */
describe('account emails through the outbox', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    admin = await t.createUser('admin', 'Coalition Outbox');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const isTo = (mail: ParsedMail, address: string) => (Array.isArray(mail.to) ? mail.to : [mail.to]).some((to) => to?.value.some((v) => v.address === address));

  async function mailTo(address: string, since: number): Promise<ParsedMail> {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const mail = smtp.received.slice(since).find((m) => isTo(m, address));
      if (mail) return mail;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no email to ${address} arrived`);
  }

  /** The outbox rows about a person: the notice, its email, and what the row still holds. */
  async function outboxOf(userId: number): Promise<{ kind: string; state: string; payload: string; digestState: string; toAddress: string | null }[]> {
    return t.dataSource.query(
      `SELECT n.kind, n.state, n.payload, d.state AS "digestState", d.to_address AS "toAddress" FROM notification n LEFT JOIN digest d ON d.id = n.digest_id WHERE n.recipient_id = ${Number(userId)} ORDER BY n.id`,
    );
  }

  it('should send an invitation as an outbox row, at once, and keep neither its text nor its link once it is sent', async () => {
    const before = smtp.received.length;
    const invited = await t.http.post(`${API}/users/invitations`).set('Authorization', admin.auth).send({ email: 'nadia@example.org', name: 'Nadia', role: 'member' }).expect(201);
    // Delivered within the request: the email is there when the answer is.
    const mail = await mailTo('nadia@example.org', before);
    const token = /\/invitations\/([\w-]+)/.exec(mail.text ?? '')![1];
    expect(token.length).toBeGreaterThan(20);
    // An account email carries nothing to unsubscribe from: a person asked for it.
    expect(mail.headers.get('list-unsubscribe')).toBeUndefined();

    const rows = await outboxOf(invited.body.user.id);
    expect(rows).toEqual([{ kind: 'account_email', state: 'sent', payload: '{"erased":true}', digestState: 'sent', toAddress: 'nadia@example.org' }]);
    const anywhere = await t.dataSource.query(`SELECT COUNT(*) AS n FROM notification WHERE payload LIKE '%${token}%'`);
    expect(Number(anywhere[0].n)).toBe(0);
  });

  it('should answer 502 when the invitation cannot be sent, give the email up with its text erased, leave the address unsuppressed, and refuse to retry it', async () => {
    smtp.rejected.add('bounce@example.org');
    const refused = await t.http.post(`${API}/users/invitations`).set('Authorization', admin.auth).send({ email: 'bounce@example.org', name: 'Bo Unce', role: 'member' });
    expect(refused.status).toBe(502);
    expect(refused.body.message).toContain('the invitation email could not be sent');
    const userId = refused.body.details.userId as number;
    const [row] = await outboxOf(userId);
    expect(row).toMatchObject({ kind: 'account_email', state: 'failed', payload: '{"erased":true}', digestState: 'failed' });
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM email_suppression WHERE email = 'bounce@example.org'`))[0].n)).toBe(0);

    // The outbox view lists it; retrying it would send an email whose link is gone: refused, with what to do instead.
    const listed = await t.http.get(`${API}/admin/outbox?state=failed`).set('Authorization', admin.auth).expect(200);
    const failed = listed.body.items.find((item: { recipientId: number }) => item.recipientId === userId);
    expect(failed).toMatchObject({ recipientEmail: 'bounce@example.org', state: 'failed' });
    const retry = await t.http.post(`${API}/admin/outbox/${failed.id}/retry`).set('Authorization', admin.auth);
    expect(retry.status).toBe(409);
    expect(retry.body.message).toContain('Resend the invitation');

    // Resending, once mail works, goes out: the earlier refusal did not suppress the address.
    smtp.rejected.clear();
    const before = smtp.received.length;
    await t.http.post(`${API}/users/${userId}/invitations`).set('Authorization', admin.auth).expect(201);
    expect((await mailTo('bounce@example.org', before)).text).toContain('/invitations/');
  });

  it('should write the invitation in the language the admin chose for the person, which becomes theirs; English by default; another is a 400', async () => {
    let before = smtp.received.length;
    const invited = await t.http.post(`${API}/users/invitations`).set('Authorization', admin.auth).send({ email: 'lucia@example.org', name: 'Lucía', role: 'member', language: 'es' }).expect(201);
    expect((await mailTo('lucia@example.org', before)).subject).toBe('Le han invitado a Coalition Outbox en Seguimiento del EPU');
    const row = await t.dataSource.query(`SELECT language FROM app_user WHERE id = ${Number(invited.body.user.id)}`);
    expect(row[0].language).toBe('es');
    before = smtp.received.length;
    await t.http.post(`${API}/users/invitations`).set('Authorization', admin.auth).send({ email: 'john@example.org', name: 'John', role: 'member' }).expect(201);
    expect((await mailTo('john@example.org', before)).subject).not.toContain('Le han invitado');
    const refused = await t.http.post(`${API}/users/invitations`).set('Authorization', admin.auth).send({ email: 'pierre@example.org', name: 'Pierre', role: 'member', language: 'fr' }).expect(400);
    expect(JSON.stringify(refused.body)).toContain('language must be one of: en, es');
  });

  it("should offer the admin's own language for an invitation on the people page, and send it in the one chosen", async () => {
    const spanishAdmin = await t.createUser('admin', 'Coalition Outbox');
    await t.http.patch(`${API}/me/preferences`).set('Authorization', spanishAdmin.auth).send({ language: 'es' }).expect(200);
    const client = await WebClient.signIn(t, spanishAdmin.email);
    const page = await client.send('GET', { path: '/people' });
    expect(page.text).toMatch(/<option value="es" lang="es" selected>/);
    const before = smtp.received.length;
    await client.send('POST', { path: '/people/invitations', form: { name: 'Ana', email: 'ana@example.org', role: 'member', language: 'es' } });
    expect((await mailTo('ana@example.org', before)).subject).toBe('Le han invitado a Coalition Outbox en Seguimiento del EPU');
  });

  it("should tell a Spanish admin on the people page, in Spanish, that an invitation could not be sent", async () => {
    const spanishAdmin = await t.createUser('admin', 'Coalition Outbox');
    await t.http.patch(`${API}/me/preferences`).set('Authorization', spanishAdmin.auth).send({ language: 'es' }).expect(200);
    smtp.rejected.add('rebote@example.org');
    const page = await (await WebClient.signIn(t, spanishAdmin.email)).send('POST', { path: '/people/invitations', form: { name: 'Re Bote', email: 'rebote@example.org', role: 'member' } });
    smtp.rejected.clear();
    expect(page.status).toBe(502);
    expect(page.text).toContain('Se ha invitado a rebote@example.org, pero no se ha podido enviar el correo de invitación.');
    expect(page.text).not.toContain('could not be sent');
  });

  it('should send a password reset to a person who turned every email off', async () => {
    const member = await t.createUser('member', 'Coalition Outbox');
    await t.http.patch(`${API}/me/preferences`).set('Authorization', member.auth).send({ reminders: 'off', statusChanges: 'off' }).expect(200);
    const before = smtp.received.length;
    await WebClient.visitor(t).send('POST', { path: '/password/forgot', form: { email: member.email } });
    expect((await mailTo(member.email, before)).text).toContain('/password/reset/');
    // The email is sent after the answer, and recorded as sent just after the mail server took it:
    // wait for that work to finish rather than read the row in between.
    await t.app.get(BackgroundWork).settled();
    const rows = await outboxOf(member.id);
    expect(rows.map((r) => [r.kind, r.state, r.payload])).toEqual([['account_email', 'sent', '{"erased":true}']]);
  });

  it('should have the scheduler send an account email whose instance stopped before delivering it, once its fallback time has come', async () => {
    const member = await t.createUser('member', 'Coalition Outbox');
    // Enqueued and committed, never delivered at once: what a crash between the two leaves.
    await t.dataSource.transaction((manager) =>
      t.app.get(NotificationOutbox).enqueueAccountEmail(
        { key: `account-link:stranded-${member.id}`, coalitionId: member.coalitionId, recipientId: member.id, subject: 'Your invitation', text: 'Choose a password: https://example.org/x', html: '<p>Choose a password</p>' },
        t.clock.now(),
        manager,
      ),
    );
    const dispatcher = t.app.get(NotificationDispatcher);
    const before = smtp.received.length;
    expect((await dispatcher.dispatch()).emailsSent).toBe(0);
    t.clock.advance(ACCOUNT_EMAIL_FALLBACK_MS);
    expect(await dispatcher.dispatch()).toMatchObject({ emailsSent: 1, notificationsSent: 1 });
    const mail = await mailTo(member.email, before);
    expect(mail.subject).toBe('Your invitation');
    expect(mail.text).toContain('Choose a password');
    expect((await outboxOf(member.id)).map((r) => [r.state, r.payload])).toEqual([['sent', '{"erased":true}']]);
  });
});
