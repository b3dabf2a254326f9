import type { Browser, Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/** The theme and group aliases page (issue 12): admins list, add and remove their coalition's names of themes and groups. */
describe('Web theme and group aliases page (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Theme Alias Pages');
    member = await t.createUser('member', 'Coalition Theme Alias Pages');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function add(page: Page, target: string, alias: string): Promise<void> {
    await page.getByLabel('Theme or group of persons').selectOption({ label: target });
    await page.getByLabel('Alias (the name your files use)').fill(alias);
    await page.getByRole('button', { name: 'Add alias' }).click();
  }

  it('should add a theme and a group alias, refuse a shipped name next to its field, and remove an alias', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, admin.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Theme and group aliases' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Theme and group aliases');
    await expect(page.getByText('0 aliases.').isVisible()).resolves.toBe(true);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await add(page, 'D23 Death penalty', 'Abolition of capital punishment');
    await page.waitForURL(`${t.baseUrl}/theme-aliases`);
    await expect(page.getByText('"Abolition of capital punishment" now names D23 Death penalty.', { exact: false }).isVisible()).resolves.toBe(true);
    await add(page, 'Persons living in rural areas', 'Small-scale fishers');
    await page.waitForURL(`${t.baseUrl}/theme-aliases`);
    await expect(page.getByRole('row', { name: /Small-scale fishers/ }).textContent()).resolves.toMatch(/Persons living in rural areas\s*Group of persons/);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await add(page, 'D25 Prohibition of torture and cruel, inhuman or degrading treatment', 'Death penalty');
    await expect(page.locator('#alias-text-error').textContent()).resolves.toBe('alias: "Death penalty" already names theme D23 Death penalty');
    await expect(page.getByLabel('Alias (the name your files use)').inputValue()).resolves.toBe('Death penalty');
    await page.getByLabel('Alias (the name your files use)').fill('Nothing chosen');
    await page.getByLabel('Theme or group of persons').selectOption({ value: '' });
    await page.getByRole('button', { name: 'Add alias' }).click();
    await expect(page.locator('#alias-target-error').textContent()).resolves.toBe('Choose a theme or a group of persons');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    const listed = (await t.http.get('/api/v1/admin/theme-aliases').set('Authorization', admin.auth).expect(200)).body;
    expect(listed.items.map((a: { alias: string; target: string }) => [a.alias, a.target]).sort()).toEqual([['Abolition of capital punishment', 'D23'], ['Small-scale fishers', 'Persons living in rural areas']]);

    await page.goto(`${t.baseUrl}/theme-aliases`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('row', { name: /Small-scale fishers/ }).getByRole('button', { name: /Remove/ }).click();
    await page.waitForURL(`${t.baseUrl}/theme-aliases`);
    await expect(page.getByText('1 alias.').isVisible()).resolves.toBe(true);
    const trail = (await t.http.get('/api/v1/audit').query({ entity: 'vocabulary_alias' }).set('Authorization', admin.auth).expect(200)).body.items;
    expect(trail.map((e: { action: string; actorId: number }) => [e.action, e.actorId])).toEqual([['removed', admin.id], ['added', admin.id], ['added', admin.id]]);
    await page.close();
  });

  it('should keep the page and its menu entry from members', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, member.email);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Theme and group aliases' }).count()).resolves.toBe(0);
    expect((await page.goto(`${t.baseUrl}/theme-aliases`))?.status()).toBe(403);
    await page.close();
  });
});
