import type { Browser } from 'playwright-core';
import { SetupCode } from '../../src/accounts/setup-code';
import { launchBrowser, PASSWORD, seriousA11yViolations, startWebApp, type WebTestApp } from '../support/browser';

describe('Web one-time setup (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startWebApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should lead a first visitor to the setup form, refuse a wrong code in words, then set up and sign the admin in', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/setup');
    await expect(page.locator('h1').textContent()).resolves.toBe('Set up upr-followup');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    const fill = async (code: string) => {
      await page.getByLabel('Coalition name').fill('Coalition for the UPR');
      await page.getByLabel('Your name').fill('Ada Admin');
      await page.getByLabel('Your email').fill('ada@example.org');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Repeat the password').fill(PASSWORD);
      await page.getByLabel('Setup code').fill(code);
    };
    await fill('ABCD-EFGH');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/setup') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create the coalition and sign in' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await expect(page.getByRole('alert').textContent()).resolves.toContain("That is not this server's setup code");
    await expect(page.locator('#code-error').textContent()).resolves.toContain("That is not this server's setup code");
    await expect(page.getByLabel('Setup code').getAttribute('aria-invalid')).resolves.toBe('true');
    // What was typed is kept, except the passwords and the code.
    await expect(page.getByLabel('Coalition name').inputValue()).resolves.toBe('Coalition for the UPR');
    await expect(page.getByLabel('Password', { exact: true }).inputValue()).resolves.toBe('');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await fill(t.app.get(SetupCode).value);
    await page.getByRole('button', { name: 'Create the coalition and sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Welcome, Ada Admin. Coalition for the UPR is set up and you are its admin');
    await expect(page.getByRole('link', { name: 'People' }).count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // Gone for good: a 404 page in words; signed out, /login is the sign-in form again.
    const gone = await page.goto(`${t.baseUrl}/setup`);
    expect(gone?.status()).toBe(404);
    await expect(page.locator('.error-message').textContent()).resolves.toContain('There is nothing to set up');
    await page.close();

    const other = await browser.newPage();
    await other.goto(`${t.baseUrl}/login`);
    await expect(other.locator('h1').textContent()).resolves.toBe('Sign in');
    await other.close();
  });
});
