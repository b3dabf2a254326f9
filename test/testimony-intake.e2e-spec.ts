import type { LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { ConfigError, loadConfig } from '../config/app.config';
import { describeError } from '../src/cli/cli-error';
import { buildProgram } from '../src/cli/commands';
import { dispatch } from './support/notification-fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp, TestUser } from './support/test-app';

/** Every line the application logged, at every level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...parts: unknown[]) => this.lines.push(parts.map((p) => (p instanceof Error ? `${p.message}\n${p.stack}` : typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
  fatal = this.keep;
}

/** A real 1×1 PNG. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** The files under `dir` whose bytes contain `needle` (as UTF-8), by name. */
function filesContaining(dir: string, needle: string | Buffer): string[] {
  const bytes = Buffer.isBuffer(needle) ? needle : Buffer.from(needle, 'utf8');
  return filesUnder(dir).filter((path) => statSync(path).isFile() && readFileSync(path).includes(bytes));
}

const RECEIPT_FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/;
const newKey = () => randomBytes(32).toString('base64');

describe("People's UPR intake", () => {
  const KEY = newKey();
  const MARKER = `zq${randomBytes(8).toString('hex')}marker`;
  const COALITION = 'Coalition Intake';
  let smtp: SmtpTestServer;
  let logger: CapturingLogger;
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let output: string[];
  const PNG = png();
  const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(`1 0 obj << /Title (${MARKER} pdf) >> endobj\n`), Buffer.from('%%EOF\n')]);

  const cli = async (app: TestApp, ...args: string[]): Promise<string> => {
    output = [];
    const program = buildProgram(async () => app.app, (line) => output.push(line), () => app.config.database);
    program.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
    await program.parseAsync(['node', 'cli', ...args]);
    return output.join('\n');
  };
  const submit = (slug: string, body: object) => t.http.post(`/api/v1/public/testimonies/${slug}`).send(body);
  const read = (id: number, who: TestUser) => t.http.get(`/api/v1/testimonies/${id}`).set('Authorization', who.auth);
  const queue = async (query = '') => (await t.http.get(`/api/v1/testimonies${query}`).set('Authorization', coordinator.auth).expect(200)).body;

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    logger = new CapturingLogger();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', TESTIMONY_KEY: KEY }, { logger });
    admin = await t.createUser('admin', COALITION);
    coordinator = await t.createUser('coordinator', COALITION);
    member = await t.createUser('member', COALITION);
    stranger = await t.createUser('coordinator', 'Coalition Elsewhere');
    await t.createUser('admin', 'Coalition Elsewhere');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('should open, close and reopen the intake from the command line, its address answering 404 while closed', async () => {
    await submit('voices', { text: 'x', consent: 'internal', language: 'en' }).expect(404);
    await expect(cli(t, 'intake', 'enable', '--coalition', COALITION, '--slug', 'Not A Slug')).rejects.toThrow(/--slug: slug must be 3 to 60 lower-case letters/);
    expect(await cli(t, 'intake', 'enable', '--coalition', COALITION, '--slug', 'voices')).toContain('Intake of "Coalition Intake" is open: POST /api/v1/public/testimonies/voices');
    // Another coalition cannot take the same address.
    const taken = await cli(t, 'intake', 'enable', '--coalition', 'Coalition Elsewhere', '--slug', 'voices').catch((error) => describeError(error));
    expect(taken).toContain('"voices" is the intake address of another coalition');
    expect(await cli(t, 'intake', 'disable', '--coalition', COALITION)).toContain('is closed');
    const closed = await submit('voices', { text: `${MARKER} closed`, consent: 'internal', language: 'en' }).expect(404);
    expect(closed.body.message).toBe('No testimony intake is open at this address');
    await cli(t, 'intake', 'enable', '--coalition', COALITION, '--slug', 'voices');
    await cli(t, 'intake', 'enable', '--coalition', 'Coalition Elsewhere', '--slug', 'elsewhere');
    // An address no slug could be is an unknown one, not a database error (PostgreSQL refuses NUL).
    for (const address of ['%00', 'voices%00', 'x']) {
      const odd = await t.http.post(`/api/v1/public/testimonies/${address}/withdraw`).send({ receipt: 'AAAA-AAAA' }).expect(404);
      expect(odd.body.message).toBe('No testimony intake is open at this address');
    }
    const audit = await t.http.get('/api/v1/audit?entity=intake').set('Authorization', admin.auth).expect(200);
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(['enabled', 'disabled', 'enabled']);
  });

  it('should refuse to enable the intake, saying why, when TESTIMONY_KEY is not configured', async () => {
    const keyless = await createTestApp();
    try {
      await keyless.createUser('admin', 'Keyless');
      const error = await cli(keyless, 'intake', 'enable', '--coalition', 'Keyless', '--slug', 'keyless').catch((e) => e);
      expect(describeError(error)).toMatch(/^Testimony intake needs TESTIMONY_KEY in the configuration \(32 random bytes, base64: openssl rand -base64 32\)/);
      await keyless.http.post('/api/v1/public/testimonies/keyless').send({ text: 'x', consent: 'internal', language: 'en' }).expect(404);
    } finally {
      await keyless.close();
    }
  });

  let jsonId: number;
  let jsonReceipt: string;
  let multipartId: number;
  let multipartReceipt: string;

  it('should take a testimony as JSON, signed out, answer 201 with a receipt, and set no cookie', async () => {
    const res = await submit('voices', {
      text: `${MARKER} text: detained at the border for nine days`, consent: 'anonymised', language: 'es',
      place: `${MARKER} place`, date: 'March 2026', agency: `${MARKER} agency`, contact: `${MARKER}@example.org`,
    }).expect(201);
    expect(Object.keys(res.body)).toEqual(['receipt']);
    expect(res.body.receipt).toMatch(RECEIPT_FORMAT);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    jsonReceipt = res.body.receipt;
    const { items, total } = await queue();
    expect(total).toBe(1);
    jsonId = items[0].id;
    expect(items[0]).toMatchObject({ state: 'new', consent: 'anonymised', language: 'es', fileCount: 0, withdrawnAt: null });
    expect(JSON.stringify(items)).not.toContain(MARKER);
  });

  it('should take a testimony with a PNG and a PDF as multipart, checking their type by content', async () => {
    const res = await t.http.post('/api/v1/public/testimonies/voices')
      .field('text', `${MARKER} multipart`).field('consent', 'internal').field('language', 'ht')
      .attach('files', PNG, { filename: 'photo.png', contentType: 'image/png' })
      .attach('files', PDF, { filename: 'letter.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(res.headers['set-cookie']).toBeUndefined();
    multipartReceipt = res.body.receipt;
    expect(multipartReceipt).toMatch(RECEIPT_FORMAT);
    expect(multipartReceipt).not.toBe(jsonReceipt);
    const { items } = await queue('?state=new');
    multipartId = items.find((item: { id: number }) => item.id !== jsonId).id;
    const testimony = (await read(multipartId, coordinator).expect(200)).body;
    expect(testimony.files.map((f: { mimeType: string; sizeBytes: number }) => [f.mimeType, f.sizeBytes])).toEqual([['image/png', PNG.length], ['application/pdf', PDF.length]]);
    const file = await t.http.get(`/api/v1/testimonies/${multipartId}/files/${testimony.files[0].id}`).set('Authorization', coordinator.auth)
      .buffer(true).parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); }).expect(200);
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);
    // On disk: encrypted, under a random name, not in the evidence store.
    const stored = filesUnder(join(t.config.storage.dataDir, 'testimonies'));
    expect(stored).toHaveLength(2);
    for (const path of stored) expect(readFileSync(path).includes(PNG.subarray(0, 16)) || readFileSync(path).includes(Buffer.from('%PDF'))).toBe(false);
    expect(filesUnder(t.config.storage.evidenceDir)).toEqual([]);
  });

  it('should refuse with 400 a file whose content is not an image, PDF or audio, whatever its name, and keep nothing', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), randomBytes(512)]);
    const before = (await queue()).total;
    const res = await t.http.post('/api/v1/public/testimonies/voices')
      .field('text', `${MARKER} exe`).field('consent', 'internal').field('language', 'en')
      .attach('files', PNG, { filename: 'fine.png', contentType: 'image/png' })
      .attach('files', exe, { filename: 'photo.png', contentType: 'image/png' })
      .expect(400);
    expect(res.body.message).toMatch(/^files\[1\]: its content is application\/x-msdownload; a testimony may attach images/);
    const text = await t.http.post('/api/v1/public/testimonies/voices')
      .field('text', 'notes').field('consent', 'internal').field('language', 'en')
      .attach('files', Buffer.from('just some words'), { filename: 'scan.pdf', contentType: 'application/pdf' })
      .expect(400);
    expect(text.body.message).toMatch(/^files\[0\]: its content is of no type recognised/);
    expect((await queue()).total).toBe(before);
    expect(filesUnder(join(t.config.storage.dataDir, 'testimonies'))).toHaveLength(2);
    await submit('voices', { text: 'x', consent: 'everyone', language: 'en' }).expect(400);
  });

  it('should pretend to take a testimony whose hidden field is filled, and store nothing', async () => {
    const before = (await queue()).total;
    const res = await submit('voices', { text: `${MARKER} bot`, consent: 'public', language: 'en', website: 'http://spam.example' }).expect(201);
    expect(res.body.receipt).toMatch(RECEIPT_FORMAT);
    expect((await queue()).total).toBe(before);
    await t.http.post('/api/v1/public/testimonies/voices/withdraw').send({ receipt: res.body.receipt }).expect(404);
  });

  it('should show a testimony, decrypted, to its coalition\'s coordinators and admins only, and record every read', async () => {
    const testimony = (await read(jsonId, coordinator).expect(200)).body;
    expect(testimony).toMatchObject({
      id: jsonId, state: 'new', consent: 'anonymised', language: 'es', text: `${MARKER} text: detained at the border for nine days`,
      place: `${MARKER} place`, date: 'March 2026', agency: `${MARKER} agency`, contact: `${MARKER}@example.org`, additions: [], files: [],
    });
    await read(jsonId, admin).expect(200);
    const hidden = await read(jsonId, member).expect(404);
    expect(hidden.body.message).toBe(`Testimony ${jsonId} was not found`);
    await read(jsonId, stranger).expect(404);
    await t.http.get('/api/v1/testimonies').set('Authorization', member.auth).expect(403);
    const strangers = await t.http.get('/api/v1/testimonies').set('Authorization', stranger.auth).expect(200);
    expect(strangers.body.total).toBe(0);
    await t.http.patch(`/api/v1/testimonies/${jsonId}`).set('Authorization', stranger.auth).send({ state: 'archived' }).expect(404);

    const audit = await t.http.get(`/api/v1/audit?entity=testimony&entityId=${jsonId}`).set('Authorization', admin.auth).expect(200);
    const reads = audit.body.items.filter((entry: { action: string }) => entry.action === 'read');
    expect(reads.map((entry: { actorId: number | null }) => entry.actorId).sort()).toEqual([admin.id, coordinator.id].sort());
    expect(JSON.stringify(audit.body)).not.toContain(MARKER);
  });

  it('should change a testimony\'s state for a coordinator, record it, and filter the queue by state', async () => {
    const res = await t.http.patch(`/api/v1/testimonies/${jsonId}`).set('Authorization', coordinator.auth).send({ state: 'reviewed' }).expect(200);
    expect(res.body.state).toBe('reviewed');
    await t.http.patch(`/api/v1/testimonies/${jsonId}`).set('Authorization', coordinator.auth).send({ state: 'withdrawn' }).expect(400);
    await t.http.patch(`/api/v1/testimonies/${jsonId}`).set('Authorization', member.auth).send({ state: 'archived' }).expect(404);
    expect((await queue('?state=reviewed')).items.map((item: { id: number }) => item.id)).toEqual([jsonId]);
    expect((await queue('?state=new')).items.map((item: { id: number }) => item.id)).toEqual([multipartId]);
    const audit = await t.http.get(`/api/v1/audit?entity=testimony&entityId=${jsonId}`).set('Authorization', admin.auth).expect(200);
    expect(audit.body.items.find((entry: { action: string }) => entry.action === 'state_changed')).toMatchObject({ before: { state: 'new' }, after: { state: 'reviewed' } });
  });

  it('should let the person add text and a file with the receipt', async () => {
    await t.http.post('/api/v1/public/testimonies/voices/add').send({ receipt: jsonReceipt.toLowerCase(), text: `${MARKER} added later` }).expect(200);
    const res = await t.http.post('/api/v1/public/testimonies/voices/add').field('receipt', jsonReceipt).attach('files', PNG, 'second.png').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const testimony = (await read(jsonId, coordinator).expect(200)).body;
    expect(testimony.additions.map((a: { text: string }) => a.text)).toEqual([`${MARKER} added later`]);
    expect(testimony.files).toHaveLength(1);
    expect(testimony.fileCount).toBe(1);
    const wrong = await t.http.post('/api/v1/public/testimonies/voices/add').send({ receipt: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA', text: 'x' }).expect(404);
    expect(wrong.body.message).toBe('No testimony sent here has this receipt');
    await t.http.post('/api/v1/public/testimonies/elsewhere/add').send({ receipt: jsonReceipt, text: 'x' }).expect(404);
    await t.http.post('/api/v1/public/testimonies/voices/add').send({ receipt: 'nonsense', text: 'x' }).expect(400);
  });

  it("should email the coordinators that a testimony arrived, with a link and nothing of its content", async () => {
    // Queued with the testimony, sent by the dispatcher's first run after five minutes.
    await dispatch(t);
    expect(smtp.received.filter((m) => m.subject === 'A new testimony arrived')).toEqual([]);
    t.clock.advance(5 * 60_000 + 1000);
    await dispatch(t);
    const notices = smtp.received.filter((m) => m.subject === 'A new testimony arrived');
    expect(notices.map((m) => (m.to as { text: string }).text)).toEqual([coordinator.email, coordinator.email]);
    expect(notices.map((m) => m.text)).toEqual(expect.arrayContaining([expect.stringContaining(`${t.config.http.appUrl}/testimonies/${jsonId}`)]));
    for (const mail of smtp.received) {
      for (const part of [mail.text, mail.html, mail.subject, JSON.stringify(mail.headers)]) expect(String(part)).not.toContain(MARKER);
    }
  });

  it('should destroy the content, the files and the key on withdrawal, leaving only that it was withdrawn', async () => {
    const dataDir = t.config.storage.dataDir;
    const [row] = await t.dataSource.query(`SELECT wrapped_key, sealed FROM testimony WHERE id = ${jsonId}`);
    const wrappedKey: string = row.wrapped_key;
    const sealedStart: string = (row.sealed as string).slice(0, 40);
    const filesBefore = filesUnder(join(dataDir, 'testimonies')).length;
    if (t.database.kind === 'sqlite') {
      // The search works: before withdrawal the database file (or its log) holds the wrapped key.
      await t.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
      expect(filesContaining(dataDir, wrappedKey).length).toBeGreaterThan(0);
    }

    const res = await t.http.post('/api/v1/public/testimonies/voices/withdraw').send({ receipt: jsonReceipt }).expect(200);
    expect(res.body).toEqual({ withdrawn: true, withdrawnAt: expect.any(String) });
    expect(res.headers['set-cookie']).toBeUndefined();
    // The receipt is forgotten with the rest: it no longer even shows that it was a testimony's.
    const again = await t.http.post('/api/v1/public/testimonies/voices/withdraw').send({ receipt: jsonReceipt }).expect(404);
    expect(again.body.message).toBe('No testimony sent here has this receipt');
    await t.http.post('/api/v1/public/testimonies/voices/add').send({ receipt: jsonReceipt, text: 'more' }).expect(404);

    const shown = (await read(jsonId, coordinator).expect(200)).body;
    expect(shown).toMatchObject({ state: 'withdrawn', consent: null, language: null, text: '', place: null, contact: null, additions: [], files: [], fileCount: 0 });
    const [after] = await t.dataSource.query(`SELECT * FROM testimony WHERE id = ${jsonId}`);
    expect([after.wrapped_key, after.key_id, after.sealed, after.consent, after.language, after.receipt_hash]).toEqual([null, null, null, null, null, null]);
    expect(await t.dataSource.query(`SELECT id FROM testimony_file WHERE testimony_id = ${jsonId}`)).toEqual([]);
    expect(filesUnder(join(dataDir, 'testimonies'))).toHaveLength(filesBefore - 1);

    if (t.database.kind === 'sqlite') {
      const backup = join(dataDir, 'after-withdrawal.sqlite');
      expect(await cli(t, 'backup', '--out', backup)).toContain('Backed up');
      for (const needle of [wrappedKey, sealedStart, MARKER]) expect({ needle, files: filesContaining(dataDir, needle) }).toEqual({ needle, files: [] });
    }
    // Nowhere in clear, ever: the data folder (database, uploads, mail), the emails, the log.
    expect(filesContaining(dataDir, MARKER)).toEqual([]);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.filter((line) => line.includes(MARKER))).toEqual([]);
    expect(smtp.received.filter((m) => `${m.text}${m.html}`.includes(MARKER))).toEqual([]);
    const audit = await t.http.get(`/api/v1/audit?entity=testimony&entityId=${jsonId}`).set('Authorization', admin.auth).expect(200);
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toContain('withdrawn');
  });

  it('should keep testimonies readable across a key rotation, and refuse to read with the old key alone', async () => {
    const NEW_KEY = newKey();
    const rotated = await createTestApp({ TESTIMONY_KEY: NEW_KEY, TESTIMONY_KEY_PREVIOUS: KEY }, { database: t.database });
    try {
      const printed = await cli(rotated, 'intake', 'rotate-key');
      expect(printed).toMatch(/^Re-wrapped 1 testimonies from key [0-9a-f]{16} to key [0-9a-f]{16}\./);
      expect(printed).toContain('Every testimony is now wrapped by TESTIMONY_KEY');
      const testimony = (await rotated.http.get(`/api/v1/testimonies/${multipartId}`).set('Authorization', coordinator.auth).expect(200)).body;
      expect(testimony.text).toBe(`${MARKER} multipart`);
      const file = await rotated.http.get(`/api/v1/testimonies/${multipartId}/files/${testimony.files[1].id}`).set('Authorization', coordinator.auth).expect(200);
      expect(Buffer.from(file.body as Buffer).includes(Buffer.from(`${MARKER} pdf`))).toBe(true);
      // Running it again finds nothing left to move.
      expect(await cli(rotated, 'intake', 'rotate-key')).toMatch(/^Re-wrapped 0 testimonies/);
      // The server still configured with the old key says what to do rather than failing obscurely.
      const stale = await read(multipartId, coordinator).expect(503);
      expect(stale.body.message).toContain('sealed with another TESTIMONY_KEY');
      // A new testimony on the rotated server is readable there.
      await rotated.http.post('/api/v1/public/testimonies/voices').send({ text: 'after rotation', consent: 'internal', language: 'fr' }).expect(201);
    } finally {
      await rotated.close();
    }
  });
});

