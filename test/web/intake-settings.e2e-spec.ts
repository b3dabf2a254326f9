import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/** The admins' Testimony intake page (issue 13), in a real browser. */
describe('Web: testimony intake settings (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let coordinator: TestUser;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000', TESTIMONY_KEY: randomBytes(32).toString('base64') });
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Page Intake');
    coordinator = await t.createUser('coordinator', 'Coalition Page Intake');
    await t.createUser('admin', 'Coalition Page Taken');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should let an admin open the intake at an address, change it and close it, with the refusals next to the field', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, admin.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Testimony intake' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe("People's UPR intake");
    await expect(page.getByText('Closed.').count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel(/^Address/).fill('Not a slug!');
    await page.getByRole('button', { name: 'Open the intake' }).click();
    await expect(page.locator('#slug-error').textContent()).resolves.toContain('slug must be 3 to 60 lower-case letters');

    await page.getByLabel(/^Address/).fill('page-voices');
    await page.getByRole('button', { name: 'Open the intake' }).click();
    await expect(page.getByText('POST /api/v1/public/testimonies/page-voices').count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await t.http.post('/api/v1/public/testimonies/page-voices').send({ text: 'x', consent: 'internal', language: 'en' }).expect(201);

    // Another coalition's address is refused, naming the field.
    const [taken] = await t.dataSource.query(`SELECT id FROM coalition WHERE name = 'Coalition Page Taken'`);
    await t.http.get('/health').expect(200);
    await t.app.get((await import('../../src/testimonies/intake-settings.service')).IntakeSettingsService).enable(taken.id, { slug: 'taken-voices' }, null);
    await page.getByLabel(/^Address/).fill('taken-voices');
    await page.getByRole('button', { name: 'Change the address' }).click();
    await expect(page.locator('#slug-error').textContent()).resolves.toContain('"taken-voices" is the intake address of another coalition');

    await page.getByRole('button', { name: 'Close the intake' }).click();
    await expect(page.getByText('Testimony intake is closed').count()).resolves.toBe(1);
    await t.http.post('/api/v1/public/testimonies/page-voices').send({ text: 'x', consent: 'internal', language: 'en' }).expect(404);
    const audit = await t.http.get('/api/v1/audit?entity=intake').set('Authorization', admin.auth).expect(200);
    expect(audit.body.items.map((entry: { action: string; actorId: number }) => [entry.action, entry.actorId])).toEqual([['disabled', admin.id], ['enabled', admin.id]]);
    await page.close();
  });

  it("should show a coordinator the queue and a testimony, recording the read, and not the intake settings", async () => {
    await t.app.get((await import('../../src/testimonies/intake-settings.service')).IntakeSettingsService).enable(coordinator.coalitionId, { slug: 'page-voices' }, null);
    await t.http.post('/api/v1/public/testimonies/page-voices').send({ text: 'Held <b>nine</b> days without a lawyer', consent: 'anonymised', language: 'es', place: 'El Paso' }).expect(201);
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, coordinator.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Testimonies' }).click();
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await expect(page.getByRole('row').count()).resolves.toBe(3); // the header, the one sent on the page earlier, this one
    await page.getByRole('link', { name: /^Testimony \d+$/ }).first().click();
    await expect(page.locator('.testimony-text').first().textContent()).resolves.toBe('Held <b>nine</b> days without a lawyer');
    await expect(page.getByText('May be quoted anonymised').count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    const audit = await t.http.get('/api/v1/audit?entity=testimony').set('Authorization', admin.auth).expect(200);
    expect(audit.body.items.filter((entry: { action: string; actorId: number }) => entry.action === 'read' && entry.actorId === coordinator.id)).toHaveLength(1);

    await expect(page.getByRole('link', { name: 'Testimony intake' }).count()).resolves.toBe(0);
    const res = await page.goto(`${t.baseUrl}/settings/intake`);
    expect(res?.status()).toBe(403);
    await page.close();
  });
});
