import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/**
 * Issue 10, findings 5 and 7 on the recommendation page: a file uploaded through the page keeps
 * its name and downloads under it; testimony added without ticking "Confidential" is confidential.
 */
describe('Web evidence form (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: TestUser;
  let member: TestUser;
  let recommendationId: number;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    const admin = await t.createUser('admin', 'Coalition Forms');
    coordinator = await t.createUser('coordinator', 'Coalition Forms');
    member = await t.createUser('member', 'Coalition Forms');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 2, stateUnderReview: 'China' }).expect(201);
    recommendationId = (await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', coordinator.auth)
      .send({ paragraph: '186.1', text: 'End arbitrary detention' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function pageAs(user: TestUser): Promise<Page> {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, user.email);
    await page.goto(`${t.baseUrl}/recommendations/${recommendationId}`);
    return page;
  }

  async function addEvidence(page: Page, fill: () => Promise<void>): Promise<void> {
    await fill();
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/recommendations/${recommendationId}/evidence` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add evidence', exact: true }).click(),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForURL(`${t.baseUrl}/recommendations/${recommendationId}#evidence`);
  }

  it('should keep a non-ASCII file name uploaded through the page and download the file under it', async () => {
    const name = '报告-résumé.txt';
    const page = await pageAs(coordinator);
    await addEvidence(page, async () => {
      await page.getByLabel('Title', { exact: true }).fill('Annual report in Chinese');
      await page.setInputFiles('#evidence-file', { name, mimeType: 'text/plain', buffer: Buffer.from('年度报告') });
    });
    await expect(page.locator('#evidence').textContent()).resolves.toContain(name);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Annual report in Chinese', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(name);
    await expect(download.failure()).resolves.toBeNull();
    await page.close();
  });

  it('should make testimony confidential when the box is left unticked, so a member never sees it', async () => {
    const page = await pageAs(coordinator);
    await addEvidence(page, async () => {
      await page.getByLabel('Title', { exact: true }).fill('Testimony of detainee J.D.');
      await page.locator('#evidence-kind').selectOption('testimony');
      await page.getByLabel('Link (an http or https address), or …').fill('https://example.org/testimony/1');
      await expect(page.locator('#evidence-confidential').isChecked()).resolves.toBe(false);
    });
    const item = page.locator('#evidence li', { hasText: 'Testimony of detainee J.D.' });
    await expect(item.locator('.rec-confidential').textContent()).resolves.toBe('confidential');
    await page.close();

    const listed = await t.http.get(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', coordinator.auth).expect(200);
    expect(listed.body.items.find((e: { title: string }) => e.title === 'Testimony of detainee J.D.')).toMatchObject({ kind: 'testimony', confidential: true });

    const memberPage = await pageAs(member);
    const html = await memberPage.content();
    expect(html).toContain('Annual report in Chinese');
    expect(html).not.toContain('Testimony of detainee');
    await memberPage.close();
  });
});
