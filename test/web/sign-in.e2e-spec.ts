import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';

describe('Web sign-in (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '5' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should send a signed-out visitor to the sign-in page and back after signing in', async () => {
    const user = await t.createUser('coordinator');
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/?from=bookmark`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/?from=bookmark');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Email').fill(user.email.toUpperCase());
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/?from=bookmark`);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'upr_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.goto(`${t.baseUrl}/`);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeTruthy();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${t.baseUrl}/login`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('You are signed out');
    // The session is gone on the server too: the old cookie no longer opens a page.
    const stale = await request(t.baseUrl).get('/').set('Cookie', `upr_session=${session!.value}`);
    expect(stale.status).toBe(303);
    expect(stale.headers.location).toBe('/login?next=%2F');
    await page.close();
  });

  it('should refuse a wrong password in words, next to the form, and keep the address typed', async () => {
    const user = await t.createUser('member');
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/login`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not the password');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(response.status()).toBe(422);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('do not match an active account');
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe(user.email);
    await page.close();
  });

  it('should refuse a form post without its CSRF token', async () => {
    const user = await t.createUser('member');
    const agent = request.agent(t.baseUrl);
    const res = await agent.post('/login').type('form').send({ email: user.email, password: 'a long enough password' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('This form has expired or did not come from this site');
    const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(setCookies.some((c) => c.startsWith('upr_session='))).toBe(false);
  });

  it('should answer a mistyped page address with a page in a browser, and with JSON on the API', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${t.baseUrl}/recomendations`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Not found');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.close();
    const api = await request(t.baseUrl).get('/api/v1/nothing-here').set('Accept', 'text/html');
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('should send security headers with a content security policy on pages', async () => {
    const res = await request(t.baseUrl).get('/login');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('should let a signed-in person land on the dashboard', async () => {
    const user = await t.createUser('admin');
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, user.email);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  // Last: it uses up this address's sign-in attempts for the minute.
  it('should throttle repeated sign-in attempts from one address', async () => {
    const page = await browser.newPage();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      await page.goto(`${t.baseUrl}/login`);
      await page.getByLabel('Email').fill('nobody@example.org');
      await page.getByLabel('Password').fill('guess');
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
      statuses.push(response.status());
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    await expect(page.locator('h1').textContent()).resolves.toBe('Too many attempts');
    await page.close();
  });
});
