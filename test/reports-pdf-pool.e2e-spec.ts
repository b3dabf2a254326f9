import { existsSync } from 'node:fs';
import type { Response } from 'supertest';
import { chromiumBrowsers, chromiumDescendants, isRunning } from '../bench/process-tree';
import { seedRecommendations } from '../bench/seed';
import { PdfPrinter } from '../src/reports/pdf-printer';
import { ReportsService } from '../src/reports/reports.service';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { WebClient } from './support/web-session';

// The application runs inside this test process, so every Chromium it starts is a descendant of
// this process: the tests count them in /proc. The browser is real; nothing is mocked.

/** supertest buffers binary bodies (pdf) only when told how. */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const renderers = () => chromiumDescendants().filter((p) => p.args.includes('--type=renderer'));

/** Polls /proc until `condition` holds; fails naming what it waited for after `limitMs`. */
async function waitFor(what: string, condition: () => boolean, limitMs = 20_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A cycle of `size` recommendations in the user's coalition. */
async function seededCycle(t: TestApp, admin: TestUser, number: number, size: number): Promise<number> {
  const id = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number, stateUnderReview: 'Brazil' }).expect(201)).body.id as number;
  await seedRecommendations(t.dataSource, admin.coalitionId, [{ id, number }], size);
  return id;
}

beforeAll(() => {
  // CI installs Chromium; without it these tests must fail, not pass quietly.
  expect({ chromiumInstalled: existsSync('/usr/bin/chromium'), hint: 'apt-get install -y chromium' }).toEqual({ chromiumInstalled: true, hint: 'apt-get install -y chromium' });
});

describe('PDF reports in one shared browser', () => {
  let t: TestApp;
  let member: TestUser;
  let small: number;
  let large: number;
  const pdf = (id: number) => t.http.get(`/api/v1/cycles/${id}/report`).query({ format: 'pdf' }).set('Authorization', member.auth).buffer(true).parse(binary);

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser('admin');
    member = await t.createUser('member');
    small = await seededCycle(t, admin, 1, 20);
    // Big enough that printing it takes a while, within the default PDF_MAX_RECOMMENDATIONS.
    large = await seededCycle(t, admin, 2, 1000);
  });
  afterAll(async () => t?.close(), 120_000);

  it('should print parallel PDF requests in one browser, and keep it for the next', async () => {
    const seen = new Set<number>();
    const sampler = setInterval(() => chromiumBrowsers().forEach((p) => seen.add(p.pid)), 20);
    try {
      // 10 = the default PDF_CONCURRENCY (2) + PDF_QUEUE_MAX (8): every one is printed.
      const answers = await Promise.all(Array.from({ length: 10 }, () => pdf(small)));
      expect(answers.map((res) => res.status)).toEqual(Array(10).fill(200));
      for (const res of answers) expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      clearInterval(sampler);
    }
    const running = chromiumBrowsers().map((p) => p.pid);
    expect(running).toHaveLength(1);
    expect([...seen]).toEqual(running);
  });

  it('should start the browser again for the next PDF after it was killed', async () => {
    await pdf(small).expect(200);
    const [browser] = chromiumBrowsers();
    expect(browser).toBeDefined();
    process.kill(browser.pid, 'SIGKILL');
    await waitFor('the killed browser to be gone', () => !isRunning(browser.pid));

    const res = await pdf(small).expect(200).expect('Content-Type', 'application/pdf');
    expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const after = chromiumBrowsers();
    expect(after).toHaveLength(1);
    expect(after[0].pid).not.toBe(browser.pid);
  });

  it('should answer 503 with Retry-After, not hang, when the browser dies while printing', async () => {
    await pdf(small).expect(200); // the browser is up
    await waitFor('the last print\'s page to close', () => renderers().length === 0);
    const [browser] = chromiumBrowsers();
    const printing = pdf(large).then((res) => res);
    // A renderer exists only while a page is open: the large report is being printed.
    await waitFor('the large report\'s page to open', () => renderers().length > 0);
    process.kill(browser.pid, 'SIGKILL');

    const res = await printing;
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ statusCode: 503, message: expect.stringMatching(/stopped while printing.*try again/) });
    // And the next one is printed by a new browser.
    await pdf(small).expect(200);
    // Printing 1,000 recommendations takes tens of seconds when CI runs other suites beside this one.
  }, 180_000);
});

