import { parse } from 'content-disposition';
import type { Response } from 'supertest';
import { createTestApp, TestApp, TestUser } from './support/test-app';

/** Collects a response body as raw bytes, whatever its content type. */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

/** The name a browser saves a download under: `filename*` when given, else `filename`. */
function savedName(header: string): string {
  return parse(header).parameters.filename;
}

/**
 * Issue 10, finding 5: evidence file names are stored as the person wrote them (any script, sent
 * as UTF-8 or in RFC 5987 form) and come back in a Content-Disposition a browser can use.
 */
describe('evidence file names', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let cycleId: number;
  let recommendationId: number;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition Names');
    member = await t.createUser('member', 'Coalition Names');
    cycleId = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 2, stateUnderReview: 'China' }).expect(201)).body.id;
    recommendationId = (await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', admin.auth).send({ text: 'Protect freedom of expression' }).expect(201)).body.id;
  });
  afterAll(async () => t?.close());

  /** A multipart upload written by hand, so the file's Content-Disposition is exactly `fileParameter`. */
  function rawUpload(fileParameter: string, content: Buffer) {
    const boundary = 'upr-boundary-7MA4YWxkTrZu0gW';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndocument\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nA named file\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${fileParameter}\r\nContent-Type: text/plain\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.http
      .post(`/api/v1/recommendations/${recommendationId}/evidence`)
      .set('Authorization', member.auth)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
  }

  const download = (id: number) => t.http.get(`/api/v1/evidence/${id}/file`).set('Authorization', member.auth).buffer(true).parse(binary);

  it('should store an RFC 5987 name (filename*=utf-8\'\'…) as written and download it with an ASCII filename and a UTF-8 filename*', async () => {
    const content = Buffer.from('年度报告');
    const upload = await rawUpload(`filename*=utf-8''%E6%8A%A5%E5%91%8A.txt`, content).expect(201);
    expect(upload.body.fileName).toBe('报告.txt');

    const file = await download(upload.body.id);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename=__.txt; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt`);
    expect(savedName(file.headers['content-disposition'])).toBe('报告.txt');
    expect((file.body as Buffer).equals(content)).toBe(true);
  });

  it('should store an ordinary UTF-8 name as written, not read as latin1', async () => {
    const upload = await t.http
      .post(`/api/v1/recommendations/${recommendationId}/evidence`)
      .set('Authorization', member.auth)
      .field('kind', 'document')
      .field('title', 'Résumé of the report')
      .attach('file', Buffer.from('résumé'), { filename: '报告-résumé.txt', contentType: 'text/plain' })
      .expect(201);
    expect(upload.body.fileName).toBe('报告-résumé.txt');
    const list = await t.http.get(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', member.auth).expect(200);
    expect(list.body.items.find((e: { id: number }) => e.id === upload.body.id).fileName).toBe('报告-résumé.txt');

    const file = await download(upload.body.id).expect(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename=__-resume.txt; filename*=UTF-8''%E6%8A%A5%E5%91%8A-r%C3%A9sum%C3%A9.txt`);
    expect(savedName(file.headers['content-disposition'])).toBe('报告-résumé.txt');
  });

  it('should drop folders, control and bidirectional characters from a name, and keep quotes and percent signs with a safe header', async () => {
    const cases: [string, string][] = [
      // folders of either kind, and a bell and a right-to-left override hiding an .exe
      [`filename*=utf-8''..%2F..%2Fdossier%5Cbell%07%20invoice%E2%80%AEfdp.exe`, 'bell invoicefdp.exe'],
      [`filename*=utf-8''%22quoted%22%20100%25.txt`, '"quoted" 100%.txt'],
      // nothing left of the name
      [`filename*=utf-8''..%2F%07`, 'file'],
    ];
    for (const [parameter, stored] of cases) {
      const upload = await rawUpload(parameter, Buffer.from(stored)).expect(201);
      expect({ parameter, fileName: upload.body.fileName }).toEqual({ parameter, fileName: stored });
      const file = await download(upload.body.id);
      expect({ parameter, status: file.status }).toEqual({ parameter, status: 200 });
      expect(file.headers['content-disposition']).toMatch(/^attachment; [\x20-\x7e]+$/);
      expect(savedName(file.headers['content-disposition'])).toBe(stored);
    }
  });

  it('should shorten a very long name to 255 characters and keep its extension', async () => {
    for (const name of ['a'.repeat(400) + '.pdf', '报'.repeat(300) + '.docx']) {
      const upload = await rawUpload(`filename*=utf-8''${encodeURIComponent(name)}`, Buffer.from('long')).expect(201);
      const stored: string = upload.body.fileName;
      const extension = name.slice(name.lastIndexOf('.'));
      expect({ length: Array.from(stored).length, extension: stored.slice(stored.lastIndexOf('.')), start: stored.slice(0, 3) }).toEqual({
        length: 255,
        extension,
        start: name.slice(0, 3),
      });
      const file = await download(upload.body.id).expect(200);
      expect(savedName(file.headers['content-disposition'])).toBe(stored);
    }
  });

  it('should serve a public ledger file under its own name', async () => {
    const upload = await t.http
      .post(`/api/v1/recommendations/${recommendationId}/evidence`)
      .set('Authorization', member.auth)
      .field('kind', 'report')
      .field('title', 'Shadow report')
      .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: '影子报告 2025.pdf', contentType: 'application/pdf' })
      .expect(201);
    await t.http.post(`/api/v1/cycles/${cycleId}/publish`).set('Authorization', admin.auth).expect(200);
    const file = await t.http.get(`/ledger/${cycleId}/evidence/${upload.body.id}`).buffer(true).parse(binary).expect(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="____ 2025.pdf"; filename*=UTF-8''%E5%BD%B1%E5%AD%90%E6%8A%A5%E5%91%8A%202025.pdf`);
    expect(savedName(file.headers['content-disposition'])).toBe('影子报告 2025.pdf');
  });
});
