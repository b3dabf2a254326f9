import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/**
 * Editing and removing evidence from the recommendation page (issue 12): the links show where the
 * person may change the item, the edit form keeps what was typed when refused, removal asks first
 * on a page of its own, and both land in the audit trail.
 */
describe('Web evidence edit and removal (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: TestUser;
  let member: TestUser;
  let recommendationId: number;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    const admin = await t.createUser('admin', 'Coalition Evidence Pages');
    coordinator = await t.createUser('coordinator', 'Coalition Evidence Pages');
    member = await t.createUser('member', 'Coalition Evidence Pages');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 2, stateUnderReview: 'Chile' }).expect(201);
    recommendationId = (await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', coordinator.auth)
      .send({ paragraph: '125.9', text: 'Protect environmental defenders' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const addLink = async (user: TestUser, title: string) =>
    (await t.http.post(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', user.auth).send({ kind: 'link', title, url: 'https://example.org/a' }).expect(201)).body.id as number;

  async function recommendationPageAs(user: TestUser): Promise<Page> {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, user.email);
    await page.goto(`${t.baseUrl}/recommendations/${recommendationId}`);
    return page;
  }

  it('should offer a member the edit and remove links on their own items only', async () => {
    await addLink(member, 'Photos of the march');
    await addLink(coordinator, 'Statement of the ministry');
    const page = await recommendationPageAs(member);
    const own = page.locator('#evidence li', { hasText: 'Photos of the march' });
    const others = page.locator('#evidence li', { hasText: 'Statement of the ministry' });
    await expect(own.getByRole('link', { name: 'Edit Photos of the march' }).count()).resolves.toBe(1);
    await expect(own.getByRole('link', { name: 'Remove Photos of the march' }).count()).resolves.toBe(1);
    await expect(others.getByRole('link').allTextContents()).resolves.toEqual(['Statement of the ministry']);
    await page.close();
  });

  it('should edit an item through its form, show a refusal next to the field with what was typed, and record the change', async () => {
    const id = await addLink(coordinator, 'Draft law on defenders');
    const page = await recommendationPageAs(coordinator);
    await page.getByRole('link', { name: 'Edit Draft law on defenders' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Edit evidence');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Title').fill('Draft law on defenders (second reading)');
    await page.getByLabel('Link (an http or https address)').fill('not an address');
    await page.getByRole('button', { name: 'Save evidence' }).click();
    await expect(page.locator('#evidence-url-error').textContent()).resolves.toMatch(/url must be an http\(s\) address/);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Draft law on defenders (second reading)');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Link (an http or https address)').fill('https://example.org/law');
    await page.getByLabel(/^Confidential/).check();
    await page.getByRole('button', { name: 'Save evidence' }).click();
    await page.waitForURL(`${t.baseUrl}/recommendations/${recommendationId}#evidence`);
    const item = page.locator('#evidence li', { hasText: 'Draft law on defenders (second reading)' });
    await expect(item.locator('.rec-confidential').textContent()).resolves.toBe('confidential');
    await expect(item.getByRole('link', { name: 'Draft law on defenders (second reading)', exact: true }).getAttribute('href')).resolves.toBe('https://example.org/law');
    await page.close();

    const trail = (await t.http.get('/api/v1/audit').query({ entity: 'evidence', entityId: id }).set('Authorization', coordinator.auth).expect(200)).body.items;
    expect(trail[0]).toMatchObject({ action: 'reclassified', actorId: coordinator.id, before: { confidential: false, title: '(confidential)' }, after: { confidential: true, title: '(confidential)' } });
  });

  it('should remove an item only after confirmation, delete its file, and show the removal in the audit trail', async () => {
    const bytes = Buffer.from(`a leaflet ${Date.now()}`);
    const file = (await t.http.post(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', member.auth)
      .field('kind', 'document').field('title', 'Leaflet of the campaign').attach('file', bytes, { filename: 'leaflet.txt', contentType: 'text/plain' }).expect(201)).body;
    const onDisk = () => existsSync(join(t.config.storage.evidenceDir, file.sha256));
    expect(onDisk()).toBe(true);

    const page = await recommendationPageAs(member);
    await page.getByRole('link', { name: 'Remove Leaflet of the campaign' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Remove evidence');
    await expect(page.locator('main').textContent()).resolves.toContain('Remove Leaflet of the campaign');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    // Cancel changes nothing.
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(page.locator('#evidence').textContent()).resolves.toContain('Leaflet of the campaign');
    expect(onDisk()).toBe(true);

    await page.getByRole('link', { name: 'Remove Leaflet of the campaign' }).click();
    await page.getByRole('button', { name: 'Remove evidence' }).click();
    await page.waitForURL(`${t.baseUrl}/recommendations/${recommendationId}#evidence`);
    await expect(page.getByText('Evidence removed: Leaflet of the campaign.').isVisible()).resolves.toBe(true);
    await expect(page.locator('#evidence').textContent()).resolves.not.toContain('Leaflet of the campaign');
    expect(onDisk()).toBe(false);
    await page.close();

    const staff = await recommendationPageAs(coordinator);
    await staff.goto(`${t.baseUrl}/audit?entity=evidence&entityId=${file.id}`);
    const latest = staff.locator('main li').first();
    await expect(latest.textContent()).resolves.toMatch(/Removed\s+Evidence #\d+/);
    await expect(seriousA11yViolations(staff)).resolves.toEqual([]);
    await staff.close();
  });

  it('should offer the same links on an item carried from a closed cycle while it is followed on, and none once superseded', async () => {
    const admin = await t.createUser('admin', 'Coalition Evidence Pages');
    const api = (user: TestUser, path: string, body: object) => t.http.post(`/api/v1${path}`).set('Authorization', user.auth).send(body);
    const closed = (await api(admin, '/cycles', { number: 2, stateUnderReview: 'Peru' }).expect(201)).body.id;
    const carriedId = (await api(coordinator, `/cycles/${closed}/recommendations`, { paragraph: '110.4', text: 'Protect Indigenous land defenders' }).expect(201)).body.id;
    await api(member, `/recommendations/${carriedId}/evidence`, { kind: 'link', title: 'Carried photos', url: 'https://example.org/p' }).expect(201);
    await api(coordinator, `/recommendations/${carriedId}/evidence`, { kind: 'link', title: 'Carried statement', url: 'https://example.org/s' }).expect(201);
    const next = (await api(admin, `/cycles/${closed}/close`, { nextCycle: { number: 3 } }).expect(200)).body;
    expect(next.carried).toEqual([{ recommendationId: carriedId, cycleId: closed }]);

    const linksAs = async (user: TestUser) => {
      const page = await browser.newPage();
      await signIn(page, t.baseUrl, user.email);
      await page.goto(`${t.baseUrl}/recommendations/${carriedId}`);
      const links = await page.locator('#evidence .rec-evidence-actions a').allTextContents();
      return { page, links };
    };
    const asMember = await linksAs(member);
    // The same role rules as on an ordinary recommendation: a member changes only what they submitted.
    expect(asMember.links).toEqual(['Edit Carried photos', 'Remove Carried photos']);
    await asMember.page.getByRole('link', { name: 'Edit Carried photos' }).click();
    await expect(asMember.page.locator('h1').textContent()).resolves.toBe('Edit evidence');
    await asMember.page.close();
    const asCoordinator = await linksAs(coordinator);
    expect(asCoordinator.links).toEqual(['Edit Carried photos', 'Remove Carried photos', 'Edit Carried statement', 'Remove Carried statement']);
    await expect(seriousA11yViolations(asCoordinator.page)).resolves.toEqual([]);
    await asCoordinator.page.close();

    // A recurring recommendation of the next cycle supersedes it: its follow-up goes on there, this item is frozen with its cycle.
    await api(coordinator, `/cycles/${next.nextCycle.id}/recommendations`, { paragraph: '98.1', text: 'Protect Indigenous land defenders', predecessorId: carriedId }).expect(201);
    const superseded = await linksAs(coordinator);
    expect(superseded.links).toEqual([]);
    await superseded.page.close();
  });

  it("should refuse a member the edit page of someone else's item", async () => {
    const id = await addLink(coordinator, 'Coordinator notes');
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, member.email);
    const res = await page.goto(`${t.baseUrl}/evidence/${id}/edit`);
    expect(res?.status()).toBe(403);
    await expect(page.locator('main').textContent()).resolves.toContain('Members may change or remove only the evidence they submitted');
    await page.close();
  });
});
