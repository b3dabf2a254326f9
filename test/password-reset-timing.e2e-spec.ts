import Database from 'better-sqlite3';
import { Client } from 'pg';
import request, { type Response } from 'supertest';
import { buildApp } from './support/build-app';
import { spawnServer, waitFor, type ServerChild } from './support/server-child';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, type TestUser } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** The database's lock on account links, held by the test's own connection. */
interface LinkLock {
  /** account_link rows, read through the connection that holds the lock. */
  links(): Promise<number>;
  release(): Promise<void>;
}

/**
 * SQLite: the file's one write lock (BEGIN IMMEDIATE), which every writer waits for. PostgreSQL:
 * an EXCLUSIVE lock on account_link, which lets others read it but not insert or update rows.
 */
async function holdLinkLock(database: TestDatabase): Promise<LinkLock> {
  if (database.kind === 'postgres') {
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    await client.query(`SET search_path TO ${database.env.DATABASE_SCHEMA}`);
    await client.query('BEGIN');
    await client.query('LOCK TABLE account_link IN EXCLUSIVE MODE');
    return {
      links: async () => Number((await client.query('SELECT COUNT(*) AS n FROM account_link')).rows[0].n),
      release: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  }
  const db = new Database(database.env.DATABASE_URL.slice('sqlite:'.length));
  db.exec('BEGIN IMMEDIATE');
  return {
    links: async () => Number((db.prepare('SELECT COUNT(*) AS n FROM account_link').get() as { n: number }).n),
    release: async () => {
      db.exec('COMMIT');
      db.close();
    },
  };
}

/**
 * "Forgot your password?" must answer a known address as it answers an unknown one, and as fast
 * (issue 10, finding 6): before, the link was written before the answer, so a known address took
 * longer. The proof without a stopwatch: while the test holds the lock that writing a link needs,
 * a known address is still answered, and its link is written and sent once the lock is released.
 * The server is a real child process, because SQLite's busy wait blocks the thread that waits.
 */
describe('"Forgot your password?" answers before it looks the address up', () => {
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let server: ServerChild;
  let member: TestUser;

  beforeAll(async () => {
    buildApp();
    smtp = new SmtpTestServer();
    await smtp.start();
    database = await createTestDatabase();
    server = await spawnServer({ ...database.env, SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000', LOGIN_ATTEMPTS_PER_MINUTE: '1000', NOTIFY_DISPATCH: 'off' });
    await waitFor('the server to answer /health', async () => (await request(base()).get('/health').catch(() => null))?.status === 200, 90_000, server, 100);
    const seed = await createTestApp({}, { database });
    try {
      member = await seed.createUser('member', 'Coalition Reset');
    } finally {
      await seed.close();
    }
  }, 300_000);

  afterAll(async () => {
    if (server?.alive()) server.child.kill('SIGTERM');
    await server?.exited;
    await database?.drop();
    await smtp?.stop();
  }, 30_000);

  const base = () => `http://127.0.0.1:${server.port}`;

  it('should answer a known address while account links cannot be written, then write and send its link once they can', async () => {
    // The form's cookies and CSRF token first: reading the page writes nothing, but do it before the lock anyway.
    const form = await request(base()).get('/password/forgot').expect(200);
    const cookies = ([] as string[]).concat(form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1].replace(/&#x3D;/g, '=');
    const ask = (email: string): Promise<Response> =>
      request(base()).post('/password/forgot').set('Cookie', cookies).type('form').send(new URLSearchParams({ _csrf: csrf, email }).toString());
    // Before the change the known address's request waited for the lock: on SQLite until the busy
    // timeout (then 500), on PostgreSQL for as long as the lock is held. A generous bound turns the
    // second into a failure instead of a hang; nothing here measures how fast the answer is.
    const answered = async (res: Promise<Response>): Promise<Response> => {
      let timer: NodeJS.Timeout | undefined;
      const never = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer while account links were locked')), 20_000)));
      try {
        return await Promise.race([res, never]);
      } finally {
        clearTimeout(timer);
      }
    };

    const lock = await holdLinkLock(database);
    let known: Response;
    let unknown: Response;
    try {
      unknown = await answered(ask('nobody-here@example.org'));
      known = await answered(ask(member.email));
      expect(await lock.links()).toBe(0);
    } finally {
      await lock.release();
    }
    expect(known.status).toBe(200);
    expect(known.text).toContain('If an account exists');
    expect(known.text.split(member.email).join('X')).toBe(unknown.text.split('nobody-here@example.org').join('X'));

    await waitFor('the reset email', () => smtp.received.some((m) => m.subject === 'Reset your UPR follow-up password'), 30_000, server);
    const mails = smtp.received.filter((m) => m.subject === 'Reset your UPR follow-up password');
    expect(smtp.recipients()).toEqual([member.email]);
    expect(mails[0].text).toMatch(/\/password\/reset\/[\w-]+/);
  });
});
