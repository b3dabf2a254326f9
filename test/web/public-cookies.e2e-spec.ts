import type { Browser } from 'playwright-core';
import request from 'supertest';
import { UnsubscribeTokens } from '../../src/notifications/unsubscribe-tokens';
import { CalendarFeedService } from '../../src/web/calendar/calendar-feed.service';
import { launchBrowser, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

const setCookies = (res: request.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

/**
 * Issue 10, finding 8: no signed-out public page sets a cookie, whatever its status: the public
 * ledger and its files, their 404s and 400s, unknown addresses, the unsubscribe pages and calendar
 * feeds. Pages with a form checked for its CSRF token (the sign-in page) are the exception.
 */
describe('Signed-out public pages set no cookie (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let member: TestUser;
  let cycleId: number;
  let unpublishedCycleId: number;
  let publicFileId: number;
  let confidentialFileId: number;

  beforeAll(async () => {
    t = await startWebApp();
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Cookies');
    member = await t.createUser('member', 'Coalition Cookies');
    const api = (path: string) => t.http.post(`/api/v1${path}`).set('Authorization', admin.auth);
    cycleId = (await api('/cycles').send({ number: 3, stateUnderReview: 'Portugal' }).expect(201)).body.id;
    unpublishedCycleId = (await api('/cycles').send({ number: 4, stateUnderReview: 'Portugal' }).expect(201)).body.id;
    const rec = (await api(`/cycles/${cycleId}/recommendations`).send({ text: 'Protect the privacy of readers' }).expect(201)).body.id;
    const upload = async (confidential: boolean) =>
      (await api(`/recommendations/${rec}/evidence`).field('kind', 'document').field('title', `File ${confidential}`).field('confidential', String(confidential))
        .attach('file', Buffer.from(`file ${confidential}`), { filename: 'file.txt', contentType: 'text/plain' }).expect(201)).body.id;
    publicFileId = await upload(false);
    confidentialFileId = await upload(true);
    await api(`/cycles/${cycleId}/publish`).expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should set no cookie on any public answer, successful or not', async () => {
    const calendar = new URL(await t.app.get(CalendarFeedService).urlFor({ id: member.id, coalitionId: member.coalitionId } as never)).pathname;
    const unsubscribe = await t.app.get(UnsubscribeTokens).sign({ userId: member.id, scope: 'all', version: 0 }, new Date());
    const answers: { request: string; status: number; cookies: string[] }[] = [];
    const check = async (method: 'get' | 'post', path: string, accept = 'text/html', expected: number) => {
      const res = await request(t.baseUrl)[method](path).set('Accept', accept);
      answers.push({ request: `${method.toUpperCase()} ${path}`, status: res.status, cookies: setCookies(res) });
      expect({ path, status: res.status }).toEqual({ path, status: expected });
    };
    await check('get', `/ledger/${cycleId}`, 'text/html', 200);
    await check('get', `/ledger/${cycleId}/evidence/${publicFileId}`, '*/*', 200);
    await check('get', `/ledger/${unpublishedCycleId}`, 'text/html', 404);
    await check('get', '/ledger/999999', 'text/html', 404);
    await check('get', '/ledger/not-a-number', 'text/html', 400);
    await check('get', `/ledger/${cycleId}/evidence/${confidentialFileId}`, 'text/html', 404);
    await check('get', `/ledger/${cycleId}/evidence/999999`, '*/*', 404);
    await check('get', `/ledger/${cycleId}/nothing/here`, 'text/html', 404);
    await check('get', '/no-such-page', 'text/html', 404);
    await check('get', `/unsubscribe/${unsubscribe}`, 'text/html', 200);
    await check('post', '/unsubscribe/forged.token', 'text/html', 400);
    await check('post', '/unsubscribe/forged.token', 'application/json', 400);
    await check('get', calendar, 'text/calendar', 200);
    await check('get', '/calendar/1.0.forged.ics', 'text/calendar', 404);
    await check('get', '/password/reset/not-a-real-link', 'text/html', 404);
    expect(answers.filter((a) => a.cookies.length > 0)).toEqual([]);
  });

  it('should leave a signed-out browser without cookies after the ledger, its 404 and an error page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    expect((await page.goto(`${t.baseUrl}/ledger/${cycleId}`))?.status()).toBe(200);
    expect((await page.goto(`${t.baseUrl}/ledger/${unpublishedCycleId}`))?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Not found');
    expect((await page.goto(`${t.baseUrl}/ledger/abc`))?.status()).toBe(400);
    await expect(context.cookies()).resolves.toEqual([]);
    await context.close();
  });

  it('should still give the sign-in page its visitor and CSRF cookies, which its form needs', async () => {
    const res = await request(t.baseUrl).get('/login');
    expect(res.status).toBe(200);
    expect(setCookies(res).map((c) => c.split('=')[0]).sort()).toEqual(['upr_csrf', 'upr_visitor']);
  });
});
