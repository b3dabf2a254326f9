import type { ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import { BackgroundWork } from '../../src/common/background-work';
import { SmtpTestServer } from '../support/smtp-test-server';
import type { TestUser } from '../support/test-app';

const NEW_PASSWORD = 'correct horse battery staple';

/** Invitations, password reset and the People page, in a real browser, with emails through a real SMTP server. */
describe('Web accounts: invitations, password reset, people (real browser)', () => {
  let smtp: SmtpTestServer;
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await startWebApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Accounts');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  /** The email to this address that arrived after `since` messages, waiting for it a little. */
  async function mailTo(address: string, since = 0): Promise<ParsedMail> {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const mail = smtp.received.slice(since).find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((to) => to?.value.some((v) => v.address === address)));
      if (mail) return mail;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no email to ${address} arrived`);
  }

  function linkIn(mail: ParsedMail, path: string): string {
    const match = new RegExp(`${t.baseUrl.replace(/[.]/g, '\\.')}/${path}/[\\w-]+`).exec(mail.text ?? '');
    if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
    return match[0];
  }

  async function invite(page: Page, name: string, email: string, role: string): Promise<number> {
    await page.goto(`${t.baseUrl}/people`);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption(role);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/people/invitations') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Send invitation', exact: true }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  async function userId(email: string): Promise<number> {
    const [row] = await t.dataSource.query(`SELECT id FROM app_user WHERE email = '${email}'`);
    return Number(row.id);
  }

  it('should invite a person who then sets a password, lands on the dashboard and sees their assignment; a used link is refused', async () => {
    const adminPage = await browser.newPage();
    await signIn(adminPage, t.baseUrl, admin.email);
    await adminPage.goto(`${t.baseUrl}/people`);
    await expect(adminPage.locator('h1').textContent()).resolves.toBe('People');
    await expect(seriousA11yViolations(adminPage)).resolves.toEqual([]);

    // A bad address is refused next to the field, with what was typed kept.
    expect(await invite(adminPage, 'Nadia Rahman', 'not an address', 'member')).toBe(422);
    await expect(adminPage.locator('#invite-email-error').textContent()).resolves.toContain('email must be an email address');
    await expect(adminPage.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Nadia Rahman');
    await expect(seriousA11yViolations(adminPage)).resolves.toEqual([]);

    const before = smtp.received.length;
    expect(await invite(adminPage, 'Nadia Rahman', 'Nadia@Example.org', 'member')).toBe(303);
    await expect(adminPage.getByRole('status').textContent()).resolves.toContain('Invitation sent to nadia@example.org');
    const row = adminPage.getByRole('row', { name: /Nadia Rahman/ });
    await expect(row.textContent()).resolves.toContain('Invited, not accepted yet');
    // A duplicate address is refused in words.
    expect(await invite(adminPage, 'Someone else', 'nadia@example.org', 'member')).toBe(409);
    await expect(adminPage.getByRole('alert').textContent()).resolves.toContain('already exists');

    const mail = await mailTo('nadia@example.org', before);
    expect(mail.subject).toContain('You are invited to Coalition Accounts');
    const link = linkIn(mail, 'invitations');
    expect(mail.html).toContain(`href="${link}"`);
    // The invited person cannot sign in before choosing a password.
    const [{ password_hash: hashBefore }] = await t.dataSource.query(`SELECT password_hash FROM app_user WHERE email = 'nadia@example.org'`);
    expect(hashBefore).toBe('');

    // An assignment made before they accept is on their dashboard once they do.
    const nadiaId = await userId('nadia@example.org');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Kenya' }).expect(201);
    await t.http
      .post(`/api/v1/cycles/${cycle.body.id}/recommendations`)
      .set('Authorization', admin.auth)
      .send({ paragraph: '142.7', text: 'Strengthen the independence of the national human rights commission', ownerIds: [nadiaId] })
      .expect(201);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await expect(page.locator('h1').textContent()).resolves.toBe('Welcome, Nadia Rahman');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    // Two different passwords: refused next to the confirmation, nothing saved.
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the password').fill(`${NEW_PASSWORD}!`);
    const [mismatch] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Set password and sign in' }).click()]);
    expect(mismatch.status()).toBe(422);
    await expect(page.locator('#confirmation-error').textContent()).resolves.toContain('must repeat the password');
    // Too short for the API's rule.
    await page.getByLabel('New password').fill('short');
    await page.getByLabel('Repeat the password').fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(page.locator('#password-error').textContent()).resolves.toContain('at least 12 characters');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Welcome, Nadia Rahman');
    await expect(page.getByRole('table', { name: 'Recommendations you own' }).textContent()).resolves.toContain('Strengthen the independence');
    await expect(page.locator('.who').textContent()).resolves.toContain('Nadia Rahman (member)');

    // The same link again, even in the browser that used it: refused, and nothing changes.
    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    await expect(page.locator('.error-message').textContent()).resolves.toContain('already used');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    // A forged link: not valid.
    const forged = await page.goto(`${t.baseUrl}/invitations/upr_forged-token-that-was-never-sent`);
    expect(forged?.status()).toBe(404);
    await expect(page.locator('.error-message').textContent()).resolves.toContain('not valid');

    // The admin now sees the person as active, no longer pending.
    await adminPage.goto(`${t.baseUrl}/people`);
    await expect(adminPage.getByRole('row', { name: /Nadia Rahman/ }).textContent()).resolves.not.toContain('Invited');
    await context.close();
    await adminPage.close();
  });

  it('should show a clear error when the invitation email cannot be sent, and resend a new link that replaces the old one', async () => {
    const adminPage = await browser.newPage();
    await signIn(adminPage, t.baseUrl, admin.email);
    smtp.rejected.add('bounce@example.org');
    expect(await invite(adminPage, 'Bo Unce', 'bounce@example.org', 'coordinator')).toBe(502);
    await expect(adminPage.getByRole('alert').textContent()).resolves.toContain('the invitation email could not be sent');
    await expect(seriousA11yViolations(adminPage)).resolves.toEqual([]);
    // The person was saved (the email is sent after the commit) and can be invited again.
    const row = adminPage.getByRole('row', { name: /Bo Unce/ });
    await expect(row.textContent()).resolves.toContain('Invited, not accepted yet');
    smtp.rejected.clear();

    let before = smtp.received.length;
    await row.getByRole('button', { name: 'Resend invitation to Bo Unce' }).click();
    await expect(adminPage.getByRole('status').textContent()).resolves.toContain('A new invitation was sent to bounce@example.org');
    const first = linkIn(await mailTo('bounce@example.org', before), 'invitations');
    before = smtp.received.length;
    await adminPage.getByRole('row', { name: /Bo Unce/ }).getByRole('button', { name: 'Resend invitation to Bo Unce' }).click();
    await adminPage.getByRole('status').waitFor();
    const second = linkIn(await mailTo('bounce@example.org', before), 'invitations');
    expect(second).not.toBe(first);

    const context = await browser.newContext();
    const page = await context.newPage();
    expect((await page.goto(first))?.status()).toBe(410);
    expect((await page.goto(second))?.status()).toBe(200);
    // Links expire: seven days later the newest one is refused too.
    const now = t.clock.now();
    t.clock.advance(8 * 24 * 3600_000);
    try {
      expect((await page.goto(second))?.status()).toBe(410);
      await expect(page.locator('.error-message').textContent()).resolves.toContain('expired');
    } finally {
      t.clock.set(now);
    }
    await context.close();
    await adminPage.close();
  });

  it('should reset a password end to end: same answer for any address, email link works once, other sessions signed out', async () => {
    const member = await t.createUser('member', 'Coalition Accounts');
    const oldContext = await browser.newContext();
    const oldPage = await oldContext.newPage();
    await signIn(oldPage, t.baseUrl, member.email);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Forgot your password?');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // An unknown address gets exactly the same answer, and no email.
    const before = smtp.received.length;
    await page.getByLabel('Email').fill('nobody-here@example.org');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    const unknownAnswer = (await page.getByRole('status').textContent())!.replace('nobody-here@example.org', 'X');

    await page.goto(`${t.baseUrl}/password/forgot`);
    await page.getByLabel('Email').fill(member.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    const knownAnswer = (await page.getByRole('status').textContent())!.replace(member.email, 'X');
    expect(knownAnswer).toBe(unknownAnswer);
    expect(knownAnswer).toContain('If an account exists');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    const mail = await mailTo(member.email, before);
    expect(smtp.recipients().slice(before)).toEqual([member.email]);
    expect(mail.subject).toBe('Reset your UPR follow-up password');
    const link = linkIn(mail, 'password/reset');

    await page.goto(link);
    await expect(page.locator('h1').textContent()).resolves.toBe('Choose a new password');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password and sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your password is changed');

    // The browser that was signed in before the reset is signed out.
    await oldPage.goto(`${t.baseUrl}/settings`);
    expect(new URL(oldPage.url()).pathname).toBe('/login');
    // The link works once.
    expect((await page.goto(link))?.status()).toBe(410);
    // The old password no longer works; the new one does.
    const fresh = await browser.newContext();
    const freshPage = await fresh.newPage();
    await freshPage.goto(`${t.baseUrl}/login`);
    await freshPage.getByLabel('Email').fill(member.email);
    await freshPage.getByLabel('Password').fill('a long enough password');
    await freshPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(freshPage.getByRole('alert').textContent()).resolves.toContain('do not match');
    await signIn(freshPage, t.baseUrl, member.email, NEW_PASSWORD);
    await expect(freshPage.locator('h1').textContent()).resolves.toBe('Dashboard');
    await Promise.all([fresh.close(), context.close(), oldContext.close()]);
  });

  it('should let an admin change a role and deactivate a person, whose open session stops working at once', async () => {
    const member = await t.createUser('member', 'Coalition Accounts');
    const [{ name }] = await t.dataSource.query(`SELECT name FROM app_user WHERE id = ${member.id}`);
    const memberContext = await browser.newContext();
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, t.baseUrl, member.email);

    const adminPage = await browser.newPage();
    await signIn(adminPage, t.baseUrl, admin.email);
    await adminPage.goto(`${t.baseUrl}/people`);
    await adminPage.getByLabel(`Role of ${name}`).selectOption('coordinator');
    await adminPage.getByRole('button', { name: `Change role of ${name}` }).click();
    await expect(adminPage.getByRole('status').textContent()).resolves.toBe(`${name} is now coordinator.`);
    const me = await request(t.baseUrl).get('/api/v1/me').set('Authorization', member.auth).expect(200);
    expect(me.body.role).toBe('coordinator');

    // No buttons to deactivate or demote yourself.
    await expect(adminPage.getByRole('row', { name: /\(you\)/ }).getByRole('button').count()).resolves.toBe(0);

    adminPage.once('dialog', (dialog) => void dialog.accept());
    await adminPage.getByRole('button', { name: `Deactivate ${name}` }).click();
    await expect(adminPage.getByRole('status').textContent()).resolves.toContain('deactivated and signed out everywhere');
    await expect(adminPage.getByRole('row', { name: new RegExp(name) }).textContent()).resolves.toContain('Deactivated');
    await expect(seriousA11yViolations(adminPage)).resolves.toEqual([]);

    await memberPage.goto(`${t.baseUrl}/`);
    expect(new URL(memberPage.url()).pathname).toBe('/login');
    await request(t.baseUrl).get('/api/v1/me').set('Authorization', member.auth).expect(401);

    await adminPage.getByRole('button', { name: `Reactivate ${name}` }).click();
    await expect(adminPage.getByRole('status').textContent()).resolves.toBe(`${name} is active again.`);
    await signIn(memberPage, t.baseUrl, member.email);
    await expect(memberPage.locator('h1').textContent()).resolves.toBe('Dashboard');
    await memberContext.close();
    await adminPage.close();
  });

  it('should keep the People page to admins', async () => {
    const coordinator = await t.createUser('coordinator', 'Coalition Accounts');
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, coordinator.email);
    const response = await page.goto(`${t.baseUrl}/people`);
    expect(response?.status()).toBe(403);
    await page.close();
  });

  it('should invite through the API for admins only, refusing bad input in words', async () => {
    const member = await t.createUser('member', 'Coalition Accounts');
    const before = smtp.received.length;
    const res = await t.http.post('/api/v1/users/invitations').set('Authorization', admin.auth).send({ email: 'api-invitee@example.org', name: 'Api Invitee', role: 'coordinator' }).expect(201);
    expect(res.body.user).toMatchObject({ email: 'api-invitee@example.org', role: 'coordinator', active: true });
    expect(new Date(res.body.expiresAt).getTime() - t.clock.now().getTime()).toBe(7 * 24 * 3600_000);
    expect(res.body.user.passwordHash).toBeUndefined();
    await mailTo('api-invitee@example.org', before);

    await t.http.post('/api/v1/users/invitations').set('Authorization', member.auth).send({ email: 'x@example.org', name: 'X', role: 'member' }).expect(403);
    const duplicate = await t.http.post('/api/v1/users/invitations').set('Authorization', admin.auth).send({ email: 'API-invitee@example.org', name: 'Again', role: 'member' }).expect(409);
    expect(duplicate.body.message).toContain('already exists');
    const bad = await t.http.post('/api/v1/users/invitations').set('Authorization', admin.auth).send({ email: 'x@example.org', name: 'X', role: 'owner', password: 'sneaky' }).expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('role must be one of: admin, coordinator, member');
    // A person who accepted cannot be re-invited.
    const accepted = await t.http.post(`/api/v1/users/${member.id}/invitations`).set('Authorization', admin.auth).expect(409);
    expect(accepted.body.message).toContain('already accepted');
    await t.http.post('/api/v1/users/999999/invitations').set('Authorization', admin.auth).expect(404);
  });
});

describe('Web "forgot your password" throttling', () => {
  let t: WebTestApp;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '2' });
  });
  afterAll(async () => t?.close());

  it('should throttle repeated reset requests from one address like sign-in', async () => {
    const agent = request.agent(t.baseUrl);
    const form = await agent.get('/password/forgot').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await agent.post('/password/forgot').type('form').send({ _csrf: csrf, email: `someone${attempt}@example.org` })).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    // Nothing was written for addresses without an account, once the work left for after the answers is done.
    await t.app.get(BackgroundWork).settled();
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM account_link');
    expect(Number(n)).toBe(0);
  });
});
