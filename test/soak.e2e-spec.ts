// Soak test (issue 6): the real server, as `npm start` runs it, under imports, status changes and
// the notification dispatcher together, for SOAK_SECONDS (default 45, so CI stays quick; run it
// longer to catch slower leaks, e.g. `SOAK_SECONDS=900 npx jest test/soak.e2e-spec.ts`). Loopback
// only: the server listens on 127.0.0.1 and sends its emails to an SMTP server in this process.
//
// It checks two things. Memory stays flat: the server's live heap (after a full collection, asked
// for by signal: see test/support/heap-probe.js) and its resident size (VmRSS in /proc) in the last
// third of the run are compared with the first third, after a warm-up. And nothing is lost: every
// status change the server accepted is in the history, every planned notification was sent by
// email, and every imported row is there.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { buildApp } from './support/build-app';
import { freePort } from './support/server-child';
import { seedRecommendations } from '../bench/seed';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestUser } from './support/test-app';
import { connectTo, createTestDatabase, TestDatabase } from './support/test-database';

const ROOT = resolve(__dirname, '..');
const SECONDS = Number(process.env.SOAK_SECONDS ?? 45);
/** Samples before this share of the run are the warm-up (JIT, caches, connection pools filling). */
const WARM_UP_SHARE = 0.2;
const SAMPLE_EVERY_MS = 1000;
/** Concurrent status-change clients; each owns its own recommendations, so none of them gets a 409. */
const WRITERS = 3;
const RECOMMENDATIONS = 300;
const MEMBERS = 3;
const IMPORT_EVERY_MS = 2000;
/** The statuses walked through; each may follow any other without evidence (see bench/status-walk.ts). */
const WALK = ['not_started', 'in_progress', 'not_implemented', 'regressed'];
const MB = 2 ** 20;

/**
 * Memory thresholds: how much the last third (median) may exceed the first third (median).
 *
 * The live heap after a full collection moves by a megabyte or two between samples here (buffers
 * in flight, the JIT's code and feedback, TypeORM's statement cache filling up). A leak worth the
 * name retains something per request: an Express request/response pair, a closure holding a query
 * result, a listener never removed are each several kilobytes. The default run makes some
 * thousands of requests between the middle of the first third and that of the last, so a leak of
 * 4 KB per request adds well over 10 MB; 8 MB + 15% lets the noise through and stops that. Longer
 * runs catch smaller leaks per request under the same threshold.
 *
 * The resident size also holds what the heap gave back but the allocator kept, SQLite's page
 * cache and the driver's buffers, and moves much more; it gets 48 MB + 25%, which still stops a
 * leak outside the JavaScript heap (native buffers, statements never finalised) of 10 KB a request.
 */
const HEAP_TOLERANCE = (first: number) => 8 * MB + 0.15 * first;
const RSS_TOLERANCE = (first: number) => 48 * MB + 0.25 * first;

interface Sample {
  at: number;
  heap: number;
  rss: number | null;
}

