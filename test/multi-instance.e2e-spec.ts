import request from 'supertest';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { buildApp } from './support/build-app';
import { spawnServer, waitFor, type ServerChild } from './support/server-child';
import { EmailComposer } from '../src/notifications/email-composer';
import { NotificationsRepository } from '../src/notifications/notifications.repository';
import { DispatchSummary, NotificationDispatcher } from '../src/notifications/notification-dispatcher.service';
import { changeStatus, createScene, dispatch, follow } from './support/notification-fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { connectTo, createTestDatabase, TestDatabase } from './support/test-database';

const INSTANCES = 3;
const RECOMMENDATIONS = 4;
const CHANGES_PER_RECOMMENDATION = 10;
const MEMBERS = 5;
/** Statuses that need no evidence, in an order where each differs from the one before. */
const STATUS_CYCLE = ['in_progress', 'not_started', 'not_implemented', 'regressed'];
const LEASE_SECONDS = 3;
const SMTP_DELAY_MS = 40;
/** Pause between two changes of one recommendation, so the changes overlap the dispatching. */
const CHANGE_GAP_MS = 120;
/** Changes of each recommendation made after the kill, on the two remaining instances. */
const CHANGES_AFTER_KILL = 3;

interface Server extends ServerChild {
  index: number;
}

interface Attempt {
  recommendationId: number;
  note: string;
  server: number;
  /** HTTP status, or null when the connection broke (the server was killed) and the outcome is unknown. */
  status: number | null;
  /** Made once the first instance was killed (and so to one of the other two). */
  afterKill: boolean;
}

/**
 * Several instances on one database, as docs/operations.md describes them: three real server
 * processes (what `npm start` runs) started at the same moment on a fresh, unmigrated database
 * (SQLite file in WAL mode, or one PostgreSQL schema), all dispatching, one killed with SIGKILL
 * half-way. The children use the system clock, so this runs in real time.
 */
