import type { Response } from 'supertest';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { SmtpTestServer } from './support/smtp-test-server';
import { changeStatus, createScene, dispatch, follow, Scene } from './support/notification-fixtures';

function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * Issue 10, finding 7: testimony is always confidential, whatever the request says. A member never
 * reads it, and its title is in no email, public ledger or report.
 */
describe('testimony is always confidential', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let scene: Scene;
  let member: TestUser;
  const TITLE = 'Testimony of detainee J.D. at Facility X';

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000' });
    scene = await createScene(t, 'Coalition Testimony');
    member = await t.createUser('member', 'Coalition Testimony');
    await follow(t, member, scene.recommendationId);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const evidenceUrl = () => `/api/v1/recommendations/${scene.recommendationId}/evidence`;

  it('should keep testimony from members, their emails, the public ledger and reports when the request says it is not confidential', async () => {
    const link = await t.http
      .post(evidenceUrl())
      .set('Authorization', member.auth)
      .send({ kind: 'testimony', title: TITLE, url: 'https://example.org/t/1', confidential: false })
      .expect(201);
    expect(link.body.confidential).toBe(true);
    // Not ticked at all, as an upload (the page's form sends nothing when the box is left empty).
    const file = await t.http
      .post(evidenceUrl())
      .set('Authorization', scene.coordinator.auth)
      .field('kind', 'testimony')
      .field('title', `${TITLE}, recording`)
      .attach('file', Buffer.from('recording'), { filename: 'statement.txt', contentType: 'text/plain' })
      .expect(201);
    expect(file.body.confidential).toBe(true);
    const report = await t.http.post(evidenceUrl()).set('Authorization', scene.coordinator.auth).send({ kind: 'report', title: 'Public report 2026', url: 'https://example.org/r' }).expect(201);
    expect(report.body.confidential).toBe(false);

    // The member does not see it, nor its file.
    const listed = await t.http.get(evidenceUrl()).set('Authorization', member.auth).expect(200);
    expect(listed.body.items.map((e: { title: string }) => e.title)).toEqual(['Public report 2026']);
    expect(listed.body.total).toBe(1); // the count leaves out what the member may not see, too
    await t.http.get(`/api/v1/evidence/${file.body.id}/file`).set('Authorization', member.auth).expect(404);
    const coordinatorList = await t.http.get(evidenceUrl()).set('Authorization', scene.coordinator.auth).expect(200);
    expect(coordinatorList.body.items.filter((e: { title: string }) => e.title.startsWith(TITLE))).toHaveLength(2);

    // Cited by a status change: the follower's email counts it but does not name it.
    smtp.received.length = 0;
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'partially_implemented', 'Signed, not ratified', [link.body.id, file.body.id, report.body.id]);
    await dispatch(t);
    const mail = smtp.received.find((m) => (m.to as { text: string }).text.includes(member.email));
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('Evidence cited: 3: Public report 2026 (2 confidential, not shown)');
    for (const part of [mail!.text, mail!.html, mail!.subject]) expect(part).not.toContain('Testimony of detainee');

    // Published: neither the ledger page nor its files carry it; the cycle report does not name it.
    await t.http.post(`/api/v1/cycles/${scene.cycleId}/publish`).set('Authorization', scene.admin.auth).expect(200);
    const ledger = await t.http.get(`/ledger/${scene.cycleId}`).expect(200);
    expect(ledger.text).toContain('Public report 2026');
    expect(ledger.text).not.toContain('Testimony of detainee');
    await t.http.get(`/ledger/${scene.cycleId}/evidence/${file.body.id}`).expect(404);
    for (const format of ['json', 'csv', 'html']) {
      const body = await t.http.get(`/api/v1/cycles/${scene.cycleId}/report?format=${format}`).set('Authorization', member.auth).buffer(true).parse(binary).expect(200);
      expect({ format, named: (body.body as Buffer).toString('utf8').includes('Testimony of detainee') }).toEqual({ format, named: false });
    }
  });
});
