import { DataSource } from 'typeorm';
import { buildApp } from './support/build-app';
import { spawnServer, waitFor, type ServerChild } from './support/server-child';
import { changeStatus, createScene, follow } from './support/notification-fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestUser } from './support/test-app';
import { connectTo, createTestDatabase, TestDatabase } from './support/test-database';

const MEMBERS = 40;
/** The first server is killed once this many emails have arrived: well inside its one batch of 40. */
const KILL_AFTER = 10;
const SMTP_DELAY_MS = 120;
const LEASE_SECONDS = 3;

type Server = ServerChild;

/**
 * Reliability scenario 3, with the real server as a child process: SIGKILL in the middle of a batch,
 * then a restart on the same database. The child uses the system clock, so the notices are due now.
 */
describe('notification dispatch across a crash (reliability scenario 3)', () => {
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let db: DataSource;
  let members: TestUser[];
  const servers: Server[] = [];

  beforeAll(async () => {
    // What `npm start` runs (incremental: fast when dist is current).
    buildApp();
    smtp = new SmtpTestServer();
    smtp.delayMs = SMTP_DELAY_MS;
    await smtp.start();
    database = await createTestDatabase();

    // Seed with the application itself (dispatch off), on the database the children will use.
    const seed = await createTestApp({}, { database });
    try {
      seed.clock.set(new Date());
      const scene = await createScene(seed);
      members = [];
      for (let i = 0; i < MEMBERS; i++) {
        const member = await seed.createUser('member');
        await follow(seed, member, scene.recommendationId);
        members.push(member);
      }
      seed.clock.set(new Date());
      await changeStatus(seed, scene.coordinator, scene.recommendationId, 'in_progress', 'Bill introduced');
    } finally {
      await seed.close();
    }
    db = await connectTo(database);
  }, 300_000);

  afterAll(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
    await db?.destroy();
    await database?.drop();
    await smtp?.stop();
  }, 30_000);

  const startServer = async (): Promise<Server> => {
    const server = await spawnServer({
      ...database.env,
      SMTP_URL: smtp.url,
      NOTIFY_DISPATCH: 'on',
      NOTIFY_POLL_SECONDS: '1',
      NOTIFY_LEASE_SECONDS: String(LEASE_SECONDS),
      SMTP_MAX_CONNECTIONS: '1',
      SMTP_RATE_PER_SECOND: '1000',
    });
    servers.push(server);
    return server;
  };

  const count = async (sql: string): Promise<number> => Number((await db.query(sql))[0].n);

  it('should send every unsent email once and repeat at most the one in flight, with its Message-ID, when the server is killed mid-batch and restarted', async () => {
    const first = await startServer();
    await waitFor(`${KILL_AFTER} emails`, () => smtp.received.length >= KILL_AFTER, 60_000, first);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    // The email in flight, if any, may still land after the kill: count it as the first server's.
    await new Promise((done) => setTimeout(done, SMTP_DELAY_MS * 3));
    const beforeRestart = smtp.messageIds();

    const recorded = await db.query(`SELECT id, message_id FROM digest WHERE state = 'sent'`) as { id: number; message_id: string }[];
    const recordedSent = new Set(recorded.map((d) => d.message_id));
    // Killed mid-batch: the rest of the batch is still claimed by the dead server's lease.
    expect(recorded.length).toBeLessThan(MEMBERS);
    expect(await count(`SELECT COUNT(*) AS n FROM digest WHERE state = 'pending' AND lease_owner IS NOT NULL`)).toBe(MEMBERS - recorded.length);
    // What arrived was recorded as sent, except at most the one in flight.
    expect(beforeRestart.filter((id) => !recordedSent.has(id)).length).toBeLessThanOrEqual(1);

    const second = await startServer();
    const memberEmails = members.map((m) => m.email).sort();
    await waitFor('every member to get their email', () => memberEmails.every((email) => smtp.recipients().includes(email)), 60_000, second, 20);
    await waitFor(
      'every email recorded as sent',
      async () => (await count(`SELECT COUNT(*) AS n FROM digest WHERE state = 'sent'`)) === MEMBERS,
      15_000,
      second,
      50,
    );
    second.child.kill('SIGTERM');
    await second.exited;

    // Every member got their email, and only members did.
    expect([...new Set(smtp.recipients())].sort()).toEqual(memberEmails);
    // Nothing recorded as sent before the kill went out again after the restart.
    const afterRestart = smtp.messageIds().slice(beforeRestart.length);
    expect(afterRestart.filter((id) => recordedSent.has(id))).toEqual([]);
    // At most one email repeated (the one in flight), and a repeat carries the same Message-ID.
    const timesReceived = new Map<string, number>();
    for (const id of smtp.messageIds()) timesReceived.set(id, (timesReceived.get(id) ?? 0) + 1);
    const repeated = [...timesReceived].filter(([, n]) => n > 1);
    expect(repeated.length).toBeLessThanOrEqual(1);
    expect(repeated.every(([, n]) => n === 2)).toBe(true);
    expect(smtp.received.length).toBeLessThanOrEqual(MEMBERS + 1);
    const recipients = smtp.recipients();
    const messageIdsOf = new Map<string, Set<string>>();
    smtp.messageIds().forEach((id, i) => messageIdsOf.set(recipients[i], (messageIdsOf.get(recipients[i]) ?? new Set()).add(id)));
    // A member who got two emails got the same message twice, never two different ones.
    expect(memberEmails.filter((email) => messageIdsOf.get(email)?.size !== 1)).toEqual([]);

    // The database: every notice and every email sent, each email once, under the Message-ID that arrived.
    expect(await db.query(`SELECT state, COUNT(*) AS n FROM notification GROUP BY state`).then(byState)).toEqual({ sent: MEMBERS });
    expect(await db.query(`SELECT state, COUNT(*) AS n FROM digest GROUP BY state`).then(byState)).toEqual({ sent: MEMBERS });
    const sentIds = (await db.query(`SELECT message_id FROM digest`) as { message_id: string }[]).map((d) => d.message_id).sort();
    expect(new Set(sentIds).size).toBe(MEMBERS);
    expect([...timesReceived.keys()].sort()).toEqual(sentIds);
  }, 180_000);
});

function byState(rows: { state: string; n: string | number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
