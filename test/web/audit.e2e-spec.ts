import type { Browser } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/** The audit trail in the pages (issue 12): on the recommendation page and as its own page, for admins and coordinators. */
describe('Web audit trail (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: TestUser;
  let member: TestUser;
  let recommendationId: number;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    const admin = await t.createUser('admin', 'Coalition Pages Audit');
    coordinator = await t.createUser('coordinator', 'Coalition Pages Audit');
    member = await t.createUser('member', 'Coalition Pages Audit');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Chile' }).expect(201);
    const rec = await t.http
      .post(`/api/v1/cycles/${cycle.body.id}/recommendations`)
      .set('Authorization', coordinator.auth)
      .send({ paragraph: '125.3', text: 'Adopt a national action plan on business and human rights' })
      .expect(201);
    recommendationId = rec.body.id;
    await t.http.patch(`/api/v1/recommendations/${recommendationId}`).set('Authorization', coordinator.auth).send({ response: 'supported', themes: ['B51 Business & human rights'] }).expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("should show a coordinator the recommendation's changes, who made them and each field before and after", async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, coordinator.email);
    await page.goto(`${t.baseUrl}/recommendations/${recommendationId}`);
    const changes = page.getByRole('region', { name: 'Changes' });
    const latest = changes.getByRole('listitem').first();
    await expect(latest.textContent()).resolves.toMatch(/Changed\s+Recommendation #\d+\s+by .+, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await expect(latest.locator('dt').allTextContents()).resolves.toEqual(['Response', 'Themes']);
    await expect(latest.locator('dd').first().textContent()).resolves.toMatch(/pending\s*→\s*to\s*supported|from pending → to supported/);
    await expect(changes.getByRole('listitem').nth(1).textContent()).resolves.toContain('Created');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // One timeline: the evidence added to the recommendation is on it too.
    await t.http.post(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', coordinator.auth)
      .send({ kind: 'link', title: 'Ministry circular', url: 'https://example.org/circular' }).expect(201);
    await page.reload();
    await expect(changes.getByRole('listitem').first().textContent()).resolves.toMatch(/Added\s+Evidence #\d+/);

    // The audit trail page, filtered to this recommendation, lists the same three changes.
    await changes.getByRole('link', { name: 'All its changes in the audit trail' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Audit trail');
    await expect(page.getByText('3 changes.').isVisible()).resolves.toBe(true);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('should list every change of the coalition on the audit page, filter it, and say what is wrong with a bad filter', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, coordinator.email);
    await page.goto(`${t.baseUrl}/audit`);
    // The cycle, the recommendation created and changed, and the people made for the test.
    const all = Number(/(\d+) changes?\./.exec((await page.locator('main').textContent()) ?? '')![1]);
    expect(all).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Thing').selectOption('cycle');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.getByText('1 change.').isVisible()).resolves.toBe(true);
    await expect(page.locator('.audit-entries li').first().textContent()).resolves.toContain('Cycle #');

    await page.goto(`${t.baseUrl}/audit?from=yesterday`);
    await expect(page.locator('main').textContent()).resolves.toContain('from must be a date');
    await page.close();
  });

  it('should keep the trail from members: no changes on the recommendation page, and the audit page refused', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, member.email);
    await page.goto(`${t.baseUrl}/recommendations/${recommendationId}`);
    await expect(page.getByRole('region', { name: 'Changes' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Audit trail' }).count()).resolves.toBe(0);
    const refused = await page.goto(`${t.baseUrl}/audit`);
    expect(refused?.status()).toBe(403);
    await page.close();
  });
});
