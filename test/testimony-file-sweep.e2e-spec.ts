import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntakeSettingsService } from '../src/testimonies/intake-settings.service';
import { TestimonyFileSweep } from '../src/testimonies/testimony-file-sweep';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * What a crash leaves among the testimony files, put right at the next start: a committed file
 * still under its temporary name is put in place (readable again), a file no row names (a
 * withdrawal interrupted before its deletion) and an old abandoned upload are deleted, and a
 * temporary file young enough to be an upload in flight is left alone.
 */
describe('testimony files left by an interrupted run', () => {
  const KEY = randomBytes(32).toString('base64');
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (sweep) >> endobj\n%%EOF\n');
  let t: TestApp;
  let coordinator: TestUser;
  let dir: string;
  const twoHoursAgo = () => new Date(Date.now() - 2 * 3600_000);
  const age = (path: string) => utimesSync(path, twoHoursAgo(), twoHoursAgo());
  const fileNamed = () => randomBytes(24).toString('hex');

  beforeAll(async () => {
    t = await createTestApp({ TESTIMONY_KEY: KEY });
    coordinator = await t.createUser('coordinator', 'Coalition Sweep');
    await t.app.get(IntakeSettingsService).enable(coordinator.coalitionId, { slug: 'sweep' }, null);
    dir = join(t.config.storage.dataDir, 'testimonies');
  });
  afterAll(async () => t?.close());

  async function sendWithFile(): Promise<{ id: number; fileId: number; storageName: string }> {
    await t.http.post('/api/v1/public/testimonies/sweep').field('text', 'Held at the border').field('consent', 'internal').field('language', 'en')
      .attach('files', PDF, { filename: 'letter.pdf', contentType: 'application/pdf' }).expect(201);
    const [row] = await t.dataSource.query('SELECT f.id, f.testimony_id, f.storage_name FROM testimony_file f ORDER BY f.id DESC LIMIT 1');
    return { id: Number(row.testimony_id), fileId: Number(row.id), storageName: row.storage_name };
  }
  const download = (id: number, fileId: number) => t.http.get(`/api/v1/testimonies/${id}/files/${fileId}`).set('Authorization', coordinator.auth)
    .buffer(true).parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); });

  it('should put a committed file back in place, delete what no row names and old abandoned uploads, and spare an upload in flight', async () => {
    const committed = await sendWithFile();
    // The process stopped between the commit and the rename that follows it.
    renameSync(join(dir, committed.storageName), join(dir, `${committed.storageName}.tmp`));
    age(join(dir, `${committed.storageName}.tmp`));
    await download(committed.id, committed.fileId).expect(500);
    // A withdrawn testimony's file whose deletion did not happen, an abandoned upload, one in flight.
    const orphan = fileNamed();
    writeFileSync(join(dir, orphan), randomBytes(64));
    const abandoned = `${fileNamed()}.tmp`;
    writeFileSync(join(dir, abandoned), randomBytes(64));
    age(join(dir, abandoned));
    const inFlight = `${fileNamed()}.tmp`;
    writeFileSync(join(dir, inFlight), randomBytes(64));
    const stranger = 'notes.txt';
    writeFileSync(join(dir, stranger), 'not ours to judge');

    await expect(t.app.get(TestimonyFileSweep).sweep()).resolves.toEqual({ restored: 1, deleted: 2, spared: 1 });
    expect(readdirSync(dir).sort()).toEqual([committed.storageName, inFlight, stranger].sort());
    const file = await download(committed.id, committed.fileId).expect(200);
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
    // Nothing more to do the second time.
    await expect(t.app.get(TestimonyFileSweep).sweep()).resolves.toEqual({ restored: 0, deleted: 0, spared: 1 });
  });

  it('should sweep at start: a file left by a withdrawal is gone once an instance starts on the same data', async () => {
    const sent = await sendWithFile();
    // As if the withdrawal had committed and the process had stopped before deleting the file.
    await t.dataSource.query(`DELETE FROM testimony_file WHERE id = ${sent.fileId}`);
    expect(existsSync(join(dir, sent.storageName))).toBe(true);
    const next = await createTestApp({ TESTIMONY_KEY: KEY }, { database: t.database });
    try {
      expect(existsSync(join(dir, sent.storageName))).toBe(false);
    } finally {
      await next.close();
    }
  });
});
