import ExcelJS from 'exceljs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.service';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import { SmtpTestServer } from '../support/smtp-test-server';
import type { TestUser } from '../support/test-app';

const TEMPLATE = join(__dirname, '..', '..', 'docs', 'import-template.csv');
/** A real OHCHR matrix (China, UPR cycle 2, A/HRC/25/5: 252 recommendations); see ../shared/data/README.md. */
const REAL_DOCX = join(__dirname, '..', '..', '..', 'shared', 'data', 'ohchr-thematic-lists', 'Matrix_recommendations_2013.docx');

/** The cycle pages (admins; coordinators read them), the import with its preview, closing, reports and the outbox, in a real browser. */
describe('Web cycles, imports, reports and outbox (real browser)', () => {
  let smtp: SmtpTestServer;
  let t: WebTestApp;
  let browser: Browser;
  let admin: TestUser;
  let files: string;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await startWebApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    admin = await t.createUser('admin', 'Coalition Cycles');
    files = await mkdtemp(join(tmpdir(), 'upr-web-cycles-'));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
    if (files) await rm(files, { recursive: true, force: true });
  });

  async function adminPage(): Promise<Page> {
    const page = await browser.newPage();
    // data-confirm forms ask first; the admin agrees.
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, t.baseUrl, admin.email);
    return page;
  }

  async function submit(page: Page, button: string, path: RegExp): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => path.test(new URL(r.url()).pathname) && r.request().method() === 'POST'),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  function api(method: 'get' | 'post', path: string, body?: object) {
    const req = t.http[method](`/api/v1${path}`).set('Authorization', admin.auth);
    return body ? req.send(body) : req;
  }

  it('should list cycles, create one (refusing a blank State next to its field) and edit its key dates', async () => {
    const page = await adminPage();
    await page.goto(`${t.baseUrl}/cycles`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Cycles');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByRole('link', { name: 'New cycle' }).click();
    await page.getByLabel('Cycle number').fill('4');
    await page.getByLabel('Review (interactive dialogue)').fill('2025-11-07');
    await expect(submit(page, 'Save', /^\/cycles$/)).resolves.toBe(422);
    const state = page.getByLabel('State under review');
    await expect(state.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#stateUnderReview-error').textContent()).resolves.toContain('stateUnderReview');
    // What was typed is kept.
    await expect(page.getByLabel('Review (interactive dialogue)').inputValue()).resolves.toBe('2025-11-07');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // A name that is no State is refused next to its field, with the closest States.
    await state.fill('Republic of Ecuadorr');
    await page.getByLabel('Session').fill('50');
    await expect(submit(page, 'Save', /^\/cycles$/)).resolves.toBe(422);
    await expect(page.locator('#stateUnderReview-error').textContent()).resolves.toMatch(/"Republic of Ecuadorr" is not a UN member or observer State, nor an alias of one; did you mean Ecuador/);
    await expect(state.inputValue()).resolves.toBe('Republic of Ecuadorr');
    // Any spelling or code is stored as the State's canonical name.
    await state.fill('ECU');
    await expect(submit(page, 'Save', /^\/cycles$/)).resolves.toBe(303);
    await expect(page.locator('h1').textContent()).resolves.toBe('Ecuador, UPR cycle 4 (session 50)');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Cycle created');
    await expect(page.locator('.facts').textContent()).resolves.toContain('2025-11-07');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    const id = Number(new URL(page.url()).pathname.split('/').pop());

    await page.getByRole('link', { name: 'Edit the cycle and its key dates' }).click();
    await page.getByLabel('Mid-term report due').fill('2028-03-01');
    await page.getByLabel('Review (interactive dialogue)').fill('');
    await expect(submit(page, 'Save', new RegExp(`^/cycles/${id}$`))).resolves.toBe(303);
    const saved = await api('get', `/cycles/${id}`);
    expect(saved.body).toMatchObject({ midTermReportDate: '2028-03-01', reviewDate: null, session: '50', stateUnderReview: 'Ecuador', stateUnderReviewCode: 'ECU' });

    await page.goto(`${t.baseUrl}/cycles`);
    const row = page.getByRole('row', { name: /Ecuador/ });
    await expect(row.textContent()).resolves.toContain('Mid-term report due: 2028-03-01');
    await page.close();
  });

  it('should preview an import (created per cycle, rejected rows with line and reason), then import for real', async () => {
    const page = await adminPage();
    await page.goto(`${t.baseUrl}/cycles/import`);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.getByLabel('File of recommendations').setInputFiles(TEMPLATE);
    await expect(submit(page, 'Preview the import', /^\/cycles\/import$/)).resolves.toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Import preview');
    await expect(page.locator('.figures').textContent()).resolves.toMatch(/3\s*to create/);
    const perCycle = page.getByRole('table', { name: 'Per cycle' });
    await expect(perCycle.textContent()).resolves.toContain('United States of America, UPR cycle 3, session 36');
    await expect(perCycle.textContent()).resolves.toContain('United States of America, UPR cycle 4, session 50');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    // The preview wrote nothing.
    expect((await api('get', '/cycles')).body.items.filter((c: { stateUnderReview: string }) => c.stateUnderReview === 'United States of America')).toEqual([]);

    // Another file than the one previewed is refused.
    const other = join(files, 'other.csv');
    await writeFile(other, (await readFile(TEMPLATE, 'utf8')).split('\n').slice(0, 2).join('\n') + '\n');
    await page.getByLabel('The file you previewed').setInputFiles(other);
    await expect(submit(page, 'Import for real', /^\/cycles\/import$/)).resolves.toBe(422);
    await expect(page.locator('#file-error').textContent()).resolves.toContain('not the file you previewed');

    await page.getByLabel('File of recommendations').setInputFiles(TEMPLATE);
    await submit(page, 'Preview the import', /^\/cycles\/import$/);
    await page.getByLabel('The file you previewed').setInputFiles(TEMPLATE);
    await expect(submit(page, 'Import for real', /^\/cycles\/import$/)).resolves.toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Imported');
    await expect(page.locator('.figures').textContent()).resolves.toMatch(/3\s*created/);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.getByRole('link', { name: 'United States of America, UPR cycle 3, session 36' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('United States of America, UPR cycle 3 (session 36)');
    const list = page.getByRole('table', { name: /Recommendations of this cycle/ });
    await expect(list.textContent()).resolves.toContain('Ratify the International Covenant on Economic, Social and Cultural Rights');
    await expect(list.textContent()).resolves.toContain('Take measures to end racial profiling');
    await page.close();
  });

  it('should show every bad row of a file with its line and reason, and import only the good rows when asked', async () => {
    const bad = join(files, 'with-a-bad-row.csv');
    await writeFile(bad, [
      'state_under_review,cycle,session,document_symbol,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category',
      'Mongolie,2,30,,110.1,Establish a national human rights institution,Norway,supported,,,,',
      'Mongolie,2,30,,110.2,Abolish the death penalty,France,accepted,,,,',
      'Mongolie,2,30,,110.3,Ratify the Convention against Torture,Chile;Peru,noted,,,,',
    ].join('\n') + '\n');
    const page = await adminPage();
    await page.goto(`${t.baseUrl}/cycles/import`);
    await page.getByLabel('File of recommendations').setInputFiles(bad);
    await page.getByLabel('Format').selectOption('csv');
    await expect(submit(page, 'Preview the import', /^\/cycles\/import$/)).resolves.toBe(200);
    await expect(page.locator('.figures').textContent()).resolves.toMatch(/2\s*to create.*1\s*rejected/s);
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    const cells = await rejected.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells).toEqual(['3', 'response', expect.stringContaining('"accepted" is not a response')]);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('The file you previewed').setInputFiles(bad);
    await expect(submit(page, 'Import for real', /^\/cycles\/import$/)).resolves.toBe(200);
    await expect(page.locator('.figures').textContent()).resolves.toMatch(/2\s*created.*1\s*rejected/s);
    const cycles = (await api('get', '/cycles')).body.items as { id: number; stateUnderReview: string }[];
    const importland = cycles.find((c) => c.stateUnderReview === 'Mongolia')!;
    const recs = await api('get', `/recommendations?cycleId=${importland.id}`);
    expect(recs.body.items.map((r: { paragraph: string }) => r.paragraph).sort()).toEqual(['110.1', '110.3']);
    await page.close();
  });

  it('should import a real OHCHR matrix (DOCX, format recognised) into the cycle chosen on the form', async () => {
    if (!existsSync(REAL_DOCX)) throw new Error(`The real file this test needs is missing: ${REAL_DOCX} (see ../shared/data/README.md)`);
    const cycle = (await api('post', '/cycles', { number: 2, stateUnderReview: 'China', documentSymbol: 'A/HRC/25/5' }).expect(201)).body;
    const page = await adminPage();
    await page.goto(`${t.baseUrl}/cycles/${cycle.id}`);
    await page.getByRole('link', { name: 'Import a file into this cycle' }).click();
    await expect(page.getByLabel('Into which cycle').inputValue()).resolves.toBe(String(cycle.id));
    await page.getByLabel('File of recommendations').setInputFiles(REAL_DOCX);
    await expect(submit(page, 'Preview the import', /^\/cycles\/import$/)).resolves.toBe(200);
    await expect(page.locator('main').textContent()).resolves.toContain('OHCHR matrix of recommendations (DOCX)');
    await expect(page.locator('.figures').textContent()).resolves.toMatch(/252\s*to create.*0\s*rejected/s);
    await page.getByLabel('The file you previewed').setInputFiles(REAL_DOCX);
    await expect(submit(page, 'Import for real', /^\/cycles\/import$/)).resolves.toBe(200);
    await page.getByRole('link', { name: 'China, UPR cycle 2' }).click();
    await expect(page.getByRole('heading', { name: 'Recommendations (252)' }).count()).resolves.toBe(1);
    await page.close();
  });

  it('should refuse to close a cycle with an open deadline in words, then close it by force into the next cycle', async () => {
    const cycle = (await api('post', '/cycles', { number: 2, stateUnderReview: 'Norway', session: '20' })).body;
    await api('post', `/cycles/${cycle.id}/recommendations`, { paragraph: '90.1', text: 'Guarantee the independence of the judiciary', response: 'supported' }).expect(201);
    const deadline = await api('post', '/deadlines', { cycleId: cycle.id, kind: 'mid_term_report', title: 'Mid-term report to the Council', dueDate: '2027-01-15', timeZone: 'Europe/Zurich' });
    expect(deadline.body).toMatchObject({ state: 'open' });

    const page = await adminPage();
    await page.goto(`${t.baseUrl}/cycles/${cycle.id}`);
    await expect(page.getByLabel('Number of the next cycle').inputValue()).resolves.toBe('3');
    await page.getByLabel('Its session').fill('33');
    await expect(submit(page, 'Close the cycle', /\/close$/)).resolves.toBe(409);
    const refusal = page.getByRole('alert');
    await expect(refusal.textContent()).resolves.toContain('still has 1 open deadline');
    await expect(refusal.textContent()).resolves.toContain('Mid-term report to the Council, due 2027-01-15');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    expect((await api('get', `/cycles/${cycle.id}`)).body.state).toBe('open');

    await expect(submit(page, 'Close anyway (force): mark the open deadlines done', /\/close$/)).resolves.toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toContain('1 unfinished recommendation was carried into Norway, UPR cycle 3 (session 33)');
    await expect(page.locator('.badge.cycle-state-closed').count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Go to the next cycle' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Norway, UPR cycle 3 (session 33)');
    // Carried, not copied: listed apart from what the next cycle received.
    await expect(page.getByRole('table', { name: /Recommendations carried from earlier cycles/ }).textContent()).resolves.toContain('Guarantee the independence of the judiciary');
    await expect(page.getByRole('table', { name: /Recommendations of this cycle/ }).count()).resolves.toBe(0);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('should download the report in every format as an attachment, with real figures', async () => {
    const cycle = (await api('post', '/cycles', { number: 1, stateUnderReview: 'Botswana' })).body;
    await api('post', `/cycles/${cycle.id}/recommendations`, { paragraph: '77.1', text: 'Adopt a national action plan on business and human rights', response: 'supported' }).expect(201);
    await api('post', `/cycles/${cycle.id}/recommendations`, { paragraph: '77.2', text: 'Decriminalise defamation', response: 'noted' }).expect(201);
    const page = await adminPage();
    await page.goto(`${t.baseUrl}/cycles/${cycle.id}`);
    const got: Record<string, { body: Buffer; type: string; disposition: string }> = {};
    for (const [format, name] of [['json', 'JSON'], ['csv', 'CSV'], ['xlsx', 'Excel'], ['html', 'HTML'], ['pdf', 'PDF']]) {
      const link = page.getByRole('link', { name: new RegExp(`^Download the report as ${name}`) });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(`cycle-${cycle.id}-report.${format}`);
      const response = await page.context().request.get(`${t.baseUrl}${await link.getAttribute('href')}`);
      got[format] = { body: await readFile((await download.path())!), type: response.headers()['content-type'], disposition: response.headers()['content-disposition'] };
    }
    expect(got.json.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(got.json.body.toString('utf8'))).toMatchObject({ totals: { recommendations: 2 }, cycle: { stateUnderReview: 'Botswana' } });
    expect(got.csv.type).toBe('text/csv; charset=utf-8');
    expect(got.csv.body.toString('utf8')).toContain('Adopt a national action plan on business and human rights');
    expect(got.xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(got.xlsx.body as unknown as ArrayBuffer);
    const cells = workbook.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String));
    expect(cells).toContain('Decriminalise defamation');
    expect(got.html.type).toBe('text/html; charset=utf-8');
    expect(got.html.body.toString('utf8')).toContain('Follow-up report: Botswana');
    expect(got.pdf.type).toBe('application/pdf');
    expect(got.pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const format of Object.keys(got)) expect(got[format].disposition).toBe(`attachment; filename=cycle-${cycle.id}-report.${format}`);
    await page.close();
  });

  it('should list a failed email in the outbox without its body, and move it back to pending on retry', async () => {
    const member = await t.createUser('member', 'Coalition Cycles');
    const coordinator = await t.createUser('coordinator', 'Coalition Cycles');
    const cycle = (await api('post', '/cycles', { number: 1, stateUnderReview: 'Senegal' })).body;
    const rec = (await api('post', `/cycles/${cycle.id}/recommendations`, { text: 'Protect journalists from harassment', response: 'supported' })).body;
    await t.http.post(`/api/v1/recommendations/${rec.id}/follow`).set('Authorization', member.auth).expect(201);
    smtp.rejected.add(member.email);
    await t.http.post(`/api/v1/recommendations/${rec.id}/status`).set('Authorization', coordinator.auth).send({ status: 'in_progress', note: 'Secret drafting details of the bill' }).expect(201);
    expect(await t.app.get(NotificationDispatcher).dispatch()).toMatchObject({ failed: 1 });

    const page = await adminPage();
    await page.goto(`${t.baseUrl}/outbox`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Outbox');
    const row = page.getByRole('row', { name: new RegExp(member.email) }).filter({ hasText: 'Failed' });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.textContent()).resolves.toContain('mailbox unavailable');
    // Never the body of an email.
    await expect(page.locator('main').textContent()).resolves.not.toContain('Secret drafting details');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Show').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/state=failed/);
    smtp.rejected.delete(member.email);
    await expect(submit(page, `Retry the email to ${member.email}`, /\/retry$/)).resolves.toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toContain('queued again (pending)');
    const pendingRow = page.getByRole('row', { name: new RegExp(member.email) });
    await expect(pendingRow.textContent()).resolves.toContain('Pending');
    const states = await t.dataSource.query(`SELECT d.state FROM digest d JOIN app_user u ON u.id = d.recipient_id WHERE u.email = '${member.email}'`);
    expect(states.map((s: { state: string }) => s.state)).toEqual(['pending']);
    await page.close();
  });

  it('should show a coordinator the cycles and their reports, without the admins\' actions, and refuse those actions', async () => {
    const coordinator = await t.createUser('coordinator', 'Coalition Cycles');
    const cycle = (await api('post', '/cycles', { number: 2, stateUnderReview: 'Costa Rica', session: '30' })).body;
    await api('post', `/cycles/${cycle.id}/recommendations`, { paragraph: '90.1', text: 'Ratify the Convention on enforced disappearance', response: 'supported' }).expect(201);
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, coordinator.email);

    // The list, reached from the main menu, without "New cycle" or "Import a file".
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cycles' }).click();
    await page.waitForURL(`${t.baseUrl}/cycles`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Cycles');
    await expect(page.getByRole('link', { name: 'New cycle' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Import a file' }).count()).resolves.toBe(0);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // The cycle: its facts, recommendations and report links; no edit, import, publish or close.
    await page.getByRole('link', { name: 'Costa Rica, UPR cycle 2 (session 30)' }).click();
    await page.waitForURL(`${t.baseUrl}/cycles/${cycle.id}`);
    await expect(page.getByRole('table', { name: /Recommendations of this cycle/ }).textContent()).resolves.toContain('Ratify the Convention on enforced disappearance');
    for (const name of [/^Edit the cycle/, /^Import a file/]) await expect(page.getByRole('link', { name }).count()).resolves.toBe(0);
    for (const name of ['Publish the public ledger', 'Close the cycle']) await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    await expect(page.locator('main').textContent()).resolves.toContain('An admin publishes it.');
    const link = page.getByRole('link', { name: /^Download the report as CSV/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`cycle-${cycle.id}-report.csv`);
    await expect(readFile((await download.path())!, 'utf8')).resolves.toContain('Ratify the Convention on enforced disappearance');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // The admins' pages stay refused, and so do their forms (sent with the coordinator's own form token).
    for (const path of ['/cycles/new', '/cycles/import', `/cycles/${cycle.id}/edit`, '/outbox']) {
      const response = await page.goto(`${t.baseUrl}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 403 });
    }
    await page.goto(`${t.baseUrl}/cycles/${cycle.id}`);
    const csrf = (await page.locator('form.sign-out input[name="_csrf"]').getAttribute('value'))!;
    for (const action of ['publish', 'close']) {
      const response = await page.request.post(`${t.baseUrl}/cycles/${cycle.id}/${action}`, { form: { _csrf: csrf, force: 'true' }, maxRedirects: 0 });
      // Refused for the role (the page says so), not for the form token.
      expect({ action, status: response.status(), byRole: (await response.text()).includes('you are coordinator') }).toEqual({ action, status: 403, byRole: true });
    }
    expect((await api('get', `/cycles/${cycle.id}`)).body).toMatchObject({ state: 'open', publishedAt: null });
    await page.close();
  });

  it('should keep the cycle pages from members', async () => {
    const member = await t.createUser('member', 'Coalition Cycles');
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, member.email);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cycles' }).count()).resolves.toBe(0);
    for (const path of ['/cycles', '/cycles/new', '/cycles/import', '/outbox']) {
      const response = await page.goto(`${t.baseUrl}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 403 });
    }
    await page.close();
  });
});
