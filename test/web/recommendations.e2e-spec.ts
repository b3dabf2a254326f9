import type { Browser, Page } from 'playwright-core';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.service';
import { launchBrowser, seriousA11yViolations, signIn, startWebApp, type WebTestApp } from '../support/browser';
import { SmtpTestServer } from '../support/smtp-test-server';
import type { TestUser } from '../support/test-app';

interface Seed {
  text: string;
  paragraph?: string;
  themes?: string[];
  affectedPersons?: string[];
  sdgs?: number[];
  recommendingStates?: string[];
  ownerIds?: number[];
}

/** The recommendation pages in a real browser: filters, the status form, evidence, bulk actions, following and the email it brings. */
describe('Web recommendation pages (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000', SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  /** A coalition of its own per test, so each test sees only its recommendations. */
  async function coalition(name: string) {
    const admin = await t.createUser('admin', name);
    const coordinator = await t.createUser('coordinator', name);
    const member = await t.createUser('member', name);
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Honduras' }).expect(201);
    return { admin, coordinator, member, cycleId: cycle.body.id as number };
  }

  async function seed(by: TestUser, cycleId: number, input: Seed): Promise<number> {
    const res = await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', by.auth).send(input).expect(201);
    return res.body.id;
  }

  async function pageAs(user: TestUser): Promise<Page> {
    const page = await browser.newPage();
    await signIn(page, t.baseUrl, user.email);
    return page;
  }

  /** The paragraphs in the list's table, in order. */
  async function listedParagraphs(page: Page): Promise<string[]> {
    const cells = await page.locator('table tbody tr td:nth-child(2)').allTextContents();
    return cells.map((c) => c.trim());
  }

  function submit(page: Page, button: string, path: string) {
    return Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]).then(([response]) => response);
  }

  it('should narrow the list by status, theme and a full-text query, keep the filters across pages, and pass axe', async () => {
    const { coordinator, cycleId } = await coalition('Filter Coalition');
    const torture = { themes: ['Torture'] };
    await seed(coordinator, cycleId, { paragraph: '1.1', text: 'Ratify the Convention against Torture', ...torture });
    const police = await seed(coordinator, cycleId, { paragraph: '1.2', text: 'Investigate allegations of torture by the police', ...torture });
    await seed(coordinator, cycleId, { paragraph: '1.3', text: 'Guarantee freedom of expression for journalists', themes: ['Freedom of expression'] });
    await seed(coordinator, cycleId, { paragraph: '1.4', text: 'Protect journalists and human rights defenders from harassment', themes: ['Freedom of expression'] });
    await seed(coordinator, cycleId, { paragraph: '1.5', text: 'Ensure access to education for migrant children', themes: ['Education'] });
    await t.http.post(`/api/v1/recommendations/${police}/status`).set('Authorization', coordinator.auth).send({ status: 'in_progress', note: 'Inquiry opened' }).expect(201);

    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations`);
    await expect(listedParagraphs(page)).resolves.toEqual(['1.1', '1.2', '1.3', '1.4', '1.5']);
    await expect(page.locator('#result-count').textContent()).resolves.toContain('5 recommendations found');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Theme (UHRI code, name or alias)').fill('Torture');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('theme') === 'Torture');
    await expect(listedParagraphs(page)).resolves.toEqual(['1.1', '1.2']);

    await page.getByLabel('Status', { exact: true }).selectOption('in_progress');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'in_progress');
    await expect(listedParagraphs(page)).resolves.toEqual(['1.2']);
    await expect(page.locator('#result-count').textContent()).resolves.toContain('1 recommendation found');

    await page.goto(`${t.baseUrl}/recommendations`);
    await page.getByLabel('Search the text').fill('journalists');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'journalists');
    await expect(listedParagraphs(page)).resolves.toEqual(['1.3', '1.4']);

    // Pages of one: "Next page" keeps the search.
    await page.goto(`${t.baseUrl}/recommendations?q=journalists&pageSize=1`);
    await expect(listedParagraphs(page)).resolves.toEqual(['1.3']);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    expect(new URL(page.url()).searchParams.get('q')).toBe('journalists');
    await expect(listedParagraphs(page)).resolves.toEqual(['1.4']);
    await expect(page.getByRole('link', { name: 'Next page' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Previous page' }).count()).resolves.toBe(1);

    // A filter the API refuses is explained next to it, not a crash.
    const refused = await page.goto(`${t.baseUrl}/recommendations?status=finished`);
    expect(refused?.status()).toBe(400);
    await expect(page.locator('#filter-status-error').textContent()).resolves.toContain('status must be one of');

    // Each row opens its page.
    await page.goto(`${t.baseUrl}/recommendations?theme=Education`);
    await page.getByRole('link', { name: /migrant children/ }).click();
    await page.waitForURL(/\/recommendations\/\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Recommendation 1.5');
    await page.close();
  });

  it('should narrow the list by group of persons and by SDG, with names and aliases, and pass axe', async () => {
    const { coordinator, cycleId } = await coalition('Vocabulary Filter Coalition');
    await seed(coordinator, cycleId, { paragraph: '8.1', text: 'Protect children from child labour', affectedPersons: ['Children'], sdgs: [8] });
    await seed(coordinator, cycleId, { paragraph: '8.2', text: 'End discrimination against LGBTI persons', affectedPersons: ['LGBTI'], sdgs: [5, 10] });
    await seed(coordinator, cycleId, { paragraph: '8.3', text: 'Ensure equal pay for women', affectedPersons: ['Women'], sdgs: [5] });
    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations`);
    await page.getByLabel('Group of persons (UHRI name or alias)').fill('lgbti');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('group') === 'lgbti');
    await expect(listedParagraphs(page)).resolves.toEqual(['8.2']);
    await expect(page.getByLabel('Group of persons (UHRI name or alias)').inputValue()).resolves.toBe('lgbti');

    await page.getByLabel('Group of persons (UHRI name or alias)').fill('');
    await page.getByLabel('SDG (goal or target: 5, Gender equality, 5.1)').fill('Gender equality');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('sdg') === 'Gender equality');
    await expect(listedParagraphs(page)).resolves.toEqual(['8.2', '8.3']);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Group of persons (UHRI name or alias)').fill('Women');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('group') === 'Women' && url.searchParams.get('sdg') === 'Gender equality');
    await expect(listedParagraphs(page)).resolves.toEqual(['8.3']);
    await page.close();
  });

  it('should narrow the list by kind and by received or carried, saying which rows are pledges and which were carried, and pass axe', async () => {
    const { admin, coordinator, cycleId } = await coalition('Carry Coalition');
    const earlier = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 3, stateUnderReview: 'Honduras' }).expect(201)).body.id as number;
    await seed(coordinator, earlier, { paragraph: '3.1', text: 'Protect environmental defenders' });
    await seed(coordinator, cycleId, { paragraph: '4.1', text: 'Ratify the Escazú Agreement' });
    await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', coordinator.auth).send({ paragraph: '4.2', text: 'We pledge to publish a national action plan', kind: 'voluntary_pledge' }).expect(201);
    // The close carries 3.1 into the open cycle 4.
    await t.http.post(`/api/v1/cycles/${earlier}/close`).set('Authorization', admin.auth).send({}).expect(200);

    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations?cycleId=${cycleId}`);
    await expect(listedParagraphs(page)).resolves.toEqual(['4.1', '4.2']);
    await page.getByLabel('Recommendation or pledge').selectOption({ label: 'Voluntary pledges' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'voluntary_pledge');
    await expect(listedParagraphs(page)).resolves.toEqual(['4.2']);
    await expect(page.locator('table tbody .rec-meta').textContent()).resolves.toContain('Voluntary pledge · Honduras, UPR cycle 4');

    await page.getByLabel('Recommendation or pledge').selectOption({ label: 'Recommendations and pledges' });
    await page.getByLabel('Received or carried').selectOption({ label: 'Carried from earlier cycles' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('carried') === 'true' && url.searchParams.get('cycleId') === String(cycleId));
    await expect(listedParagraphs(page)).resolves.toEqual(['3.1']);
    await expect(page.locator('table tbody .rec-meta').textContent()).resolves.toContain('Carried from Honduras, UPR cycle 3');
    await expect(page.getByLabel('Received or carried').inputValue()).resolves.toBe('true');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Received or carried').selectOption({ label: 'Received in this cycle' });
    await page.getByLabel('Recommendation or pledge').selectOption({ label: 'Recommendations' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('carried') === 'false');
    await expect(listedParagraphs(page)).resolves.toEqual(['4.1']);

    // A value the API refuses is explained next to its control.
    const refused = await page.goto(`${t.baseUrl}/recommendations?cycleId=${cycleId}&carried=sometimes`);
    expect(refused?.status()).toBe(400);
    await expect(page.locator('#filter-carried-error').textContent()).resolves.toContain('carried must be true or false');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('should let a coordinator upload evidence, cite it and move to partially implemented, with the change on the timeline', async () => {
    const { coordinator, cycleId } = await coalition('Status Coalition');
    const id = await seed(coordinator, cycleId, { paragraph: '7.3', text: 'Adopt a law on domestic violence', themes: ['Women'], recommendingStates: ['Portugal'] });
    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations/${id}`);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Title', { exact: true }).fill('Ministry of Justice report 2026');
    await page.locator('#evidence-kind').selectOption('report');
    await page.setInputFiles('#evidence-file', { name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from('The bill passed its first reading.') });
    await submit(page, 'Add evidence', `/recommendations/${id}/evidence`);
    await page.waitForURL(`${t.baseUrl}/recommendations/${id}#evidence`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Evidence added: Ministry of Justice report 2026');

    // The uploaded file downloads through the page's own link.
    const href = await page.getByRole('link', { name: 'Ministry of Justice report 2026', exact: true }).getAttribute('href');
    const file = await page.request.get(`${t.baseUrl}${href}`);
    expect(file.status()).toBe(200);
    await expect(file.text()).resolves.toBe('The bill passed its first reading.');

    await page.getByLabel('New status').selectOption('partially_implemented');
    await page.getByLabel('Note (why the status changes)').fill('The bill passed its first reading.');
    await page.getByLabel('Show this note on the public ledger').check();
    await page.getByLabel('Ministry of Justice report 2026').check();
    const response = await submit(page, 'Change status', `/recommendations/${id}/status`);
    expect(response.status()).toBe(303);
    await page.waitForURL(`${t.baseUrl}/recommendations/${id}`);
    await expect(page.locator('#current-status').textContent()).resolves.toBe('Partially implemented');
    const latest = page.locator('#timeline li').first();
    await expect(latest.textContent()).resolves.toMatch(/Not assessed → Partially implemented[\s\S]*The bill passed its first reading\.[\s\S]*Evidence cited: Ministry of Justice report 2026/);
    await expect(latest.locator('.badge').textContent()).resolves.toBe('public note');

    // The API tells the same story, with the note marked public.
    const detail = await t.http.get(`/api/v1/recommendations/${id}`).set('Authorization', coordinator.auth).expect(200);
    expect(detail.body.history).toEqual([expect.objectContaining({ toStatus: 'partially_implemented', notePublic: true, evidenceIds: [expect.any(Number)] })]);
    // The status form now offers only what may follow.
    const offered = await page.locator('#status-new option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(offered).not.toContain('partially_implemented');
    expect(offered).not.toContain('not_assessed');
    await page.close();
  });

  it('should explain a refused transition next to the field it is about, with 422 and the form kept as typed', async () => {
    const { coordinator, cycleId } = await coalition('Refusal Coalition');
    const id = await seed(coordinator, cycleId, { paragraph: '9.9', text: 'Abolish the death penalty' });
    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations/${id}`);

    await page.getByLabel('New status').selectOption('fully_implemented');
    await page.getByLabel('Note (why the status changes)').fill('The law was repealed.');
    const refused = await submit(page, 'Change status', `/recommendations/${id}/status`);
    expect(refused.status()).toBe(422);
    await expect(page.locator('#status-evidence-error').textContent()).resolves.toContain('Fully implemented needs at least one piece of evidence: add it under "Add evidence" below, then tick it here.');
    await expect(page.getByLabel('Note (why the status changes)').inputValue()).resolves.toBe('The law was repealed.');
    await expect(page.getByLabel('New status').inputValue()).resolves.toBe('fully_implemented');
    await expect(page.locator('#current-status').textContent()).resolves.toBe('Not assessed');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByLabel('New status').selectOption('in_progress');
    await page.getByLabel('Note (why the status changes)').fill('   ');
    const missingNote = await submit(page, 'Change status', `/recommendations/${id}/status`);
    expect(missingNote.status()).toBe(422);
    await expect(page.locator('#status-note-error').textContent()).resolves.toContain('note is required');
    await expect(page.getByLabel('Note (why the status changes)').getAttribute('aria-invalid')).resolves.toBe('true');
    const detail = await t.http.get(`/api/v1/recommendations/${id}`).set('Authorization', coordinator.auth).expect(200);
    expect(detail.body.history).toEqual([]);

    // Someone else moved it to In progress while this page was open: choosing In progress here is said in words.
    await t.http.post(`/api/v1/recommendations/${id}/status`).set('Authorization', coordinator.auth).send({ status: 'in_progress', note: 'Elsewhere' }).expect(201);
    await page.getByLabel('New status').selectOption('in_progress');
    await page.getByLabel('Note (why the status changes)').fill('Bill tabled');
    expect((await submit(page, 'Change status', `/recommendations/${id}/status`)).status()).toBe(422);
    await expect(page.locator('#status-new-error').textContent()).resolves.toContain('The recommendation is already In progress.');
    await page.close();
  });

  it('should accept notePublic on the API status change too, and refuse anything but true or false by name', async () => {
    const { coordinator, cycleId } = await coalition('Api Note Coalition');
    const id = await seed(coordinator, cycleId, { text: 'Combat trafficking in persons' });
    const bad = await t.http.post(`/api/v1/recommendations/${id}/status`).set('Authorization', coordinator.auth)
      .send({ status: 'in_progress', note: 'Plan adopted', notePublic: 'yes' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'notePublic' })]);
    const ok = await t.http.post(`/api/v1/recommendations/${id}/status`).set('Authorization', coordinator.auth)
      .send({ status: 'in_progress', note: 'Plan adopted', notePublic: true }).expect(201);
    expect(ok.body.history).toEqual([expect.objectContaining({ note: 'Plan adopted', notePublic: true })]);
    const plain = await t.http.post(`/api/v1/recommendations/${id}/status`).set('Authorization', coordinator.auth)
      .send({ status: 'not_started', note: 'Funding withdrawn' }).expect(201);
    expect(plain.body.history.map((h: { notePublic: boolean }) => h.notePublic)).toEqual([true, false]);
  });

  it('should assign owners and add a deadline to the selected recommendations, and refuse a bad time zone in words', async () => {
    const { coordinator, member, cycleId } = await coalition('Bulk Coalition');
    const ids = [
      await seed(coordinator, cycleId, { paragraph: '2.1', text: 'Strengthen the national human rights institution' }),
      await seed(coordinator, cycleId, { paragraph: '2.2', text: 'Adopt a national action plan on business and human rights' }),
      await seed(coordinator, cycleId, { paragraph: '2.3', text: 'Ensure the independence of the judiciary', ownerIds: [member.id] }),
    ];
    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations`);
    // "Select all", then leave out 2.2.
    await page.getByLabel('Select all on this page').check();
    await page.getByLabel('Select recommendation 2.2').uncheck();
    await page.locator('#bulk-form').getByLabel(/^member \d+$/).check();
    await submit(page, 'Assign owners', '/recommendations/bulk');
    await page.waitForURL((url) => url.pathname === '/recommendations');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Owners added to 1 recommendation (1 recommendation already had them).');
    const owners = async (id: number) => (await t.http.get(`/api/v1/recommendations/${id}`).set('Authorization', coordinator.auth).expect(200)).body.ownerIds;
    await expect(owners(ids[0])).resolves.toEqual([member.id]);
    await expect(owners(ids[1])).resolves.toEqual([]);
    await expect(owners(ids[2])).resolves.toEqual([member.id]);

    await page.getByLabel('Select recommendation 2.1').check();
    await page.getByLabel('Select recommendation 2.2').check();
    await page.locator('#bulk-kind').selectOption('evidence_due');
    await page.locator('#bulk-date').fill('2027-03-15');
    await page.locator('#bulk-time').fill('17:00');
    await page.locator('#bulk-zone').fill('Mars/Olympus_Mons');
    const refused = await submit(page, 'Add deadline', '/recommendations/bulk');
    expect(refused.status()).toBe(422);
    await expect(page.locator('#bulk-zone-error').textContent()).resolves.toContain('timeZone');
    await expect(page.getByLabel('Select recommendation 2.2').isChecked()).resolves.toBe(true);
    await expect(page.locator('#bulk-date').inputValue()).resolves.toBe('2027-03-15');

    await page.locator('#bulk-zone').fill('America/New_York');
    await submit(page, 'Add deadline', '/recommendations/bulk');
    await page.waitForURL((url) => url.pathname === '/recommendations');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Deadline added to 2 recommendations.');
    const deadlines = await t.http.get('/api/v1/deadlines').query({ cycleId }).set('Authorization', coordinator.auth).expect(200);
    expect(deadlines.body.items.map((d: { recommendationId: number }) => d.recommendationId).sort()).toEqual([ids[0], ids[1]].sort());
    expect(deadlines.body.items[0]).toMatchObject({ kind: 'evidence_due', dueDate: '2027-03-15', dueTime: '17:00', timeZone: 'America/New_York', dueAt: '2027-03-15T21:00:00.000Z' });
    await page.close();

    // "Assigned to me" for the member who now owns 2.1 and 2.3.
    const memberPage = await pageAs(member);
    await memberPage.goto(`${t.baseUrl}/recommendations`);
    await memberPage.getByRole('link', { name: 'Assigned to me' }).click();
    await memberPage.waitForURL((url) => url.searchParams.get('ownerId') === String(member.id));
    await expect(memberPage.locator('table tbody tr td:first-child').allTextContents()).resolves.toEqual(['2.1', '2.3']);
    await memberPage.close();
  });

  it('should add a deadline on the detail page, refuse an unknown time zone next to it, and confirm a predecessor of an earlier cycle', async () => {
    const { admin, coordinator, cycleId } = await coalition('Detail Coalition');
    const earlierCycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 3, stateUnderReview: 'Honduras' }).expect(201);
    const earlier = await seed(coordinator, earlierCycle.body.id, { paragraph: '118.4', text: 'Establish an official moratorium on executions with a view to abolishing the death penalty' });
    const id = await seed(coordinator, cycleId, { paragraph: '8.1', text: 'Establish a moratorium on executions with a view to abolishing the death penalty' });
    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations/${id}`);

    await page.locator('#deadline-kind').selectOption('mid_term_report');
    await page.locator('#deadline-date').fill('2027-02-28');
    await page.locator('#deadline-zone').fill('Atlantis/Capital');
    const refused = await submit(page, 'Add deadline', `/recommendations/${id}/deadlines`);
    expect(refused.status()).toBe(422);
    await expect(page.locator('#deadline-zone-error').textContent()).resolves.toContain('timeZone must be an IANA time zone');
    await expect(page.locator('#deadline-date').inputValue()).resolves.toBe('2027-02-28');
    await expect(page.locator('#deadline-kind').inputValue()).resolves.toBe('mid_term_report');
    await page.locator('#deadline-zone').fill('Europe/Zurich');
    await submit(page, 'Add deadline', `/recommendations/${id}/deadlines`);
    await page.waitForURL(`${t.baseUrl}/recommendations/${id}#deadlines`);
    await expect(page.locator('#deadlines tbody').textContent()).resolves.toMatch(/Mid term report[\s\S]*2027-02-28 end of day \(Europe\/Zurich\)/);

    // The earlier cycle's recommendation is suggested; confirming it makes it the predecessor.
    const suggestion = page.locator('.rec-suggestions li', { hasText: 'Paragraph 118.4' });
    await expect(suggestion.textContent()).resolves.toContain('suggested');
    await Promise.all([page.waitForURL(`${t.baseUrl}/recommendations/${id}#lineage`), suggestion.getByRole('button', { name: 'Confirm as predecessor' }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain(`Recommendation #${earlier} confirmed as the predecessor`);
    await expect(page.locator('.rec-meta-list').textContent()).resolves.toContain('Paragraph 118.4, cycle 3');
    const detail = await t.http.get(`/api/v1/recommendations/${id}`).set('Authorization', coordinator.auth).expect(200);
    expect(detail.body.predecessorId).toBe(earlier);
    await page.close();
  });

  it('should refuse bulk actions to a member', async () => {
    const { coordinator, member, cycleId } = await coalition('Member Bulk Coalition');
    await seed(coordinator, cycleId, { paragraph: '3.1', text: 'Decriminalise defamation' });
    const page = await pageAs(member);
    await page.goto(`${t.baseUrl}/recommendations`);
    // No checkbox column: the paragraph is the first cell.
    await expect(page.locator('table tbody tr td:first-child').allTextContents()).resolves.toEqual(['3.1']);
    await expect(page.locator('input[name="ids"]').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Assign owners' }).count()).resolves.toBe(0);
    // And the form's address refuses a member even with a valid form token.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const res = await page.request.post(`${t.baseUrl}/recommendations/bulk`, { form: { _csrf: csrf, action: 'owners', ids: '1', ownerIds: String(member.id) } });
    expect(res.status()).toBe(403);
    await expect(res.text()).resolves.toContain('This action needs the role admin or coordinator');
    await page.close();
  });

  it('should follow and unfollow from the detail page', async () => {
    const { coordinator, member, cycleId } = await coalition('Follow Coalition');
    const id = await seed(coordinator, cycleId, { paragraph: '5.5', text: 'Protect the rights of indigenous peoples' });
    const page = await pageAs(member);
    await page.goto(`${t.baseUrl}/recommendations/${id}`);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.waitForURL(`${t.baseUrl}/recommendations/${id}`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('You follow this recommendation');
    await expect(page.getByRole('button', { name: 'Unfollow' }).count()).resolves.toBe(1);
    const following = async () => (await t.http.get(`/api/v1/recommendations/${id}`).set('Authorization', member.auth).expect(200)).body.following;
    await expect(following()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Unfollow' }).click();
    await page.waitForURL(`${t.baseUrl}/recommendations/${id}`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('You no longer follow');
    await expect(page.getByRole('button', { name: 'Follow', exact: true }).count()).resolves.toBe(1);
    await expect(following()).resolves.toBe(false);
    await page.close();
  });

  it('should show a member neither confidential evidence nor the status form', async () => {
    const { coordinator, member, cycleId } = await coalition('Confidential Coalition');
    const id = await seed(coordinator, cycleId, { paragraph: '4.4', text: 'End arbitrary detention' });
    await t.http.post(`/api/v1/recommendations/${id}/evidence`).set('Authorization', coordinator.auth)
      .send({ kind: 'testimony', title: 'Testimony of detainee J.D.', url: 'https://example.org/t', confidential: true }).expect(201);
    const upload = await t.http.post(`/api/v1/recommendations/${id}/evidence`).set('Authorization', coordinator.auth)
      .field('kind', 'document').field('title', 'Medical record').field('confidential', 'true')
      .attach('file', Buffer.from('private'), { filename: 'record.txt', contentType: 'text/plain' }).expect(201);
    await t.http.post(`/api/v1/recommendations/${id}/evidence`).set('Authorization', coordinator.auth)
      .send({ kind: 'report', title: 'Public report on detention', url: 'https://example.org/r' }).expect(201);

    const coordinatorPage = await pageAs(coordinator);
    await coordinatorPage.goto(`${t.baseUrl}/recommendations/${id}`);
    await expect(coordinatorPage.locator('#evidence').textContent()).resolves.toContain('Testimony of detainee J.D.');

    const page = await pageAs(member);
    await page.goto(`${t.baseUrl}/recommendations/${id}`);
    const html = await page.content();
    expect(html).toContain('Public report on detention');
    expect(html).not.toContain('Testimony of detainee');
    expect(html).not.toContain('Medical record');
    await expect(page.getByRole('heading', { name: 'Change the status' }).count()).resolves.toBe(0);
    await expect(page.locator('#status-form').count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { name: 'Add a deadline' }).count()).resolves.toBe(0);
    // Nor the file, by its address.
    const file = await page.request.get(`${t.baseUrl}/evidence/${upload.body.id}/file`);
    expect(file.status()).toBe(404);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.close();
    await coordinatorPage.close();
  });

  it('should email a member who follows a recommendation when a coordinator records progress with evidence, and the link opens the page', async () => {
    const { coordinator, member, cycleId } = await coalition('Story Coalition');
    const id = await seed(coordinator, cycleId, { paragraph: '26.49', text: 'Ratify the Optional Protocol to the ICESCR' });

    const memberPage = await pageAs(member);
    await memberPage.goto(`${t.baseUrl}/recommendations/${id}`);
    await memberPage.getByRole('button', { name: 'Follow', exact: true }).click();
    await memberPage.waitForURL(`${t.baseUrl}/recommendations/${id}`);

    const page = await pageAs(coordinator);
    await page.goto(`${t.baseUrl}/recommendations/${id}`);
    await page.getByLabel('Title', { exact: true }).fill('Instrument of ratification');
    await page.getByLabel('Link (an http or https address), or …').fill('https://treaties.example.org/icescr-op');
    await page.locator('#evidence-kind').selectOption('link');
    await submit(page, 'Add evidence', `/recommendations/${id}/evidence`);
    await page.waitForURL(`${t.baseUrl}/recommendations/${id}#evidence`);
    await page.getByLabel('New status').selectOption('partially_implemented');
    await page.getByLabel('Note (why the status changes)').fill('Signed; ratification pending in parliament.');
    await page.getByLabel('Instrument of ratification').check();
    await submit(page, 'Change status', `/recommendations/${id}/status`);
    await page.waitForURL(`${t.baseUrl}/recommendations/${id}`);
    await expect(page.locator('#current-status').textContent()).resolves.toBe('Partially implemented');

    smtp.received.length = 0;
    await t.app.get(NotificationDispatcher).dispatch();
    const recipients = smtp.recipients();
    const mail = smtp.received.find((_, i) => recipients[i] === member.email);
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('not assessed → partially implemented');
    expect(mail!.text).toContain('Signed; ratification pending in parliament.');
    const link = mail!.text!.match(/http:\/\/127\.0\.0\.1:\d+\/recommendations\/\d+/)?.[0];
    expect(link).toBe(`${t.baseUrl}/recommendations/${id}`);
    expect(mail!.text).not.toContain('/api/v1/recommendations');

    await memberPage.goto(link!);
    await expect(memberPage.locator('h1').textContent()).resolves.toBe('Recommendation 26.49');
    await expect(memberPage.locator('#current-status').textContent()).resolves.toBe('Partially implemented');
    await expect(memberPage.locator('#timeline li').first().textContent()).resolves.toContain('Signed; ratification pending in parliament.');
    await memberPage.close();
    await page.close();
  });
});
