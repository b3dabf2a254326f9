import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestUser } from '../support/test-app';
import { IntakeSettingsService } from '../../src/testimonies/intake-settings.service';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';

/**
 * The main pages on real data (the OHCHR matrix of China's 2013 review, from ../shared/data), each
 * checked for its heading and with axe-core. `npm run screenshots` (UPDATE_SCREENSHOTS=1) also
 * writes them to docs/screenshots/ for the README; otherwise they go to a temporary folder.
 */
const REAL_DOCX = join(__dirname, '..', '..', '..', 'shared', 'data', 'ohchr-thematic-lists', 'Matrix_recommendations_2013.docx');
const OUT = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'upr-screens-'));

describe('Main pages on real data (screenshots)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let coordinator: TestUser;
  let cycleId: number;
  let recommendationId: number;

  beforeAll(async () => {
    if (!existsSync(REAL_DOCX)) throw new Error(`The real file this suite needs is missing: ${REAL_DOCX} (see ../shared/data/README.md)`);
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000', TESTIMONY_KEY: randomBytes(32).toString('base64') });
    browser = await launchBrowser();
    const coalition = 'China Human Rights Coalition';
    admin = await t.createUser('admin', coalition, 'ada.admin@example.org');
    coordinator = await t.createUser('coordinator', coalition, 'chen.coordinator@example.org');
    await t.createUser('member', coalition, 'mei.member@example.org');
    cycleId = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 2, stateUnderReview: 'China', reviewDate: '2013-10-22' }).expect(201)).body.id;
    await t.http.post('/api/v1/imports').set('Authorization', admin.auth).field('cycleId', String(cycleId)).attach('file', REAL_DOCX).expect(201);
    const listed = (await t.http.get(`/api/v1/recommendations?cycleId=${cycleId}&pageSize=12`).set('Authorization', admin.auth).expect(200)).body;
    const ids: number[] = listed.items.map((r: { id: number }) => r.id);
    recommendationId = ids[0];
    const as = coordinator.auth;
    await t.http.patch(`/api/v1/recommendations/${recommendationId}`).set('Authorization', as).send({ ownerIds: [coordinator.id] }).expect(200);
    await t.http.post(`/api/v1/recommendations/${recommendationId}/status`).set('Authorization', as).send({ status: 'in_progress', note: 'The draft law was tabled in March.', notePublic: true }).expect(201);
    const evidence = await t.http.post(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', as).send({ kind: 'link', title: 'Draft law, first reading', url: 'https://example.org/draft-law' }).expect(201);
    await t.http.post(`/api/v1/recommendations/${recommendationId}/status`).set('Authorization', as).send({ status: 'partially_implemented', note: 'Adopted, but not yet applied in the provinces.', evidenceIds: [evidence.body.id], notePublic: true }).expect(201);
    const statuses = ['not_started', 'in_progress', 'not_implemented', 'in_progress', 'not_started', 'regressed', 'in_progress', 'not_started'];
    for (const [i, status] of statuses.entries()) {
      await t.http.post(`/api/v1/recommendations/${ids[i + 1]}/status`).set('Authorization', as).send({ status, note: 'Assessed at the coalition meeting.' }).expect(201);
    }
    const today = new Date();
    const inDays = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    await t.http.post('/api/v1/deadlines').set('Authorization', as).send({ recommendationId, kind: 'evidence_due', title: 'Provincial data', dueDate: inDays(12), dueTime: '17:00', timeZone: 'Asia/Shanghai', assigneeIds: [coordinator.id] }).expect(201);
    await t.http.post('/api/v1/deadlines').set('Authorization', as).send({ recommendationId: ids[2], kind: 'evidence_due', title: 'Court statistics', dueDate: inDays(-3), timeZone: 'Asia/Shanghai', assigneeIds: [coordinator.id] }).expect(201);
    await t.http.post(`/api/v1/cycles/${cycleId}/publish`).set('Authorization', admin.auth).expect(200);
    await t.app.get(IntakeSettingsService).enable(admin.coalitionId, { slug: 'testimonios' }, null);
    for (const [text, consent] of [['The police held us at the station for two days without a lawyer.', 'anonymised'], ['My brother was taken from the border shelter.', 'internal']]) {
      await t.http.post('/api/v1/public/testimonies/testimonios').send({ text, consent, language: 'en' }).expect(201);
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function shoot(page: Page, path: string, name: string, heading: RegExp): Promise<void> {
    const response = await page.goto(`${t.baseUrl}${path}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').first().textContent()).resolves.toMatch(heading);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
  }

  it('should render the signed-out pages: sign in and the public ledger', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await shoot(page, '/login', 'sign-in', /Sign in/);
    await shoot(page, `/ledger/${cycleId}`, 'public-ledger', /China/);
    await page.close();
  });

  it("should render a coordinator's pages: dashboard, list, detail", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await signIn(page, t.baseUrl, coordinator.email);
    await shoot(page, '/', 'dashboard', /Dashboard/);
    await shoot(page, `/recommendations?cycleId=${cycleId}`, 'recommendations', /Recommendations/);
    await shoot(page, `/recommendations/${recommendationId}`, 'recommendation', /Recommendation/);
    await shoot(page, '/settings', 'settings', /settings/i);
    await page.close();
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(phone, t.baseUrl, coordinator.email);
    await shoot(phone, `/recommendations/${recommendationId}`, 'recommendation-phone', /Recommendation/);
    await phone.close();
  });

  it("should render an admin's pages: cycles, a cycle, people, outbox, the audit trail, the aliases", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await signIn(page, t.baseUrl, admin.email);
    await shoot(page, '/cycles', 'cycles', /Cycles/);
    await shoot(page, `/cycles/${cycleId}`, 'cycle', /China/);
    await shoot(page, '/people', 'people', /People/);
    await shoot(page, '/outbox', 'outbox', /Outbox/);
    await shoot(page, '/audit', 'audit', /Audit trail/);
    await shoot(page, '/state-aliases', 'aliases', /aliases/i);
    await shoot(page, '/theme-aliases', 'theme-aliases', /aliases/i);
    await shoot(page, '/testimonies', 'testimonies', /Testimonies/);
    await page.getByRole('link', { name: /^Testimony \d+$/ }).first().click();
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.screenshot({ path: join(OUT, 'testimony.png'), fullPage: false });
    await page.close();
  });

  it('should render the public testimony form in Spanish and in Haitian Creole, signed out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await shoot(page, '/testify/testimonios?lang=es', 'testify-es', /Cuéntenos lo que pasó/);
    await shoot(page, '/testify/testimonios?lang=ht', 'testify-ht', /Rakonte nou sa ki te pase/);
    await page.close();
  });
});