describe('bounds on reports', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let cycleId: number;
  const report = (format: string, id = cycleId) =>
    t.http.get(`/api/v1/cycles/${id}/report`).query({ format }).set('Authorization', member.auth).buffer(true).parse(binary);
  const errorOf = (res: Response) => JSON.parse(res.body.toString('utf8'));

  beforeAll(async () => {
    t = await createTestApp({
      PDF_CONCURRENCY: '1', PDF_QUEUE_MAX: '1', PDF_MAX_RECOMMENDATIONS: '10', REPORT_CONCURRENCY: '1', REPORT_QUEUE_MAX: '1',
    });
    admin = await t.createUser('admin');
    member = await t.createUser('member');
    cycleId = await seededCycle(t, admin, 1, 10);
  });
  afterAll(async () => t?.close());

  it('should queue PDF requests beyond PDF_CONCURRENCY and refuse beyond PDF_QUEUE_MAX with 503 and Retry-After', async () => {
    // The one page is taken by a print whose HTML is not ready until the gate opens.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const held = t.app.get(PdfPrinter).print(async () => {
      await gate;
      return '<p>held</p>';
    });
    // One of these two waits in the queue, the other is over its bound.
    const first = report('pdf').then((res) => res);
    const second = report('pdf').then((res) => res);
    const refused = await Promise.race([first, second]);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(errorOf(refused)).toMatchObject({
      statusCode: 503, error: 'Service Unavailable',
      message: expect.stringMatching(/Too many PDF reports at once: 1 printing and 1 waiting.*PDF_CONCURRENCY=1, PDF_QUEUE_MAX=1.*format=html/),
      details: { running: 1, waiting: 1, retryAfterSeconds: Number(refused.headers['retry-after']) },
    });
    open();
    await expect(held.then((buffer) => buffer.subarray(0, 5).toString('latin1'))).resolves.toBe('%PDF-');
    const statuses = (await Promise.all([first, second])).map((res) => res.status).sort();
    expect(statuses).toEqual([200, 503]);
  });

  it('should refuse a PDF of a cycle over PDF_MAX_RECOMMENDATIONS, naming the limit and the formats to ask for instead', async () => {
    const big = await seededCycle(t, admin, 2, 11);
    const res = await report('pdf', big).expect(422);
    expect(errorOf(res)).toMatchObject({
      statusCode: 422,
      message: expect.stringMatching(/This cycle has 11 recommendations; a PDF report holds at most 10 \(PDF_MAX_RECOMMENDATIONS\).*format=html/),
      details: [{ field: 'format', allowed: ['json', 'csv', 'xlsx', 'html'] }],
    });
    await report('html', big).expect(200);
  });

  it('should hold a report\'s turn until its body is closed, and refuse beyond REPORT_QUEUE_MAX with 503 and Retry-After', async () => {
    // A report taken in this process and not yet read holds the one turn, as a slow download would.
    const held = await t.app.get(ReportsService).render(admin.coalitionId, cycleId, 'csv');
    const first = report('xlsx').then((res) => res);
    const second = report('json').then((res) => res);
    const refused = await Promise.race([first, second]);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(errorOf(refused).message).toMatch(/Too many reports at once: 1 being sent and 1 waiting.*REPORT_CONCURRENCY=1, REPORT_QUEUE_MAX=1/);

    held.body.destroy(); // the client went away: its turn passes to the one waiting
    const statuses = (await Promise.all([first, second])).map((res) => res.status).sort();
    expect(statuses).toEqual([200, 503]);
    await report('csv').expect(200); // nothing is left holding a turn
  });

  it('should say so on the web page, with Retry-After, when the reports are busy', async () => {
    const browser = await WebClient.signIn(t, member.email);
    const reports = t.app.get(ReportsService);
    const held = await reports.render(admin.coalitionId, cycleId, 'csv');
    const waiting = report('json').then((res) => res);
    try {
      await waitFor('the API request to take the one place in the queue', () => reports.load.waiting === 1);
      const res = await browser.send('GET', { path: `/cycles/${cycleId}/report/html` });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(res.text).toContain('Busy, try again shortly');
      expect(res.text).toMatch(/Too many reports at once/);
    } finally {
      held.body.destroy();
    }
    await expect(waiting.then((res) => res.status)).resolves.toBe(200);
  });
});

describe('shutdown', () => {
  it('should leave no Chromium behind when the application shuts down', async () => {
    const t = await createTestApp();
    let chromium: number[] = [];
    try {
      const admin = await t.createUser('admin');
      const id = await seededCycle(t, admin, 1, 5);
      await t.http.get(`/api/v1/cycles/${id}/report?format=pdf`).set('Authorization', admin.auth).buffer(true).parse(binary).expect(200);
      expect(chromiumBrowsers()).toHaveLength(1); // kept running between prints
      chromium = chromiumDescendants().map((p) => p.pid);
    } finally {
      await t.close();
    }
    // Chromium's helper processes end just after the browser; whichever parent they have by then, none may stay.
    await waitFor('Chromium\'s processes to end', () => chromium.every((pid) => !isRunning(pid)), 5000).catch(() => undefined);
    expect(chromium.filter(isRunning)).toEqual([]);
  });
});
