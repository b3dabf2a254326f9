import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/** The public ledger of a published cycle, read by a signed-out browser: only what is public. */
describe('Web public ledger (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let cycleId: number;
  let otherCycleId: number;
  const evidence: Record<string, number> = {};

  const PUBLIC_NOTE = 'Bill 12 passed its first reading in parliament';
  const PRIVATE_NOTE = 'Source inside the ministry says the vote was bought';
  const PUBLIC_FILE = Buffer.from('%PDF-1.4\nA public shadow report\n%%EOF\n');

  function api(method: 'get' | 'post', path: string, as: TestUser = admin) {
    return t.http[method](`/api/v1${path}`).set('Authorization', as.auth);
  }

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Ledger');
    coordinator = await t.createUser('coordinator', 'Coalition Ledger');
    member = await t.createUser('member', 'Coalition Ledger');

    cycleId = (await api('post', '/cycles').send({ number: 3, stateUnderReview: 'Uruguay', session: '36', reviewDate: '2020-11-09' }).expect(201)).body.id;
    otherCycleId = (await api('post', '/cycles').send({ number: 2, stateUnderReview: 'Uruguay', session: '22' }).expect(201)).body.id;
    const first = (await api('post', `/cycles/${cycleId}/recommendations`, coordinator)
      .send({ paragraph: '26.10', text: 'Ratify the <b>Optional Protocol</b> to the Convention against Torture', recommendingStates: ['Portugal', 'Brazil'], response: 'supported' })
      .expect(201)).body.id;
    await api('post', `/cycles/${cycleId}/recommendations`, coordinator).send({ paragraph: '26.11', text: 'Abolish the death penalty', response: 'noted' }).expect(201);

    const link = async (title: string, confidential: boolean, kind = 'report') =>
      (await api('post', `/recommendations/${first}/evidence`, member).send({ kind, title, url: `https://example.org/${kind}/${encodeURIComponent(title)}`, confidential }).expect(201)).body.id;
    evidence.publicLink = await link('Parliamentary record of the first reading', false);
    evidence.confidentialLink = await link('Minutes leaked by a ministry official', true);
    evidence.testimony = await link('Testimony of detainee J.D. at Facility X', false, 'testimony');
    const upload = async (title: string, confidential: boolean, name: string) =>
      (await api('post', `/recommendations/${first}/evidence`, member)
        .field('kind', 'document').field('title', title).field('confidential', String(confidential))
        .attach('file', confidential ? Buffer.from('names of witnesses') : PUBLIC_FILE, name).expect(201)).body.id;
    evidence.publicFile = await upload('Shadow report 2025', false, 'shadow-report.pdf');
    evidence.confidentialFile = await upload('List of witnesses', true, 'witnesses.txt');

    await api('post', `/recommendations/${first}/status`, coordinator).send({ status: 'in_progress', note: PUBLIC_NOTE, notePublic: true }).expect(201);
    await api('post', `/recommendations/${first}/status`, coordinator)
      .send({ status: 'partially_implemented', note: PRIVATE_NOTE, evidenceIds: [evidence.publicLink] })
      .expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should answer 404 for a cycle that is not published, signed out or not', async () => {
    const res = await request(t.baseUrl).get(`/ledger/${cycleId}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Uruguay');
    await request(t.baseUrl).get(`/ledger/${cycleId}/evidence/${evidence.publicFile}`).expect(404);
    await request(t.baseUrl).get('/ledger/999999').expect(404);
  });

  it('should let an admin publish the ledger from the cycle page, and a signed-out browser read only what is public', async () => {
    const adminPage = await browser.newPage();
    adminPage.on('dialog', (dialog) => void dialog.accept());
    await signIn(adminPage, t.baseUrl, admin.email);
    await adminPage.goto(`${t.baseUrl}/cycles/${cycleId}`);
    await Promise.all([adminPage.waitForURL(`${t.baseUrl}/cycles/${cycleId}`), adminPage.getByRole('button', { name: 'Publish the public ledger' }).click()]);
    await adminPage.waitForLoadState();
    await expect(adminPage.getByRole('status').textContent()).resolves.toContain(`/ledger/${cycleId}`);
    await expect(adminPage.getByRole('button', { name: 'Unpublish' }).count()).resolves.toBe(1);
    await expect(seriousA11yViolations(adminPage)).resolves.toEqual([]);
    const published = (await api('get', `/cycles/${cycleId}`).expect(200)).body;
    expect(published.publishedAt).toEqual(expect.any(String));
    await adminPage.close();

    // A fresh context: no session cookie at all.
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${t.baseUrl}/ledger/${cycleId}`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/ledger/${cycleId}`);
    // A reader of the public record is not tracked: no cookie of any kind is set.
    await expect(context.cookies()).resolves.toEqual([]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Uruguay, UPR cycle 3');
    const main = (await page.locator('body').textContent()) ?? '';
    expect(main).toContain(PUBLIC_NOTE);
    expect(main).toContain('Parliamentary record of the first reading');
    expect(main).toContain('Shadow report 2025');
    // Canonical names with their ISO 3166 alpha-3 codes.
    expect(main).toContain('Recommended by Portugal (PRT), Brazil (BRA).');
    expect(main).toMatch(/State under review\s*Uruguay \(URY\)/);
    expect(main).toContain('Abolish the death penalty');
    for (const secret of [PRIVATE_NOTE, 'Minutes leaked by a ministry official', 'Testimony of detainee J.D.', 'List of witnesses', 'witnesses.txt']) expect(main).not.toContain(secret);
    for (const person of [admin, coordinator, member]) {
      expect(main).not.toContain(person.email);
      expect(main).not.toContain(`${person.role} ${person.email.match(/^[a-z]+(\d+)@/)![1]}`);
    }
    // Nothing to fill in or press: no form, no control, no navigation of the signed-in pages.
    await expect(page.locator('form, input, button, select, textarea').count()).resolves.toBe(0);
    await expect(page.getByRole('navigation', { name: 'Main' }).count()).resolves.toBe(0);
    // Text is text: the markup in a recommendation is shown, not applied.
    await expect(page.locator('.ledger-text b').count()).resolves.toBe(0);
    await expect(page.getByText('Ratify the <b>Optional Protocol</b> to the Convention against Torture').count()).resolves.toBe(1);
    // The chart by status, drawn as SVG, with its figures in a table beside it.
    await expect(page.getByRole('img', { name: 'Recommendations by implementation status' }).count()).resolves.toBe(1);
    await expect(page.getByRole('row', { name: /Partially implemented/ }).textContent()).resolves.toContain('1');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // The public file is served; the confidential one, and any file through a cycle it is not in, are not.
    const file = await page.context().request.get(`${t.baseUrl}/ledger/${cycleId}/evidence/${evidence.publicFile}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-disposition']).toBe('attachment; filename=shadow-report.pdf');
    expect(Buffer.from(await file.body()).equals(PUBLIC_FILE)).toBe(true);
    for (const path of [
      `/ledger/${cycleId}/evidence/${evidence.confidentialFile}`,
      `/ledger/${cycleId}/evidence/${evidence.publicLink}`,
      `/ledger/${otherCycleId}/evidence/${evidence.publicFile}`,
      `/ledger/${otherCycleId}`,
    ]) {
      expect({ path, status: (await request(t.baseUrl).get(path)).status }).toEqual({ path, status: 404 });
    }
    await context.close();
  });

  it('should publish and unpublish through the API for admins only, keeping the first publication date', async () => {
    const first = (await api('post', `/cycles/${cycleId}/publish`).expect(200)).body.publishedAt;
    t.clock.advance(60_000);
    expect((await api('post', `/cycles/${cycleId}/publish`).expect(200)).body.publishedAt).toBe(first);
    const refused = await api('post', `/cycles/${cycleId}/unpublish`, coordinator).expect(403);
    expect(refused.body.message).toContain('admin');
    await request(t.baseUrl).get(`/ledger/${cycleId}`).expect(200);

    expect((await api('post', `/cycles/${cycleId}/unpublish`).expect(200)).body.publishedAt).toBeNull();
    await request(t.baseUrl).get(`/ledger/${cycleId}`).expect(404);
    await request(t.baseUrl).get(`/ledger/${cycleId}/evidence/${evidence.publicFile}`).expect(404);
    // Another coalition's admin cannot publish this coalition's cycle.
    const stranger = await t.createUser('admin', 'Coalition Elsewhere');
    await api('post', `/cycles/${cycleId}/publish`, stranger).expect(404);
    await request(t.baseUrl).get(`/ledger/${cycleId}`).expect(404);
  });
});
