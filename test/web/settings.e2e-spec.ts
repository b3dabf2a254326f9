import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import { UnsubscribeTokens } from '../../src/notifications/unsubscribe-tokens';
import type { TestUser } from '../support/test-app';

/** My settings (email preferences, calendar feed) and the dashboard, in a real browser. */
describe('Web settings, calendar feed and dashboard (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: TestUser;
  let member: TestUser;
  let other: TestUser;
  let cycleId: number;
  let recommendationId: number;
  const deadlines: Record<string, number> = {};

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    coordinator = await t.createUser('coordinator', 'Coalition Settings');
    member = await t.createUser('member', 'Coalition Settings');
    other = await t.createUser('member', 'Coalition Settings');
    const admin = await t.createUser('admin', 'Coalition Settings');
    // The test clock stands at 2026-11-29 12:00 UTC.
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Chile' }).expect(201);
    cycleId = cycle.body.id;
    const rec = await t.http
      .post(`/api/v1/cycles/${cycleId}/recommendations`)
      .set('Authorization', coordinator.auth)
      .send({ paragraph: '125.3', text: 'Adopt a national action plan on business and human rights', ownerIds: [member.id] })
      .expect(201);
    recommendationId = rec.body.id;
    await t.http
      .post(`/api/v1/cycles/${cycleId}/recommendations`)
      .set('Authorization', coordinator.auth)
      .send({ paragraph: '125.4', text: 'Ratify the Escazú Agreement', ownerIds: [other.id] })
      .expect(201);
    const deadline = async (key: string, body: object) => {
      const res = await t.http.post('/api/v1/deadlines').set('Authorization', coordinator.auth).send({ kind: 'other', timeZone: 'America/Santiago', ...body }).expect(201);
      deadlines[key] = res.body.id;
    };
    await deadline('upcoming', { recommendationId, kind: 'evidence_due', title: 'Evidence on the action plan', dueDate: '2026-12-09', assigneeIds: [member.id] });
    await deadline('overdue', { cycleId, kind: 'mid_term_report', title: 'Mid-term shadow report draft', dueDate: '2026-11-20', assigneeIds: [member.id] });
    await deadline('notMine', { cycleId, title: 'Someone else’s hearing prep', dueDate: '2026-12-05', assigneeIds: [other.id] });
    await t.http.post(`/api/v1/recommendations/${recommendationId}/status`).set('Authorization', coordinator.auth).send({ status: 'in_progress', note: 'Confidential: source inside ministry', evidenceIds: [] }).expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should save email settings and show them again, refusing an unknown time zone next to the field', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, member.email);
    await page.goto(`${t.baseUrl}/settings`);
    await expect(page.locator('h1').textContent()).resolves.toBe('My settings');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await expect(page.getByRole('group', { name: /Deadline reminders/ }).getByLabel('Right away, one email each').isChecked()).resolves.toBe(true);

    await page.getByRole('group', { name: /Deadline reminders/ }).getByLabel('In one daily digest').check();
    await page.getByRole('group', { name: /Status and response changes/ }).getByLabel('Off').check();
    await page.getByLabel('Hour of the daily digest').selectOption('18');
    await page.getByLabel('Time zone').selectOption('America/Santiago');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Your settings are saved.');

    await page.goto(`${t.baseUrl}/settings`);
    await expect(page.getByRole('group', { name: /Deadline reminders/ }).getByLabel('In one daily digest').isChecked()).resolves.toBe(true);
    await expect(page.getByRole('group', { name: /Status and response changes/ }).getByLabel('Off').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Hour of the daily digest').inputValue()).resolves.toBe('18');
    await expect(page.getByLabel('Time zone').inputValue()).resolves.toBe('America/Santiago');
    const api = await t.http.get('/api/v1/me/preferences').set('Authorization', member.auth).expect(200);
    expect(api.body).toMatchObject({ reminders: 'daily_digest', statusChanges: 'off', digestHour: 18, timeZone: 'America/Santiago' });

    // A value the select never offers (a crafted post) is refused in words, and nothing is saved.
    await page.locator('#timeZone').evaluate((select: { options: { value: string }[]; value: string }) => {
      select.options[0].value = 'Mars/Olympus_Mons';
      select.value = 'Mars/Olympus_Mons';
    });
    await page.getByRole('group', { name: /Deadline reminders/ }).getByLabel('Off').check();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save settings' }).click()]);
    expect(response.status()).toBe(422);
    await expect(page.locator('#timeZone-error').textContent()).resolves.toContain('IANA time zone');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    const unchanged = await t.http.get('/api/v1/me/preferences').set('Authorization', member.auth).expect(200);
    expect(unchanged.body).toMatchObject({ reminders: 'daily_digest', timeZone: 'America/Santiago' });
    await page.close();
  });

  it('should unsubscribe from the link of an email with the page\'s button, and say so in a page', async () => {
    const unsubscriber = await t.createUser('member', 'Coalition Settings');
    const token = await t.app.get(UnsubscribeTokens).sign({ userId: unsubscriber.id, scope: 'reminders', version: 0 }, t.clock.now());
    const page = await browser.newPage();
    try {
      await page.goto(`${t.baseUrl}/unsubscribe/${token}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Stop these emails?');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Unsubscribed');
      expect(await page.locator('main').textContent()).toContain(`${unsubscriber.email} no longer receives deadline reminders`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      const preferences = await t.http.get('/api/v1/me/preferences').set('Authorization', unsubscriber.auth).expect(200);
      expect(preferences.body.reminders).toBe('off');
      // The same link again (back, press again): spent, said in words.
      await page.goto(`${t.baseUrl}/unsubscribe/${token}`);
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link does not work');
      expect(await page.locator('main').textContent()).toContain('already used');
    } finally {
      await page.close();
    }
  });

  it('should serve my deadlines as a calendar feed, and answer 404 for the old address after a reset', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, member.email);
    await page.goto(`${t.baseUrl}/settings`);
    const url = await page.getByLabel('Your calendar feed address').inputValue();
    expect(url.startsWith(`${t.baseUrl}/calendar/`)).toBe(true);
    const path = new URL(url).pathname;

    // Fetched the way a calendar app does: no cookie, no token.
    const feed = await request(t.baseUrl).get(path).expect(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const ics = feed.text.replace(/\r\n[ \t]/g, '');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(`UID:deadline-${deadlines.upcoming}@127.0.0.1`);
    expect(ics).toContain('SUMMARY:Evidence due: Evidence on the action plan');
    expect(ics).toContain(`UID:deadline-${deadlines.overdue}@127.0.0.1`);
    expect(ics).not.toContain(`UID:deadline-${deadlines.notMine}@`);
    expect(ics).not.toContain('Confidential');
    // The same address answers the same events (stable UIDs for subscribed calendars).
    const again = await request(t.baseUrl).get(path).expect(200);
    expect(again.text.match(/UID:[^\r\n]+/g)).toEqual(feed.text.match(/UID:[^\r\n]+/g));

    // A forged signature, or another person's id with my signature: 404.
    const [id, version, mac] = path.slice('/calendar/'.length, -'.ics'.length).split('.');
    await request(t.baseUrl).get(`/calendar/${id}.${version}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}.ics`).expect(404);
    await request(t.baseUrl).get(`/calendar/${other.id}.${version}.${mac}.ics`).expect(404);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset the address' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('the old one no longer works');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    const newUrl = await page.getByLabel('Your calendar feed address').inputValue();
    expect(newUrl).not.toBe(url);
    await request(t.baseUrl).get(path).expect(404);
    const fresh = await request(t.baseUrl).get(new URL(newUrl).pathname).expect(200);
    expect(fresh.text).toContain(`UID:deadline-${deadlines.upcoming}@127.0.0.1`);
    await page.close();
  });

  it('should show my assignment, an upcoming and an overdue deadline, recent changes and the cycle chart on the dashboard', async () => {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, member.email);
    await page.goto(`${t.baseUrl}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    const assignments = await page.getByRole('table', { name: 'Recommendations you own' }).textContent();
    expect(assignments).toContain('125.3: Adopt a national action plan');
    expect(assignments).toContain('In progress');
    expect(assignments).not.toContain('Escazú');
    const upcoming = await page.getByRole('region', { name: 'Due in the next 30 days' }).textContent();
    expect(upcoming).toContain('Evidence due: Evidence on the action plan');
    expect(upcoming).not.toContain('hearing prep');
    const overdue = await page.getByRole('region', { name: 'Overdue' }).textContent();
    expect(overdue).toContain('Mid-term report due: Mid-term shadow report draft');
    expect(overdue).not.toContain('Evidence on the action plan');
    const changes = await page.getByRole('region', { name: 'Recent changes' }).textContent();
    expect(changes).toContain('Recommendation 125.3: Not assessed → In progress');
    expect(changes).not.toContain('Confidential');

    const chart = page.getByRole('img', { name: /Chile, UPR cycle 4 by implementation status/ });
    await expect(chart.count()).resolves.toBe(1);
    await expect(page.locator('.dashboard-chart rect').count()).resolves.toBe(7);
    await expect(page.getByRole('region', { name: 'Cycle by status' }).textContent()).resolves.toContain('2 recommendations');

    // A person with nothing assigned sees that said plainly.
    const adminPage = await browser.newPage();
    await signIn(adminPage, t.baseUrl, coordinator.email);
    await expect(adminPage.getByRole('region', { name: 'My assignments' }).textContent()).resolves.toContain('No recommendations are assigned to you yet');
    await expect(adminPage.getByRole('region', { name: 'Overdue' }).textContent()).resolves.toContain('Nothing of yours is overdue');
    await adminPage.close();
    await page.close();
  });
});