describe('three server processes on one database, one killed mid-way', () => {
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let db: DataSource;
  const servers: Server[] = [];

  beforeAll(async () => {
    // What `npm start` runs (incremental: fast when dist is current).
    buildApp();
    smtp = new SmtpTestServer();
    smtp.delayMs = SMTP_DELAY_MS;
    await smtp.start();
    database = await createTestDatabase();
  }, 300_000);

  afterAll(async () => {
    for (const server of servers) {
      if (server.alive()) server.child.kill('SIGKILL');
      await server.exited;
    }
    await db?.destroy();
    await database?.drop();
    await smtp?.stop();
  }, 30_000);

  const startServer = async (index: number): Promise<Server> => {
    const child = await spawnServer(
      {
        ...database.env,
        SMTP_URL: smtp.url,
        NOTIFY_DISPATCH: 'on',
        NOTIFY_POLL_SECONDS: '1',
        NOTIFY_LEASE_SECONDS: String(LEASE_SECONDS),
        // Small batches, so the instances share the work and the killed one holds only a few emails.
        NOTIFY_BATCH_SIZE: '5',
        // One email in flight per instance: the killed one can leave at most one sent but unrecorded.
        SMTP_MAX_CONNECTIONS: '1',
        SMTP_RATE_PER_SECOND: '1000',
      },
      50_000,
    );
    const server = { index, ...child };
    servers.push(server);
    return server;
  };

  it('should apply each migration once, lose no accepted change and deliver every notification exactly once when three instances start together and one is killed', async () => {
    // All three at the same moment, on a database that has no tables yet.
    const started = await Promise.all(Array.from({ length: INSTANCES }, (_, i) => startServer(i)));
    for (const server of started) {
      await waitFor(`instance ${server.index} to answer /health`, async () => (await health(server.port)) === 200, 90_000, server, 100);
    }

    db = await connectTo(database);
    // Each migration recorded once, and exactly one instance applied them (the others found none pending).
    const applied = await db.query(`SELECT name FROM migrations ORDER BY id`) as { name: string }[];
    expect(applied.map((m) => m.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(started.filter((s) => /Applied \d+ migrations/.test(s.output())).length).toBe(1);

    // The people and the recommendations, made by a fourth instance (dispatch off) on the same database.
    const seed = await createTestApp({}, { database });
    let coordinator: TestUser;
    const members: TestUser[] = [];
    const recommendationIds: number[] = [];
    try {
      seed.clock.set(new Date());
      const scene = await createScene(seed);
      coordinator = scene.coordinator;
      recommendationIds.push(scene.recommendationId);
      for (let r = 1; r < RECOMMENDATIONS; r++) {
        const rec = await seed.http.post(`/api/v1/cycles/${scene.cycleId}/recommendations`).set('Authorization', coordinator.auth)
          .send({ paragraph: `26.${50 + r}`, text: `Recommendation number ${r} on the right to housing`, response: 'supported' }).expect(201);
        recommendationIds.push(rec.body.id);
      }
      for (let m = 0; m < MEMBERS; m++) {
        const member = await seed.createUser('member');
        for (const id of recommendationIds) await follow(seed, member, id);
        members.push(member);
      }
    } finally {
      await seed.close();
    }

    // Status changes, round robin over the live instances, one chain per recommendation, all chains at once.
    // Half-way, the first instance is killed at a moment it holds claimed emails (it is dispatching);
    // the chains go on until then, and their last changes wait for it, so they certainly go to the other two.
    const attempts: Attempt[] = [];
    const total = RECOMMENDATIONS * CHANGES_PER_RECOMMENDATION;
    let turn = 0;
    const victim = started[0];
    let killed: Server | undefined;
    let claimsHeldAtKill = 0;
    let killer: Promise<void> | undefined;
    const killWhileDispatching = async () => {
      await waitFor('the first instance to hold claimed emails', async () => {
        claimsHeldAtKill = await count(`SELECT COUNT(*) AS n FROM digest WHERE state = 'pending' AND lease_owner LIKE '%:${victim.child.pid}:%'`);
        return claimsHeldAtKill > 0;
      }, 30_000, victim, 5);
      killed = victim;
      victim.child.kill('SIGKILL');
    };
    await Promise.all(recommendationIds.map(async (recommendationId, r) => {
      let c = 0;
      const change = async (afterKill: boolean) => {
        const live = started.filter((s) => s !== killed);
        const server = live[turn++ % live.length];
        const note = `mi-r${r}-c${c}`;
        const status = STATUS_CYCLE[c % STATUS_CYCLE.length];
        c += 1;
        let answer: number | null;
        try {
          answer = (await request(`http://127.0.0.1:${server.port}`).post(`/api/v1/recommendations/${recommendationId}/status`)
            .set('Authorization', coordinator.auth).send({ status, note })).status;
        } catch {
          answer = null;
        }
        attempts.push({ recommendationId, note, server: server.index, status: answer, afterKill });
        if (!killer && attempts.filter((a) => a.status === 201).length >= total / 2) killer = killWhileDispatching();
        await new Promise((done) => setTimeout(done, CHANGE_GAP_MS));
      };
      while (c < CHANGES_PER_RECOMMENDATION - CHANGES_AFTER_KILL) await change(false);
      // Until the kill, more changes: the outbox never runs dry before the first instance holds a claim.
      while (!killed) await change(false);
      await killer;
      for (let k = 0; k < CHANGES_AFTER_KILL; k++) await change(true);
    }));
    await victim.exited;
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect(claimsHeldAtKill).toBeGreaterThan(0);
    // Only the killed instance may have left a request unanswered; everything else was accepted.
    expect(attempts.filter((a) => a.status !== 201 && !(a.status === null && a.server === victim.index))).toEqual([]);
    const accepted = attempts.filter((a) => a.status === 201);
    // At most one request per chain was in flight to the killed instance; the last ones all went to the other two.
    expect(accepted.length).toBeGreaterThanOrEqual(attempts.length - (RECOMMENDATIONS - 1));
    expect(attempts.filter((a) => a.afterKill).length).toBe(RECOMMENDATIONS * CHANGES_AFTER_KILL);
    expect(attempts.filter((a) => a.afterKill && a.server === victim.index)).toEqual([]);

    // The other two keep dispatching; the killed instance's claims come free when its lease runs out.
    const survivors = started.filter((s) => s !== victim);
    await waitFor('the outbox to empty', async () => (await count(`SELECT COUNT(*) AS n FROM notification WHERE state = 'pending'`)) === 0
      && (await count(`SELECT COUNT(*) AS n FROM digest WHERE state = 'pending'`)) === 0, 60_000, survivors[0], 200);
    for (const server of survivors) server.child.kill('SIGTERM');
    await Promise.all(survivors.map((s) => s.exited));

    // History: every accepted change exactly once; anything else only from an unanswered request.
    const history = await db.query(`SELECT note, recommendation_id, to_status FROM status_change ORDER BY id`) as { note: string; recommendation_id: number; to_status: string }[];
    const timesInHistory = countBy(history.map((h) => h.note));
    expect(accepted.filter((a) => timesInHistory.get(a.note) !== 1)).toEqual([]);
    const unanswered = new Set(attempts.filter((a) => a.status === null).map((a) => a.note));
    expect(history.filter((h) => !accepted.some((a) => a.note === h.note) && !unanswered.has(h.note))).toEqual([]);
    expect([...timesInHistory.values()].every((n) => n === 1)).toBe(true);

    // The outbox: one notice per change and member, every one sent, every email sent.
    expect(await count(`SELECT COUNT(*) AS n FROM notification`)).toBe(history.length * MEMBERS);
    expect(byState(await db.query(`SELECT state, COUNT(*) AS n FROM notification GROUP BY state`))).toEqual({ sent: history.length * MEMBERS });
    const digests = await db.query(`SELECT d.message_id, d.window_key, u.email FROM digest d JOIN app_user u ON u.id = d.recipient_id WHERE d.state = 'sent'`) as { message_id: string; window_key: string; email: string }[];
    expect(await count(`SELECT COUNT(*) AS n FROM digest WHERE state <> 'sent'`)).toBe(0);

    // What arrived: each recorded email, under its Message-ID, and nothing else.
    const timesReceived = countBy(smtp.messageIds());
    expect([...timesReceived.keys()].sort()).toEqual(digests.map((d) => d.message_id).sort());
    // At most one email repeated (the one the killed instance had in flight), and then twice, same Message-ID.
    const repeated = [...timesReceived].filter(([, n]) => n > 1);
    expect(repeated.length).toBeLessThanOrEqual(1);
    expect(repeated.every(([, n]) => n === 2)).toBe(true);
    // Each (recipient, window) has one email.
    expect(new Set(digests.map((d) => `${d.email}|${d.window_key}`)).size).toBe(digests.length);

    // Every member read of every change in the history exactly once, counting each distinct email once.
    const seenMessageIds = new Set<string>();
    const notesPerMember = new Map<string, string[]>();
    smtp.received.forEach((mail, i) => {
      if (seenMessageIds.has(mail.messageId ?? '')) return;
      seenMessageIds.add(mail.messageId ?? '');
      const to = smtp.recipients()[i];
      notesPerMember.set(to, [...(notesPerMember.get(to) ?? []), ...(mail.text?.match(/mi-r\d+-c\d+/g) ?? [])]);
    });
    const historyNotes = history.map((h) => h.note).sort();
    for (const member of members) expect({ member: member.email, notes: (notesPerMember.get(member.email) ?? []).sort() }).toEqual({ member: member.email, notes: historyNotes });
    expect([...notesPerMember.keys()].sort()).toEqual(members.map((m) => m.email).sort());
  }, 240_000);

  const count = async (sql: string): Promise<number> => Number((await db.query(sql))[0].n);
});

/**
 * The gap the lease leaves between claiming and sending: an instance whose lease ran out while it
 * prepared an email (a long batch, a paused process) must not send it once another has taken it
 * over. Two instances in one process on one database, each on its own clock.
 */
describe('an email taken over by another instance while the first prepares it', () => {
  const two = twoInstancesOnOneDatabase({ NOTIFY_LEASE_SECONDS: '60' });

  it('should send the email once, from the instance that took it over, when the first one\'s lease ran out before it sent', async () => {
    const { a, b, smtp } = two;
    const { start, member } = await oneChangeToOneFollower(two);

    // While A renders the email, its lease runs out and B claims, sends and records it.
    const composer = a.app.get(EmailComposer);
    const compose = composer.compose.bind(composer);
    let fromB: DispatchSummary | undefined;
    jest.spyOn(composer, 'compose').mockImplementation(async (...args) => {
      const email = await compose(...args);
      b.clock.set(new Date(start.getTime() + 61_000));
      fromB = await b.app.get(NotificationDispatcher).dispatch();
      return email;
    });
    const fromA = await dispatch(a);

    expect(fromB?.emailsSent).toBe(1);
    expect(fromA.emailsSent).toBe(0);
    expect(smtp.recipients()).toEqual([member.email]);
    const digests = await b.dataSource.query(`SELECT state, lease_owner FROM digest`) as { state: string; lease_owner: string | null }[];
    expect(digests).toEqual([{ state: 'sent', lease_owner: null }]);
  });
});

/**
 * Two instances grouping the same late notice, their clocks a minute apart: each puts it in the email
 * of its own minute. The one that loses the race must not leave its email behind empty (it would be
 * claimed, found empty and recorded as cancelled: an email in the outbox that never held anything).
 */
describe('a notice grouped by two instances at once', () => {
  const two = twoInstancesOnOneDatabase({});

  it('should leave one email, sent, and no empty one, when the other instance attached the notice first', async () => {
    const { a, b, smtp } = two;
    const { start, member } = await oneChangeToOneFollower(two);
    // Picked up late (two and three minutes after it was due), so each instance groups it by its own minute.
    a.clock.set(new Date(start.getTime() + 120_000));
    b.clock.set(new Date(start.getTime() + 180_000));

    // A reads the notice as unassigned; before it groups it, B groups, sends and records it.
    const repository = a.app.get(NotificationsRepository);
    const findDueUnassigned = repository.findDueUnassigned.bind(repository);
    let fromB: DispatchSummary | undefined;
    jest.spyOn(repository, 'findDueUnassigned').mockImplementation(async (...args) => {
      const due = await findDueUnassigned(...args);
      if (!fromB && due.length > 0) fromB = await b.app.get(NotificationDispatcher).dispatch();
      return due;
    });
    const fromA = await dispatch(a);

    expect(fromB?.emailsSent).toBe(1);
    expect(fromA.emailsSent).toBe(0);
    expect(fromA.cancelled).toBe(0);
    expect(smtp.recipients()).toEqual([member.email]);
    expect(await b.dataSource.query(`SELECT state FROM digest`)).toEqual([{ state: 'sent' }]);
    expect(await b.dataSource.query(`SELECT state FROM notification`)).toEqual([{ state: 'sent' }]);
  });
});

interface TwoInstances {
  smtp: SmtpTestServer;
  database: TestDatabase;
  a: TestApp;
  b: TestApp;
}

/** Two instances in one process on one fresh database, each on its own clock, sending to one SMTP server. */
function twoInstancesOnOneDatabase(env: Record<string, string>): TwoInstances {
  const two = {} as TwoInstances;
  beforeAll(async () => {
    two.smtp = new SmtpTestServer();
    await two.smtp.start();
    two.database = await createTestDatabase();
    const shared = { SMTP_URL: two.smtp.url, SMTP_RATE_PER_SECOND: '1000', ...env };
    two.a = await createTestApp(shared, { database: two.database });
    two.b = await createTestApp(shared, { database: two.database });
  }, 60_000);
  afterAll(async () => {
    await two.a?.close();
    await two.b?.close();
    await two.database?.drop();
    await two.smtp?.stop();
  });
  return two;
}

/** Both clocks at one moment; a member follows a recommendation whose status then changes once. */
async function oneChangeToOneFollower({ a, b }: TwoInstances): Promise<{ start: Date; member: TestUser }> {
  const start = new Date('2027-03-01T10:00:00.000Z');
  a.clock.set(start);
  b.clock.set(start);
  const scene = await createScene(a);
  const member = await a.createUser('member');
  await follow(a, member, scene.recommendationId);
  await changeStatus(a, scene.coordinator, scene.recommendationId, 'in_progress', 'Bill introduced');
  return { start, member };
}

async function health(port: number): Promise<number> {
  try {
    return (await request(`http://127.0.0.1:${port}`).get('/health')).status;
  } catch {
    return 0;
  }
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function byState(rows: { state: string; n: string | number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