describe("People's UPR intake throttle", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TESTIMONY_KEY: newKey(), TRUST_PROXY: 'loopback', INTAKE_PER_ADDRESS_PER_HOUR: '2', INTAKE_PER_COALITION_PER_HOUR: '3' });
    await t.createUser('coordinator', 'Throttled');
    await t.app.get((await import('../src/testimonies/intake-settings.service')).IntakeSettingsService).enable(
      (await t.dataSource.query(`SELECT id FROM coalition WHERE name = 'Throttled'`))[0].id, { slug: 'throttled' }, null,
    );
  });
  afterAll(async () => t?.close());

  const send = (address: string) => t.http.post('/api/v1/public/testimonies/throttled').set('X-Forwarded-For', address).send({ text: 'x', consent: 'internal', language: 'en' });

  it('should answer 429 with a clear message past the limit per address, then per coalition', async () => {
    await send('10.0.0.1').expect(201);
    await send('10.0.0.1').expect(201);
    const byAddress = await send('10.0.0.1').expect(429);
    expect(byAddress.body.message).toMatch(/^Too many testimonies were sent from your address in the last hour\. Nothing was received from this request: please try again in \d+ minutes?\.$/);
    expect(Number(byAddress.headers['retry-after'])).toBeGreaterThan(0);
    expect(byAddress.headers['set-cookie']).toBeUndefined();
    await send('10.0.0.2').expect(201);
    const byCoalition = await send('10.0.0.3').expect(429);
    expect(byCoalition.body.message).toMatch(/^Too many testimonies were sent to this coalition in the last hour/);
    const [{ count }] = await t.dataSource.query('SELECT COUNT(*) AS count FROM testimony');
    expect(Number(count)).toBe(3);
  });
});

describe('TESTIMONY_KEY at boot', () => {
  it('should stop the start, naming the variable and the length but not the value, when the key is not 32 bytes of base64', () => {
    const short = randomBytes(16).toString('base64');
    const error = (() => {
      try {
        loadConfig({ TESTIMONY_KEY: short });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain(short);
    expect((error as Error).message).toContain('TESTIMONY_KEY: TESTIMONY_KEY must be 32 random bytes, base64-encoded (44 characters; make one with: openssl rand -base64 32); it decodes to 16 bytes');
    expect(() => loadConfig({ TESTIMONY_KEY: 'not base64 at all!' })).toThrow(/TESTIMONY_KEY must be 32 random bytes.*it is not base64/);
    expect(() => loadConfig({ TESTIMONY_KEY_PREVIOUS: randomBytes(31).toString('base64') })).toThrow(/TESTIMONY_KEY_PREVIOUS must be 32 random bytes/);
    expect(loadConfig({ TESTIMONY_KEY: newKey() }).testimony.key).toHaveLength(32);
  });
});
