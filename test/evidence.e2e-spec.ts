import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Response } from 'supertest';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Collects a response body as raw bytes, whatever its content type. */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  // In Node the response handed to a parser is the raw message stream.
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

/** Every file under a directory, as paths relative to it (empty when the directory does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

async function countEvidence(t: TestApp, recommendationId: number): Promise<number> {
  const rows: { n: number | string }[] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM evidence WHERE recommendation_id = ${Number(recommendationId)}`);
  return Number(rows[0].n);
}

async function createCycleWithRecommendation(t: TestApp, admin: TestUser, number: number): Promise<{ cycleId: number; recommendationId: number }> {
  const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number, stateUnderReview: 'Chile' }).expect(201);
  const rec = await t.http
    .post(`/api/v1/cycles/${cycle.body.id}/recommendations`)
    .set('Authorization', admin.auth)
    .send({ text: `Guarantee access to information (cycle ${number})` })
    .expect(201);
  return { cycleId: cycle.body.id, recommendationId: rec.body.id };
}

describe('evidence', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let otherMember: TestUser;
  let recommendationId: number;

  const evidenceUrl = (id = recommendationId) => `/api/v1/recommendations/${id}/evidence`;
  const download = (user: TestUser, id: number) =>
    t.http.get(`/api/v1/evidence/${id}/file`).set('Authorization', user.auth).buffer(true).parse(binary);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition A');
    coordinator = await t.createUser('coordinator', 'Coalition A');
    member = await t.createUser('member', 'Coalition A');
    otherMember = await t.createUser('member', 'Coalition B');
    ({ recommendationId } = await createCycleWithRecommendation(t, admin, 1));
  });
  afterAll(async () => t.close());

  it('should store and list a link when a JSON link with title and url is posted', async () => {
    const res = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .send({ kind: 'link', title: '  Ministry report 2025  ', url: 'https://example.org/report-2025', confidential: false })
      .expect(201);
    expect(res.body).toMatchObject({
      recommendationId,
      kind: 'link',
      title: 'Ministry report 2025',
      url: 'https://example.org/report-2025',
      fileName: null,
      sha256: null,
      downloadUrl: null,
      confidential: false,
      submittedById: coordinator.id,
    });
    expect(res.body.id).toEqual(expect.any(Number));

    const list = await t.http.get(evidenceUrl()).set('Authorization', member.auth).expect(200);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: res.body.id, url: 'https://example.org/report-2025' })]));
  });

  it('should store the file under its SHA-256 and download the same bytes when a document is uploaded', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4096), Buffer.from('\n%%EOF\n')]);
    const expectedHash = sha256(bytes);

    const res = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .field('kind', 'document')
      .field('title', 'Shadow report')
      .attach('file', bytes, 'shadow-report.pdf')
      .expect(201);
    expect(res.body).toMatchObject({
      kind: 'document',
      title: 'Shadow report',
      url: null,
      fileName: 'shadow-report.pdf',
      mimeType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: expectedHash,
      downloadUrl: `/api/v1/evidence/${res.body.id}/file`,
      confidential: false,
    });

    const onDisk = join(t.config.storage.evidenceDir, expectedHash);
    expect(existsSync(onDisk)).toBe(true);
    expect(readFileSync(onDisk).equals(bytes)).toBe(true);

    const file = await download(member, res.body.id).expect(200);
    expect(file.headers['content-type']).toMatch(/^application\/pdf/);
    expect(file.headers['content-disposition']).toBe('attachment; filename=shadow-report.pdf');
    expect(Buffer.isBuffer(file.body)).toBe(true);
    expect(sha256(file.body as Buffer)).toBe(expectedHash);
    expect((file.body as Buffer).equals(bytes)).toBe(true);

    const list = await t.http.get(evidenceUrl()).set('Authorization', member.auth).expect(200);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: res.body.id, sha256: expectedHash })]));
  });

  it('should keep only the base name and write nothing outside the evidence dir when the file name contains path traversal', async () => {
    const dataDir = t.config.storage.dataDir;
    const evidenceDir = t.config.storage.evidenceDir;
    const escapeTarget = resolve(evidenceDir, '../../etc/passwd');
    expect(existsSync(escapeTarget)).toBe(false);
    const before = filesUnder(dataDir);
    const bytes = Buffer.from(`root:x:0:0:root:/root:/bin/bash ${randomBytes(8).toString('hex')}\n`);
    // `filepath` makes the client send the name verbatim (`filename` would be reduced to its base name before sending).
    const rawName = { filepath: '../../etc/passwd', contentType: 'application/pdf' };

    const res = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .field('kind', 'document')
      .field('title', 'Traversal attempt')
      .attach('file', bytes, rawName)
      .expect(201);
    expect(res.body.fileName).toBe('passwd');
    expect(res.body.sha256).toBe(sha256(bytes));

    const added = filesUnder(dataDir).filter((path) => !before.includes(path));
    expect(added).toEqual([join(evidenceDir, sha256(bytes)).slice(dataDir.length + 1)]);
    expect(existsSync(escapeTarget)).toBe(false);
    expect(readFileSync(join(evidenceDir, sha256(bytes))).equals(bytes)).toBe(true);

    const file = await download(coordinator, res.body.id).expect(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename=passwd');
    expect((file.body as Buffer).equals(bytes)).toBe(true);
  });

  it('should answer 400 naming url when neither a url nor a file is given', async () => {
    const before = await countEvidence(t, recommendationId);
    const res = await t.http.post(evidenceUrl()).set('Authorization', coordinator.auth).send({ kind: 'link', title: 'Nothing attached' }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/url/) });
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'url' })]);
    expect(await countEvidence(t, recommendationId)).toBe(before);
  });

  it('should answer 400 and store nothing when both a url and a file are given', async () => {
    const before = await countEvidence(t, recommendationId);
    const bytes = Buffer.from(`both ${randomBytes(8).toString('hex')}`);
    const res = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .field('kind', 'document')
      .field('title', 'Both at once')
      .field('url', 'https://example.org/both')
      .attach('file', bytes, 'both.pdf')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/not both/) });
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'url' })]);
    expect(await countEvidence(t, recommendationId)).toBe(before);
    expect(existsSync(join(t.config.storage.evidenceDir, sha256(bytes)))).toBe(false);
  });

  it('should answer 400 with details naming kind when the kind is unknown', async () => {
    const res = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .send({ kind: 'rumour', title: 'Heard it somewhere', url: 'https://example.org/rumour' })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'kind', allowed: expect.arrayContaining(['document', 'link']) })]);
  });

  it('should answer 400 naming confidential when confidential is neither true nor false', async () => {
    const before = await countEvidence(t, recommendationId);
    const json = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .send({ kind: 'link', title: 'Maybe secret', url: 'https://example.org/maybe', confidential: 'maybe' })
      .expect(400);
    expect(json.body.details).toEqual([expect.objectContaining({ field: 'confidential' })]);

    const multipart = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .field('kind', 'document')
      .field('title', 'Maybe secret file')
      .field('confidential', 'maybe')
      .attach('file', Buffer.from('maybe'), 'maybe.pdf')
      .expect(400);
    expect(multipart.body.details).toEqual([expect.objectContaining({ field: 'confidential' })]);
    expect(await countEvidence(t, recommendationId)).toBe(before);
  });

  it('should hide confidential evidence from members and show it to coordinators when it is marked confidential', async () => {
    const bytes = Buffer.from(`witness statement ${randomBytes(8).toString('hex')}`);
    const secret = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .field('kind', 'testimony')
      .field('title', 'Witness statement')
      .field('confidential', 'true')
      .attach('file', bytes, 'statement.pdf')
      .expect(201);
    expect(secret.body.confidential).toBe(true);

    const memberList = await t.http.get(evidenceUrl()).set('Authorization', member.auth).expect(200);
    expect(memberList.body.items.map((e: { id: number }) => e.id)).not.toContain(secret.body.id);
    expect(memberList.body.items.length).toBeGreaterThan(0);
    expect(memberList.body.items.every((e: { confidential: boolean }) => e.confidential === false)).toBe(true);
    const memberDownload = await download(member, secret.body.id).expect(404);
    expect(JSON.parse((memberDownload.body as Buffer).toString('utf8'))).toMatchObject({ statusCode: 404, error: 'Not Found' });

    const coordinatorList = await t.http.get(evidenceUrl()).set('Authorization', coordinator.auth).expect(200);
    expect(coordinatorList.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: secret.body.id, confidential: true })]));
    const coordinatorDownload = await download(coordinator, secret.body.id).expect(200);
    expect((coordinatorDownload.body as Buffer).equals(bytes)).toBe(true);
    const adminList = await t.http.get(evidenceUrl()).set('Authorization', admin.auth).expect(200);
    expect(adminList.body.items.map((e: { id: number }) => e.id)).toContain(secret.body.id);
  });

  it('should answer 404 when a member of another coalition reads the evidence', async () => {
    const bytes = Buffer.from(`public file ${randomBytes(8).toString('hex')}`);
    const item = await t.http
      .post(evidenceUrl())
      .set('Authorization', coordinator.auth)
      .field('kind', 'report')
      .field('title', 'Public report')
      .attach('file', bytes, 'public.pdf')
      .expect(201);

    const list = await t.http.get(evidenceUrl()).set('Authorization', otherMember.auth).expect(404);
    expect(list.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringMatching(/Recommendation/) });
    await download(otherMember, item.body.id).expect(404);
    await t.http
      .post(evidenceUrl())
      .set('Authorization', otherMember.auth)
      .send({ kind: 'link', title: 'Intrusion', url: 'https://example.org/intrusion' })
      .expect(404);
  });

  it('should accept evidence with 201 when a member submits it', async () => {
    const res = await t.http
      .post(evidenceUrl())
      .set('Authorization', member.auth)
      .send({ kind: 'link', title: 'Press article', url: 'https://news.example.org/article' })
      .expect(201);
    expect(res.body).toMatchObject({ kind: 'link', submittedById: member.id, confidential: false });
    const list = await t.http.get(evidenceUrl()).set('Authorization', member.auth).expect(200);
    expect(list.body.items.map((e: { id: number }) => e.id)).toContain(res.body.id);
  });

  it('should answer 409 and store nothing when the recommendation belongs to a closed cycle', async () => {
    const closed = await createCycleWithRecommendation(t, admin, 2);
    await t.dataSource.query("UPDATE review_cycle SET state = 'closed' WHERE id = " + Number(closed.cycleId));
    const bytes = Buffer.from(`too late ${randomBytes(8).toString('hex')}`);

    const link = await t.http
      .post(evidenceUrl(closed.recommendationId))
      .set('Authorization', coordinator.auth)
      .send({ kind: 'link', title: 'Too late', url: 'https://example.org/late' })
      .expect(409);
    expect(link.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { cycleId: closed.cycleId, cycleState: 'closed' } });
    await t.http
      .post(evidenceUrl(closed.recommendationId))
      .set('Authorization', member.auth)
      .field('kind', 'document')
      .field('title', 'Too late file')
      .attach('file', bytes, 'late.pdf')
      .expect(409);
    expect(await countEvidence(t, closed.recommendationId)).toBe(0);
    expect(existsSync(join(t.config.storage.evidenceDir, sha256(bytes)))).toBe(false);
    // Reading is still allowed.
    await t.http.get(evidenceUrl(closed.recommendationId)).set('Authorization', member.auth).expect(200, { items: [], total: 0, page: 1, pageSize: 50 });
  });
});

describe('evidence upload size limit', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let recommendationId: number;

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_MAX_MB: '1' });
    const admin = await t.createUser('admin', 'Coalition A');
    coordinator = await t.createUser('coordinator', 'Coalition A');
    ({ recommendationId } = await createCycleWithRecommendation(t, admin, 1));
  });
  afterAll(async () => t.close());

  const upload = (bytes: Buffer): Promise<Response> =>
    t.http
      .post(`/api/v1/recommendations/${recommendationId}/evidence`)
      .set('Authorization', coordinator.auth)
      .field('kind', 'document')
      .field('title', 'Large annex')
      .attach('file', bytes, 'annex.pdf')
      .then((res) => res);

  it('should answer 413 and write no row nor file when the upload is larger than UPLOAD_MAX_MB', async () => {
    expect(t.config.storage.uploadMaxBytes).toBe(1024 * 1024);
    const bytes = randomBytes(1.5 * 1024 * 1024);
    const res = await upload(bytes);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(await countEvidence(t, recommendationId)).toBe(0);
    expect(filesUnder(t.config.storage.evidenceDir)).toEqual([]);
  });

  it('should accept the upload when it is just under UPLOAD_MAX_MB', async () => {
    const bytes = randomBytes(1024 * 1024 - 1024);
    const res = await upload(bytes);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sizeBytes: bytes.length, sha256: sha256(bytes) });
    expect(await countEvidence(t, recommendationId)).toBe(1);
  });
});
