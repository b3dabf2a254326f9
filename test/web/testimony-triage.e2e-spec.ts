import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { IntakeSettingsService } from '../../src/testimonies/intake-settings.service';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/** The coordinators' triage of a testimony (issue 13) in a real browser: state and tags, links, the excerpt, and the ledger citing it. */
describe('Web: testimony triage (real browser)', () => {
  const MARKER = `zq${randomBytes(6).toString('hex')}page`;
  const EXCERPT = 'Held nine days at the border without seeing a lawyer.';
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let coordinator: TestUser;
  let cycleId: number;
  let recommendationId: number;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000', TESTIMONY_KEY: randomBytes(32).toString('base64') });
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Page Triage');
    coordinator = await t.createUser('coordinator', 'Coalition Page Triage');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'United States of America' }).expect(201);
    cycleId = cycle.body.id;
    const rec = await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', admin.auth)
      .send({ paragraph: '26.7', text: 'End the mandatory detention of asylum seekers', response: 'no_response' }).expect(201);
    recommendationId = rec.body.id;
    await t.app.get(IntakeSettingsService).enable(coordinator.coalitionId, { slug: 'page-triage' }, null);
    await t.http.post('/api/v1/public/testimonies/page-triage').send({ text: `${MARKER} was held`, consent: 'anonymised', language: 'en' }).expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should let a coordinator filter the queue, tag, link and quote a testimony, with refusals next to the field, and the ledger cite only the excerpt', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, coordinator.email);
    await page.goto(`${t.baseUrl}/testimonies`);
    await page.getByLabel('State').selectOption('reviewed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.getByText('0 testimonies').count()).resolves.toBe(1);
    await page.getByLabel('State').selectOption('new');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: /^Testimony \d+$/ }).first().click();
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // State and tags: an unknown theme is refused beside its field, nothing saved.
    await page.getByLabel(/^Themes/).fill('Death penalties');
    await page.getByLabel('State', { exact: true }).selectOption('reviewed');
    await page.getByRole('button', { name: 'Save state and tags' }).click();
    await expect(page.locator('#form-error').textContent()).resolves.toContain('Death penalties');
    await expect(page.locator('#triage-themes-error').textContent()).resolves.toContain('not a UHRI theme');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.getByLabel(/^Themes/).fill('D25');
    await page.getByLabel(/^Affected groups/).fill('detainees');
    await page.getByRole('button', { name: 'Save state and tags' }).click();
    await expect(page.getByText(/state reviewed, tags saved/).count()).resolves.toBe(1);
    await expect(page.getByText('Persons deprived of their liberty').count()).resolves.toBeGreaterThan(0);

    // Links: an id of nothing is refused; a recommendation found by search is linked.
    await page.getByLabel(/^Recommendation ids/).fill('999999');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expect(page.locator('#link-ids-error').textContent()).resolves.toContain('999999');
    await page.getByLabel('Find recommendations', { exact: true }).fill('asylum');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel(/End the mandatory detention/).check();
    await page.getByLabel(/^Recommendation ids/).fill('');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expect(page.getByText('is linked to 1 recommendation').count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: `Recommendation ${recommendationId}` }).count()).resolves.toBe(1);
    await expect(page.locator('dd').first().textContent()).resolves.toBe('linked');

    // The excerpt.
    await page.getByLabel('Excerpt', { exact: true }).fill(EXCERPT);
    await page.getByRole('button', { name: 'Save excerpt' }).click();
    await expect(page.getByText('Excerpt saved.').count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await t.http.post(`/api/v1/cycles/${cycleId}/publish`).set('Authorization', admin.auth).expect(200);
    await page.goto(`${t.baseUrl}/ledger/${cycleId}`);
    await expect(page.locator('.ledger-excerpt').textContent()).resolves.toBe(EXCERPT);
    await expect(page.content()).resolves.not.toContain(MARKER);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // Unlinked: the ledger no longer cites it.
    await page.goBack();
    await page.getByRole('button', { name: `Remove link to recommendation ${recommendationId}` }).click();
    await expect(page.getByText('Not linked to any recommendation.').count()).resolves.toBe(1);
    await page.goto(`${t.baseUrl}/ledger/${cycleId}`);
    await expect(page.locator('.ledger-excerpt').count()).resolves.toBe(0);
    await page.close();
  });
});
