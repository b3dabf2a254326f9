// Testimony files stream in sealed (issue 13): the largest file allowed goes in and comes back
// identical; what is refused (too large, wrong type, bad fields, closed intake, a full queue) leaves
// nothing under DATA_DIR/testimonies; no clear byte of a file is on disk; a tampered file is an
// error, not altered content; and parallel submissions of the largest size keep a real server's
// memory flat.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { IntakeSettingsService } from '../src/testimonies/intake-settings.service';
import { TestimonyUploadInterceptor } from '../src/testimonies/testimony-upload.interceptor';
import { buildApp } from './support/build-app';
import { spawnServer, waitFor, type ServerChild } from './support/server-child';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const MB = 1024 * 1024;
const newKey = () => randomBytes(32).toString('base64');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * A PDF of exactly `bytes` bytes whose body repeats `marker` (file-type reads "%PDF" at the start).
 * Random bytes between the markers, so that nothing compresses or deduplicates it.
 */
function pdfOf(bytes: number, marker: string): Buffer {
  const file = Buffer.alloc(bytes);
  randomBytes(bytes).copy(file);
  Buffer.from('%PDF-1.4\n').copy(file, 0);
  for (let at = 4096; at + marker.length < bytes; at += 64 * 1024) Buffer.from(marker).copy(file, at);
  return file;
}

const download = (http: ReturnType<typeof request>, path: string, who: TestUser) => http.get(path).set('Authorization', who.auth).buffer(true)
  .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); });

