import type { Browser, Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/** The State aliases page (issue 12): admins list, add and remove their coalition's spellings of States. */
describe('Web State aliases page (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Alias Pages');
    coordinator = await t.createUser('coordinator', 'Coalition Alias Pages');
    member = await t.createUser('member', 'Coalition Alias Pages');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function aliasPage(): Promise<Page> {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, admin.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'State aliases' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('State aliases');
    return page;
  }

  async function add(page: Page, state: string, alias: string): Promise<void> {
    await page.getByLabel('State', { exact: true }).selectOption({ label: state });
    await page.getByLabel('Alias (the spelling your files use)').fill(alias);
    await page.getByRole('button', { name: 'Add alias' }).click();
  }

  it('should add an alias chosen from the canonical States, list it, and remove it after confirmation', async () => {
    const page = await aliasPage();
    await expect(page.getByText('0 aliases.').isVisible()).resolves.toBe(true);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await add(page, "Côte d'Ivoire", 'Republique de Cote d Ivoire');
    await page.waitForURL(`${t.baseUrl}/state-aliases`);
    await expect(page.getByText('"Republique de Cote d Ivoire" now names Côte d\'Ivoire.', { exact: false }).isVisible()).resolves.toBe(true);
    const row = page.getByRole('row', { name: /Republique de Cote d Ivoire/ });
    await expect(row.textContent()).resolves.toMatch(/Côte d'Ivoire\s*CIV/);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    // The API and imports see it at once.
    const listed = (await t.http.get('/api/v1/admin/state-aliases').set('Authorization', admin.auth).expect(200)).body;
    expect(listed.items.map((a: { alias: string; stateCode: string }) => [a.alias, a.stateCode])).toEqual([['Republique de Cote d Ivoire', 'CIV']]);

    // Dismissing the confirmation keeps it; accepting removes it.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.getByRole('button', { name: /Remove/ }).click();
    await expect(page.getByText('1 alias.').isVisible()).resolves.toBe(true);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: /Remove/ }).click();
    await page.waitForURL(`${t.baseUrl}/state-aliases`);
    await expect(page.getByText('0 aliases.').isVisible()).resolves.toBe(true);
    const trail = (await t.http.get('/api/v1/audit').query({ entity: 'state_alias' }).set('Authorization', admin.auth).expect(200)).body.items;
    expect(trail.map((e: { action: string; actorId: number }) => [e.action, e.actorId])).toEqual([['removed', admin.id], ['added', admin.id]]);
    await page.close();
  });

  it("should say clearly what is wrong: no State chosen, an alias that is already a State's name, a duplicate", async () => {
    const page = await aliasPage();
    await page.getByLabel('Alias (the spelling your files use)').fill('Somewhere');
    await page.getByRole('button', { name: 'Add alias' }).click();
    await expect(page.locator('#alias-state-error').textContent()).resolves.toMatch(/state/);
    await expect(page.getByLabel('Alias (the spelling your files use)').inputValue()).resolves.toBe('Somewhere');

    await add(page, 'France', 'Ivory Coast');
    await expect(page.locator('#alias-text-error').textContent()).resolves.toBe('alias: "Ivory Coast" already names Côte d\'Ivoire (CIV)');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await add(page, 'Greece', 'Hellenic Rep.');
    await page.waitForURL(`${t.baseUrl}/state-aliases`);
    await add(page, 'Greece', 'Hellenic Rep.');
    await expect(page.locator('#alias-text-error').textContent()).resolves.toBe('alias: "Hellenic Rep." already names Greece (GRC)');
    await expect(page.getByText('1 alias.').isVisible()).resolves.toBe(true);

    // An unknown State (a forged form): the page names it.
    const token = await page.locator('#alias-form input[name="_csrf"]').inputValue();
    const res = await page.request.post(`${t.baseUrl}/state-aliases`, { form: { _csrf: token, state: 'Atlantis', alias: 'Lost city' } });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain('not a State: &quot;Atlantis&quot;');
    await page.close();
  });

  it('should keep the page and its menu entry from coordinators and members', async () => {
    for (const user of [coordinator, member]) {
      const page = await browser.newPage();
      await signIn(page, t.baseUrl, user.email);
      await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'State aliases' }).count()).resolves.toBe(0);
      const res = await page.goto(`${t.baseUrl}/state-aliases`);
      expect(res?.status()).toBe(403);
      await page.close();
    }
  });
});
