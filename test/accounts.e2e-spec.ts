import type { ParsedMail } from 'mailparser';
import type { Response } from 'supertest';
import { TokensService } from '../src/accounts/tokens.service';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';
import { WebClient } from './support/web-session';

const API = '/api/v1';
const NEW_PASSWORD = 'correct horse battery staple';

/**
 * Accounts across coalitions, what a password reset revokes, and who may list a coalition's people
 * (issue 10, findings 4, 9a and 9d). The API and the pages, with emails through a real SMTP server.
 */
describe('accounts', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const as = (user: TestUser) => ({
    get: (path: string) => t.http.get(`${API}${path}`).set('Authorization', user.auth),
    post: (path: string, body: object = {}) => t.http.post(`${API}${path}`).set('Authorization', user.auth).send(body),
  });

  const isTo = (mail: ParsedMail, address: string) => (Array.isArray(mail.to) ? mail.to : [mail.to]).some((to) => to?.value.some((v) => v.address === address));

  /** The emails to this address that arrived after the first `since`, waiting for `count` of them. */
  async function mailsTo(address: string, since: number, count = 1): Promise<ParsedMail[]> {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const mails = smtp.received.slice(since).filter((m) => isTo(m, address));
      if (mails.length >= count) return mails;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`fewer than ${count} emails to ${address} arrived`);
  }

  /** The JSON's structure with every value replaced by its type: what two answers must share. */
  function shape(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(shape);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]).sort());
    return value === null ? 'null' : typeof value;
  }

  /** A person as a listing shows them, without what tells two people apart (id, name, address, creation time). */
  function withoutIdentity(person: Record<string, unknown>): Record<string, unknown> {
    const { id: _id, name: _name, email: _email, createdAt: _createdAt, ...rest } = person;
    return rest;
  }

  /** A person's row of the People page, with their id, name and address replaced. */
  function peopleRow(html: string, person: { id: number; name: string; email: string }): string {
    const row = html.split('<tr>').find((r) => r.includes(`<th scope="row">${person.name}`))?.split('</tr>')[0];
    if (!row) throw new Error(`no row for ${person.name} on the People page`);
    // The id appears in the forms' addresses and the controls' ids: /people/<id>/role, role-<id>.
    return row.replace(new RegExp(`([/-])${person.id}([/"])`, 'g'), '$1ID$2').split(person.name).join('NAME').split(person.email).join('EMAIL');
  }

  const nameOf = async (user: TestUser) => (await as(user).get('/me').expect(200)).body.name as string;

  describe('across coalitions (finding 4)', () => {
    it('should answer an admin who invites an address that has an account in another coalition exactly as for a new address, and tell the address by email', async () => {
      const arcadian = await t.createUser('member', 'Coalition Arcadia');
      const bAdmin = await t.createUser('admin', 'Coalition Borduria');
      const arcadiaBefore = (await as(arcadian).get('/users').expect(200)).body.items;
      const before = smtp.received.length;

      const fresh = await as(bAdmin).post('/users/invitations', { email: 'fresh.person@example.org', name: 'Fresh Person', role: 'member' });
      const taken = await as(bAdmin).post('/users/invitations', { email: arcadian.email.toUpperCase(), name: 'Taken Person', role: 'member' });
      expect(taken.status).toBe(201);
      expect(taken.status).toBe(fresh.status);
      expect(shape(taken.body)).toEqual(shape(fresh.body));
      expect(taken.body.user).toMatchObject({ email: arcadian.email, name: 'Taken Person', role: 'member', active: true });
      expect(taken.body.expiresAt).toBe(fresh.body.expiresAt);

      // B's listings show the two people alike: invited, not accepted yet.
      const listed: Record<string, unknown>[] = (await as(bAdmin).get('/users').expect(200)).body.items;
      const listedTaken = listed.find((u) => u.id === taken.body.user.id)!;
      const listedFresh = listed.find((u) => u.id === fresh.body.user.id)!;
      expect(listedTaken).toMatchObject({ email: arcadian.email, active: true });
      expect(withoutIdentity(listedTaken)).toEqual(withoutIdentity(listedFresh));
      const people = await (await WebClient.signIn(t, bAdmin.email)).send('GET', { path: '/people' });
      expect(people.status).toBe(200);
      expect(peopleRow(people.text, taken.body.user)).toContain('Invited, not accepted yet');
      expect(peopleRow(people.text, taken.body.user)).toBe(peopleRow(people.text, fresh.body.user));

      // The new address gets an invitation link; the account holder learns what happened, and gets no link.
      const [invitation] = await mailsTo('fresh.person@example.org', before);
      expect(invitation.text).toMatch(/\/invitations\/[\w-]+/);
      const [notice] = await mailsTo(arcadian.email, before);
      expect(notice.subject).toBe(`${await nameOf(bAdmin)} tried to add you to Coalition Borduria on UPR follow-up`);
      expect(notice.text).toContain('nothing was added and your account is as it was');
      expect(notice.text).not.toMatch(/\/invitations\/|\/password\/reset\//);

      // The account is untouched: it signs in to coalition A with its password, and A's list is as it was.
      expect((await as(arcadian).get('/me').expect(200)).body.coalition.name).toBe('Coalition Arcadia');
      await expect(WebClient.signIn(t, arcadian.email)).resolves.toBeInstanceOf(WebClient);
      expect((await as(arcadian).get('/users').expect(200)).body.items).toEqual(arcadiaBefore);
    });

    it('should answer the People page form the same for an address with an account elsewhere as for a new one', async () => {
      const arcadian = await t.createUser('member', 'Coalition Arcadia');
      const bAdmin = await t.createUser('admin', 'Coalition Borduria');
      const page = await WebClient.signIn(t, bAdmin.email);
      const invite = (email: string, name: string) => page.send('POST', { path: '/people/invitations', form: { email, name, role: 'coordinator' } });
      // The cookie's Expires is the wall clock plus a minute: two answers a second apart differ there only.
      const flash = (res: Response, email: string) => decodeURIComponent(String(res.headers['set-cookie'])).split(email).join('EMAIL').replace(/; Expires=[^;]*/, '');

      const fresh = await invite('fresh.web@example.org', 'Fresh Web');
      const taken = await invite(arcadian.email, 'Taken Web');
      expect(taken.status).toBe(303);
      expect(taken.headers.location).toBe(fresh.headers.location);
      expect(flash(taken, arcadian.email)).toContain('Invitation sent to EMAIL');
      expect(flash(taken, arcadian.email)).toBe(flash(fresh, 'fresh.web@example.org'));
    });

    it('should create a person through the API for an address with an account elsewhere as for a new one, a row that never signs in', async () => {
      const arcadian = await t.createUser('coordinator', 'Coalition Arcadia');
      const bAdmin = await t.createUser('admin', 'Coalition Borduria');
      const before = smtp.received.length;
      const body = (email: string, name: string) => ({ email, name, role: 'member', password: 'the password an admin chose' });

      const fresh = await as(bAdmin).post('/users', body('fresh.created@example.org', 'Fresh Created'));
      const taken = await as(bAdmin).post('/users', body(arcadian.email, 'Taken Created'));
      expect(taken.status).toBe(201);
      expect(taken.status).toBe(fresh.status);
      expect(shape(taken.body)).toEqual(shape(fresh.body));
      expect(taken.body).toMatchObject({ email: arcadian.email, name: 'Taken Created', role: 'member', active: true });

      const listed: Record<string, unknown>[] = (await as(bAdmin).get('/users').expect(200)).body.items;
      expect(withoutIdentity(listed.find((u) => u.id === taken.body.id)!)).toEqual(withoutIdentity(listed.find((u) => u.id === fresh.body.id)!));
      const people = await (await WebClient.signIn(t, bAdmin.email)).send('GET', { path: '/people' });
      expect(peopleRow(people.text, taken.body)).not.toContain('Invited');
      expect(peopleRow(people.text, taken.body)).toBe(peopleRow(people.text, fresh.body));

      // The address is told, after the answer; the account still signs in to A, and only to A.
      const [notice] = await mailsTo(arcadian.email, before);
      expect(notice.subject).toContain('tried to add you to Coalition Borduria');
      expect((await as(arcadian).get('/me').expect(200)).body.coalition.name).toBe('Coalition Arcadia');
      const [row] = await t.dataSource.query(`SELECT sign_in_email FROM app_user WHERE id = ${Number(taken.body.id)}`);
      expect(row.sign_in_email).toBeNull();
      const withChosenPassword = await WebClient.visitor(t).send('POST', { path: '/login', form: { email: arcadian.email, password: 'the password an admin chose' } });
      expect(withChosenPassword.status).toBe(422);
    });

    it('should answer both coalitions 201 when they add the same new address at the same moment, one row signing in', async () => {
      const admins = [await t.createUser('admin', 'Coalition Ruritania'), await t.createUser('admin', 'Coalition Syldavia')];
      // Several rounds: on PostgreSQL the two inserts can meet on the unique sign-in address (then a 500).
      for (let round = 0; round < 5; round += 1) {
        const email = `raced.${round}@example.org`;
        const answers = await Promise.all(admins.map((admin) => as(admin).post('/users', { email, name: 'Raced', role: 'member', password: 'a long enough password' })));
        expect(answers.map((res) => res.status)).toEqual([201, 201]);
        const rows: { sign_in_email: string | null }[] = await t.dataSource.query(`SELECT sign_in_email FROM app_user WHERE email = '${email}'`);
        expect(rows.map((row) => row.sign_in_email).sort()).toEqual([email, null].sort());
      }
    });

    it("should still refuse an address that is already in the admin's own coalition", async () => {
      const bAdmin = await t.createUser('admin', 'Coalition Borduria');
      const colleague = await t.createUser('member', 'Coalition Borduria');
      const invited = await as(bAdmin).post('/users/invitations', { email: colleague.email, name: 'Again', role: 'member' }).expect(409);
      expect(invited.body.message).toBe(`A user with the email ${colleague.email} already exists`);
      const created = await as(bAdmin).post('/users', { email: colleague.email.toUpperCase(), name: 'Again', role: 'member', password: 'a long enough password' }).expect(409);
      expect(created.body.message).toBe(`A user with the email ${colleague.email} already exists`);
    });

    it('should send the notice again, not a link, when the invitation of an address with an account elsewhere is resent', async () => {
      const arcadian = await t.createUser('member', 'Coalition Arcadia');
      const bAdmin = await t.createUser('admin', 'Coalition Borduria');
      const taken = await as(bAdmin).post('/users/invitations', { email: arcadian.email, name: 'Resent Person', role: 'member' }).expect(201);
      const before = smtp.received.length;
      const resent = await as(bAdmin).post(`/users/${taken.body.user.id}/invitations`).expect(201);
      expect(shape(resent.body)).toEqual(shape(taken.body));
      const [notice] = await mailsTo(arcadian.email, before);
      expect(notice.subject).toContain('tried to add you to Coalition Borduria');
      expect(notice.text).not.toMatch(/\/invitations\//);
    });

    it('should let the first of two invitations to a new address make its account, and refuse the other link in words', async () => {
      const aAdmin = await t.createUser('admin', 'Coalition Arcadia');
      const bAdmin = await t.createUser('admin', 'Coalition Borduria');
      const address = 'invited.twice@example.org';
      const before = smtp.received.length;
      await as(aAdmin).post('/users/invitations', { email: address, name: 'Twice A', role: 'member' }).expect(201);
      const inB = await as(bAdmin).post('/users/invitations', { email: address, name: 'Twice B', role: 'member' }).expect(201);
      const mails = await mailsTo(address, before, 2);
      const linkFrom = (coalition: string) => /\/invitations\/([\w-]+)/.exec(mails.find((m) => m.subject?.includes(coalition))!.text ?? '')![1];

      const visitor = WebClient.visitor(t);
      const accept = (token: string) => visitor.send('POST', { path: `/invitations/${token}`, form: { password: NEW_PASSWORD, confirmation: NEW_PASSWORD } });
      expect((await accept(linkFrom('Coalition Arcadia'))).status).toBe(303);
      const refused = await accept(linkFrom('Coalition Borduria'));
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('has meanwhile become an account with another coalition');
      const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM app_user WHERE sign_in_email = '${address}'`);
      expect(Number(n)).toBe(1);
      // For B the person is still invited and has not accepted, as for anyone who ignores an invitation.
      const listed = (await as(bAdmin).get('/users').expect(200)).body.items.find((u: { id: number }) => u.id === inB.body.user.id);
      expect(listed).toMatchObject({ email: address, active: true });
      const people = await (await WebClient.signIn(t, bAdmin.email)).send('GET', { path: '/people' });
      expect(peopleRow(people.text, inB.body.user)).toContain('Invited, not accepted yet');
    });
  });

  describe('password reset (finding 9a)', () => {
    it("should revoke every API token and end every browser session of the person when their password is reset", async () => {
      const member = await t.createUser('member', 'Coalition Arcadia');
      const second = (await as(member).post('/me/tokens', { label: 'reporting script' }).expect(201)).body.token as string;
      const browser = await WebClient.signIn(t, member.email);
      expect((await browser.send('GET', { path: '/settings' })).status).toBe(200);

      const before = smtp.received.length;
      const visitor = WebClient.visitor(t);
      expect((await visitor.send('POST', { path: '/password/forgot', form: { email: member.email } })).status).toBe(200);
      const [mail] = await mailsTo(member.email, before);
      const token = /\/password\/reset\/([\w-]+)/.exec(mail.text ?? '')![1];
      const reset = await visitor.send('POST', { path: `/password/reset/${token}`, form: { password: NEW_PASSWORD, confirmation: NEW_PASSWORD } });
      expect(reset.status).toBe(303);

      await t.http.get(`${API}/me`).set('Authorization', member.auth).expect(401);
      await t.http.get(`${API}/me`).set('Authorization', `Bearer ${second}`).expect(401);
      const signedOut = await browser.send('GET', { path: '/settings' });
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.location).toMatch(/^\/login/);
      // A token made after the reset works, and the list says when the old ones were revoked.
      const { token: fresh } = await t.app.get(TokensService).create(member.id, 'after the reset');
      const tokens = (await t.http.get(`${API}/me/tokens`).set('Authorization', `Bearer ${fresh}`).expect(200)).body.items as { label: string; revokedAt: string | null }[];
      expect(tokens.map((k) => [k.label, k.revokedAt !== null])).toEqual([['test', true], ['reporting script', true], ['after the reset', false]]);
    });
  });

  describe("who may list a coalition's people (finding 9d)", () => {
    it("should let a member list their coalition's people: the names the recommendations list offers as owners", async () => {
      const admin = await t.createUser('admin', 'Coalition Carpathia');
      await t.createUser('coordinator', 'Coalition Carpathia');
      const member = await t.createUser('member', 'Coalition Carpathia');
      const leaver = await t.createUser('member', 'Coalition Carpathia');
      await as(admin).post('/users/invitations', { email: 'carpathia.invited@example.org', name: 'Invited Carpathian', role: 'member' }).expect(201);
      await t.http.patch(`${API}/users/${leaver.id}`).set('Authorization', admin.auth).send({ active: false }).expect(200);
      await t.createUser('member', 'Coalition Elsewhere');

      const listed = (await as(member).get('/users').expect(200)).body.items as { id: number; name: string; active: boolean; email: string }[];
      const page = await (await WebClient.signIn(t, member.email)).send('GET', { path: '/recommendations' });
      expect(page.status).toBe(200);
      const select = /<select id="filter-owner"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)![1];
      const offered = [...select.matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ id: Number(m[1]), name: m[2] }));

      // The filter offers the active people; the API lists the same people, and the deactivated one as such.
      expect(offered).toEqual(listed.filter((u) => u.active).map((u) => ({ id: u.id, name: u.name })));
      expect(listed.map((u) => u.id)).toContain(leaver.id);
      expect(listed.find((u) => u.id === leaver.id)!.active).toBe(false);
      expect(listed.every((u) => !u.email.includes('elsewhere'))).toBe(true);
      expect(offered.length).toBe(4);
    });
  });
});