describe('testimony files stream in sealed', () => {
  const MAX_MB = 2;
  const MARKER = `zq${randomBytes(8).toString('hex')}streamed`;
  let t: TestApp;
  let coordinator: TestUser;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp({ TESTIMONY_KEY: newKey(), INTAKE_FILE_MAX_MB: String(MAX_MB), INTAKE_UPLOAD_CONCURRENCY: '1', INTAKE_UPLOAD_QUEUE_MAX: '0' });
    coordinator = await t.createUser('coordinator', 'Streaming');
    await t.app.get(IntakeSettingsService).enable(coordinator.coalitionId, { slug: 'stream' }, null);
    dir = join(t.config.storage.dataDir, 'testimonies');
  });
  afterAll(async () => t?.close());

  const multipart = (path = '') => t.http.post(`/api/v1/public/testimonies/stream${path}`);
  const newest = async () => (await t.http.get('/api/v1/testimonies').set('Authorization', coordinator.auth).expect(200)).body.items[0];
  const readBack = async (id: number) => (await t.http.get(`/api/v1/testimonies/${id}`).set('Authorization', coordinator.auth).expect(200)).body;

  let receipt: string;
  let id: number;
  const largest = pdfOf(MAX_MB * MB, MARKER);

  it('should take five files of the largest size allowed and give each back identical, with only encrypted bytes on disk', async () => {
    const files = Array.from({ length: 5 }, (_, i) => (i === 0 ? largest : pdfOf(MAX_MB * MB, MARKER)));
    let req = multipart().field('text', 'five files').field('consent', 'internal').field('language', 'en');
    for (const [i, file] of files.entries()) req = req.attach('files', file, `f${i}.pdf`);
    receipt = (await req.expect(201)).body.receipt;
    id = (await newest()).id;
    const testimony = await readBack(id);
    expect(testimony.files.map((f: { sizeBytes: number; mimeType: string }) => [f.mimeType, f.sizeBytes])).toEqual(files.map(() => ['application/pdf', MAX_MB * MB]));
    for (const [i, file] of testimony.files.entries()) {
      const res = await download(t.http, `/api/v1/testimonies/${id}/files/${file.id}`, coordinator).expect(200);
      expect(Number(res.headers['content-length'])).toBe(MAX_MB * MB);
      expect(sha256(res.body as Buffer)).toBe(sha256(files[i]));
    }
    const stored = filesUnder(dir);
    expect(stored.map((path) => path.endsWith('.tmp'))).toEqual(files.map(() => false));
    // The marker is in every file sent, 32 times each: in no file anywhere under DATA_DIR.
    expect(filesUnder(t.config.storage.dataDir).filter((path) => statSync(path).isFile() && readFileSync(path).includes(Buffer.from(MARKER)))).toEqual([]);
  });

  it('should add a file of the largest size with the receipt, sealed under a key of its own, and give it back identical', async () => {
    const added = pdfOf(MAX_MB * MB, MARKER);
    await multipart('/add').field('receipt', receipt).attach('files', added, 'later.pdf').expect(200);
    const testimony = await readBack(id);
    expect(testimony.files).toHaveLength(6);
    const res = await download(t.http, `/api/v1/testimonies/${id}/files/${testimony.files[5].id}`, coordinator).expect(200);
    expect(sha256(res.body as Buffer)).toBe(sha256(added));
    const [{ sealed }] = await t.dataSource.query('SELECT COUNT(*) AS sealed FROM testimony_file WHERE sealed_key IS NOT NULL');
    expect(Number(sealed)).toBe(1);
    expect(filesUnder(t.config.storage.dataDir).filter((path) => statSync(path).isFile() && readFileSync(path).includes(Buffer.from(MARKER)))).toEqual([]);
  });

  describe('refused, leaving nothing behind', () => {
    let before: string[];
    let count: number;
    beforeEach(async () => {
      before = filesUnder(dir).sort();
      count = (await t.http.get('/api/v1/testimonies').set('Authorization', coordinator.auth).expect(200)).body.total;
    });
    afterEach(async () => {
      expect(filesUnder(dir).sort()).toEqual(before);
      expect((await t.http.get('/api/v1/testimonies').set('Authorization', coordinator.auth).expect(200)).body.total).toBe(count);
    });

    it('should refuse a file one byte over INTAKE_FILE_MAX_MB with 413, after a good one', async () => {
      const res = await multipart().field('text', 'too big').field('consent', 'internal').field('language', 'en')
        .attach('files', pdfOf(MB, MARKER), 'fine.pdf').attach('files', pdfOf(MAX_MB * MB + 1, MARKER), 'big.pdf').expect(413);
      expect(res.body.message).toBe(`files: a file is larger than ${MAX_MB} MB (INTAKE_FILE_MAX_MB); nothing was received from this request`);
    });

    it('should refuse a file whose content is of another type with 400, after a good one', async () => {
      const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), randomBytes(MB)]);
      const res = await multipart().field('text', 'exe').field('consent', 'internal').field('language', 'en')
        .attach('files', pdfOf(MB, MARKER), 'fine.pdf').attach('files', exe, 'photo.png').expect(400);
      expect(res.body.message).toMatch(/^files\[1\]: its content is application\/x-msdownload/);
    });

    it('should refuse fields that do not validate with 400, deleting the files already received', async () => {
      const res = await multipart().field('text', 'bad consent').field('consent', 'everyone').field('language', 'en')
        .attach('files', pdfOf(MB, MARKER), 'fine.pdf').expect(400);
      expect(JSON.stringify(res.body)).toMatch(/consent/);
    });

    it('should refuse an unknown receipt with 404, deleting the files received for it', async () => {
      await multipart('/add').field('receipt', 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA').attach('files', pdfOf(MB, MARKER), 'x.pdf').expect(404);
    });

    it('should refuse a closed intake with 404 before reading the files', async () => {
      await t.http.post('/api/v1/public/testimonies/nowhere').field('text', 'x').field('consent', 'internal').field('language', 'en')
        .attach('files', pdfOf(MB, MARKER), 'x.pdf').expect(404);
    });

    it('should answer 503 with Retry-After while the queue of intake uploads is full, and free the turn once the holder is answered', async () => {
      const server: Server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as AddressInfo;
      const boundary = 'held-open-boundary';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
      const tail = Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nheld\r\n--${boundary}\r\nContent-Disposition: form-data; name="consent"\r\n\r\ninternal\r\n--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n--${boundary}--\r\n`);
      // A request whose body is sent in two halves holds the only turn (INTAKE_UPLOAD_CONCURRENCY=1) in between.
      const held = new Promise<number>((done, fail) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/public/testimonies/stream/add', headers: {
          'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + tail.length,
        } }, (res) => { res.resume(); res.on('end', () => done(res.statusCode!)); });
        req.on('error', fail);
        req.write(head);
        const uploads = t.app.get(TestimonyUploadInterceptor);
        waitFor('the held upload to take its turn', () => uploads.load.running === 1, 10_000).then(async () => {
          const busy = await multipart().field('text', 'busy').field('consent', 'internal').field('language', 'en').attach('files', pdfOf(1000, MARKER), 'b.pdf').expect(503);
          expect(busy.body.message).toMatch(/^Too many testimonies with files at once: 1 being received and 0 waiting, the most this server takes \(INTAKE_UPLOAD_CONCURRENCY=1, INTAKE_UPLOAD_QUEUE_MAX=0\)/);
          expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
          req.end(tail);
        }).catch(fail);
      });
      // No receipt field: the held request is refused once read (400), and its file deleted.
      expect(await held).toBe(400);
      expect(t.app.get(TestimonyUploadInterceptor).load).toEqual({ running: 0, waiting: 0 });
    });
  });

  it('should answer an error, not altered content, for a stored file changed on disk', async () => {
    const testimony = await readBack(id);
    const [first, second] = testimony.files;
    const [{ storage_name: name }] = await t.dataSource.query(`SELECT storage_name FROM testimony_file WHERE id = ${Number(first.id)}`);
    const path = join(dir, name);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(path, bytes);
    const res = await download(t.http, `/api/v1/testimonies/${id}/files/${first.id}`, coordinator).expect(500);
    expect(JSON.parse((res.body as Buffer).toString('utf8')).message).toMatch(/failed its integrity check .*nothing of it was sent/);
    // Its tag changed instead of its content: the same.
    const [{ storage_name: other }] = await t.dataSource.query(`SELECT storage_name FROM testimony_file WHERE id = ${Number(second.id)}`);
    const tagged = readFileSync(join(dir, other));
    tagged[12] ^= 0x80;
    writeFileSync(join(dir, other), tagged);
    await download(t.http, `/api/v1/testimonies/${id}/files/${second.id}`, coordinator).expect(500);
    // The others are untouched.
    await download(t.http, `/api/v1/testimonies/${id}/files/${testimony.files[2].id}`, coordinator).expect(200);
  });
});

describe('testimony uploads under load: a real server keeps its memory flat', () => {
  const FILE_MB = 10;
  const FILES = 5;
  const PARALLEL = 6;
  let database: TestDatabase;
  let server: ServerChild;
  let base: string;

  beforeAll(async () => {
    buildApp();
    database = await createTestDatabase();
    const env = { ...database.env, TESTIMONY_KEY: newKey(), INTAKE_FILE_MAX_MB: String(FILE_MB), INTAKE_PER_ADDRESS_PER_HOUR: '1000', INTAKE_UPLOAD_QUEUE_MAX: '16' };
    const seed = await createTestApp(env, { database });
    try {
      const user = await seed.createUser('coordinator', 'Loaded');
      await seed.app.get(IntakeSettingsService).enable(user.coalitionId, { slug: 'loaded' }, null);
    } finally {
      await seed.close();
    }
    server = await spawnServer(env);
    base = `http://127.0.0.1:${server.port}`;
    await waitFor('the server to answer /health', async () => (await fetch(`${base}/health`).catch(() => null))?.ok === true, 60_000, server);
  }, 300_000);

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await database?.drop();
  }, 30_000);

  it(`should receive ${PARALLEL} submissions of ${FILES} × ${FILE_MB} MB at once without its peak RSS growing with them`, async () => {
    const file = pdfOf(FILE_MB * MB, 'load');
    const before = peakRss(server.child.pid!);
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => {
      let req = request(base).post('/api/v1/public/testimonies/loaded').field('text', 'load').field('consent', 'internal').field('language', 'en');
      for (let i = 0; i < FILES; i += 1) req = req.attach('files', file, `f${i}.pdf`);
      return req;
    }));
    const after = peakRss(server.child.pid!);
    process.stdout.write(`testimony uploads: ${PARALLEL} × ${FILES} × ${FILE_MB} MB at once, peak RSS ${before} -> ${after} MB\n`);
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 201));
    // Read into memory (the intake before streaming), this raised the peak by 468 MB: streamed, by about 15 MB.
    expect(after - before).toBeLessThan(80);
    const stored = filesUnder(join(database.dataDir, 'testimonies'));
    expect(stored).toHaveLength(PARALLEL * FILES);
    expect(stored.every((path) => !path.endsWith('.tmp') && statSync(path).size === FILE_MB * MB + 28)).toBe(true);
  }, 300_000);
});

/** Peak resident memory of a process so far, in MB (VmHWM in /proc). */
function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}