describe('soak: imports, status changes and email dispatch together (issue 6)', () => {
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let db: DataSource;
  let admin: TestUser;
  let members: TestUser[];
  let firstId: number;
  let server: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    // What `npm start` runs (incremental: fast when dist is current).
    buildApp();
    smtp = new SmtpTestServer();
    await smtp.start();
    database = await createTestDatabase();

    // Seed with the application itself (dispatch off), on the database the server will use:
    // recommendations in one open cycle, each followed by every member.
    const seed = await createTestApp({}, { database });
    try {
      admin = await seed.createUser('admin');
      members = [];
      for (let i = 0; i < MEMBERS; i++) members.push(await seed.createUser('member'));
      const cycle = await seed.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Chile' }).expect(201);
      ({ firstId } = await seedRecommendations(seed.dataSource, admin.coalitionId, [{ id: cycle.body.id, number: 4 }], RECOMMENDATIONS));
      const p = seed.dataSource.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      for (const member of members) {
        await seed.dataSource.query(
          `INSERT INTO recommendation_follower (recommendation_id, user_id) SELECT id, ${p[0]} FROM recommendation WHERE cycle_id = ${p[1]}`,
          [member.id, cycle.body.id],
        );
      }
    } finally {
      await seed.close();
    }
    db = await connectTo(database);
  }, 300_000);

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await db?.destroy();
    await database?.drop();
    await smtp?.stop();
  }, 30_000);

  it(`should keep memory flat and lose nothing over ${SECONDS} s of imports, status changes and dispatch`, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--expose-gc', '-r', resolve(__dirname, 'support/heap-probe.js'), 'dist/src/main.js'], {
      cwd: ROOT,
      // Only what the service reads, so nothing in the test runner's environment leaks into it.
      env: {
        PATH: process.env.PATH ?? '',
        ...database.env,
        PORT: String(port),
        SMTP_URL: smtp.url,
        NOTIFY_DISPATCH: 'on',
        NOTIFY_POLL_SECONDS: '1',
        SMTP_RATE_PER_SECOND: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    const heapLines: number[] = [];
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        const match = /^SOAK_HEAP (\d+)/.exec(line);
        if (match) heapLines.push(Number(match[1]));
        else if (line) output = (output + line + '\n').slice(-20_000);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const api = `http://127.0.0.1:${port}/api/v1`;
    await waitFor('the server to listen', async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true, 60_000);

    // The load, until the deadline.
    const deadline = Date.now() + SECONDS * 1000;
    const accepted = new Map<number, string[]>(); // recommendation → statuses accepted, in order
    const refused: string[] = [];
    const seeded = (await db.query(`SELECT id, status FROM recommendation WHERE id >= ${firstId} AND id < ${firstId + RECOMMENDATIONS}`)) as {
      id: number; status: string;
    }[];
    const current = new Map(seeded.map((r) => [Number(r.id), r.status]));
    // Each writer changes only its own recommendations, one request at a time, so it always knows
    // a recommendation's status and asks for another one: every request is an allowed transition.
    const writer = async (w: number) => {
      const mine = [...current.keys()].filter((id) => id % WRITERS === w);
      for (let turn = 0; Date.now() < deadline; turn++) {
        const id = mine[turn % mine.length];
        const status = WALK[(WALK.indexOf(current.get(id)!) + 1) % WALK.length]; // a status outside the walk (-1) goes to WALK[0]
        const response = await call('POST', `${api}/recommendations/${id}/status`, { 'content-type': 'application/json' },
          JSON.stringify({ status, note: `soak ${w}.${turn}` }));
        const body = response.body;
        if (!response.ok) {
          refused.push(`${id} → ${status}: ${response.status} ${body.slice(0, 300)}`);
          continue;
        }
        current.set(id, status);
        accepted.set(id, [...(accepted.get(id) ?? []), status]);
      }
    };
    const imported: string[] = [];
    const importer = async () => {
      const template = readFileSync(resolve(ROOT, 'docs/import-template.csv'), 'utf8').trim().split('\n');
      for (let n = 1; Date.now() < deadline; n++) {
        // The template's rows with paragraphs and texts of their own: an import matches a row to an
        // existing recommendation by its cycle and paragraph (or text), and these must be new ones.
        const rows = template.slice(1).map((row, i) => row.replace(/^((?:[^,]*,){4})[^,]*,("[^"]*"|[^,]*)/, (_m, head: string, text: string) => {
          const own = `${text.replace(/^"|"$/g, '')} (soak import ${n}, row ${i + 1})`;
          return `${head}${1000 + n}.${i + 1},"${own}"`;
        }));
        const boundary = `soak-${n}-${Date.now()}`;
        const csv = [template[0], ...rows].join('\n');
        const upload = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="soak-${n}.csv"\r\ncontent-type: text/csv\r\n\r\n` +
          `${csv}\r\n--${boundary}--\r\n`;
        const response = await call('POST', `${api}/imports`, { 'content-type': `multipart/form-data; boundary=${boundary}` }, upload);
        const body = parseJson(response.body) as { created?: number };
        if (!response.ok || body.created !== rows.length) refused.push(`import ${n}: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
        else imported.push(...rows.map((_row, i) => `(soak import ${n}, row ${i + 1})`));
        await sleep(IMPORT_EVERY_MS);
      }
    };
    const samples: Sample[] = [];
    const sampler = async () => {
      const started = Date.now();
      while (Date.now() < deadline) {
        const before = heapLines.length;
        child.kill('SIGURG');
        await waitFor('a heap sample', () => heapLines.length > before, 10_000);
        samples.push({ at: (Date.now() - started) / 1000, heap: heapLines[heapLines.length - 1], rss: residentBytes(child.pid!) });
        await sleep(SAMPLE_EVERY_MS);
      }
    };
    await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), importer(), sampler()]);

    // Nothing refused: every status change was an allowed transition, every import was good.
    expect(refused).toEqual([]);
    const changes = [...accepted.values()].reduce((n, list) => n + list.length, 0);
    expect(changes).toBeGreaterThan(0);
    expect(imported.length).toBeGreaterThan(0);

    // Every notification planned goes out: wait for the dispatcher to drain the outbox.
    const count = async (sql: string) => Number((await db.query(sql))[0].n);
    await waitFor('the outbox to drain', async () => (await count(`SELECT COUNT(*) AS n FROM notification WHERE state = 'pending'`)) === 0, 120_000);
    child.kill('SIGTERM');
    await exited;

    // Memory: the last third against the first, after the warm-up.
    const steady = samples.filter((s) => s.at >= SECONDS * WARM_UP_SHARE);
    expect(steady.length).toBeGreaterThanOrEqual(6);
    const third = Math.floor(steady.length / 3);
    const [first, last] = [steady.slice(0, third), steady.slice(-third)];
    const heap = { first: median(first.map((s) => s.heap)), last: median(last.map((s) => s.heap)) };
    const report = `heap ${mb(heap.first)} → ${mb(heap.last)} MB over ${samples.length} samples, ${changes} status changes, ${imported.length} imported rows`;
    console.log(`soak: ${report}; RSS ${samples.map((s) => (s.rss === null ? '?' : mb(s.rss))).join(' ')} MB`);
    expect(heap.last - heap.first).toBeLessThan(HEAP_TOLERANCE(heap.first));
    if (steady.every((s) => s.rss !== null)) {
      const rss = { first: median(first.map((s) => s.rss!)), last: median(last.map((s) => s.rss!)) };
      expect(rss.last - rss.first).toBeLessThan(RSS_TOLERANCE(rss.first));
    }

    // Nothing lost: every accepted change is in the history, in order, and is the status now.
    const history = (await db.query(
      `SELECT recommendation_id, to_status FROM status_change WHERE note LIKE 'soak %' ORDER BY id`,
    )) as { recommendation_id: number; to_status: string }[];
    const recorded = new Map<number, string[]>();
    for (const row of history) recorded.set(Number(row.recommendation_id), [...(recorded.get(Number(row.recommendation_id)) ?? []), row.to_status]);
    expect(recorded).toEqual(accepted);
    const statuses = (await db.query(`SELECT id, status FROM recommendation WHERE id >= ${firstId} AND id < ${firstId + RECOMMENDATIONS}`)) as {
      id: number; status: string;
    }[];
    const wrong = statuses.filter((r) => current.get(Number(r.id)) !== r.status);
    expect(wrong).toEqual([]);

    // Every change told every member: one notification each, all sent, each in an email that arrived.
    expect(await count(`SELECT COUNT(*) AS n FROM notification WHERE kind = 'status_change'`)).toBe(changes * MEMBERS);
    expect(await count(`SELECT COUNT(*) AS n FROM notification WHERE state <> 'sent'`)).toBe(0);
    const sentDigests = (await db.query(`SELECT message_id FROM digest WHERE state = 'sent'`)) as { message_id: string }[];
    const arrived = new Set(smtp.messageIds());
    expect(sentDigests.filter((d) => !arrived.has(d.message_id))).toEqual([]);
    expect(new Set(smtp.recipients())).toEqual(new Set(members.map((m) => m.email)));

    // Every imported row is there, once.
    const texts = (await db.query(`SELECT text FROM recommendation WHERE text LIKE '%(soak import %'`)) as { text: string }[];
    const found = texts.map((t) => /\(soak import \d+, row \d+\)/.exec(t.text)![0]).sort();
    expect(found).toEqual([...imported].sort());
  }, (SECONDS + 240) * 1000);

  /**
   * One request as the admin, on a connection of its own (a kept-alive connection can be closed by
   * the server's keep-alive timeout just as a request is sent on it, a reset that is the client's
   * race, not a fault of the server); fails with the server's output if the server is not there.
   */
  async function call(method: string, url: string, headers: Record<string, string>, body: string): Promise<{ ok: boolean; status: number; body: string }> {
    try {
      return await new Promise((done, fail) => {
        const req = request(url, { method, agent: false, headers: { ...headers, authorization: admin.auth, 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done({ ok: res.statusCode! >= 200 && res.statusCode! < 300, status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
          res.on('error', fail);
        });
        req.on('error', fail);
        req.end(body);
      });
    } catch (error) {
      await sleep(200); // let an exit be noticed
      throw new Error(`${method} ${url}: ${String(error)}; server exit ${server?.exitCode ?? server?.signalCode}:\n${output}`);
    }
  }

  /** Polls until the condition holds; fails with the server's output if it does not in time. */
  async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (server && (server.exitCode !== null || server.signalCode !== null)) {
        throw new Error(`the server exited (${server.exitCode ?? server.signalCode}) while waiting for ${what}:\n${output}`);
      }
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${output}`);
      await sleep(20);
    }
  }
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { notJson: text.slice(0, 300) };
  }
}

/** The process's resident size from /proc (Linux); null elsewhere. */
function residentBytes(pid: number): number | null {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return null;
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(file, 'utf8'));
  return match ? Number(match[1]) * 1024 : null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
