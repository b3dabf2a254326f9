// Benchmark of issue 3 (reliability scenario 8): 10,000 reminders due at once for 500 members,
// drained through a real SMTP server on loopback with the configured rate limit.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { hash } from '@node-rs/argon2';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app.config';
import { TokensService } from '../src/accounts/tokens.service';
import { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { AppModule } from '../src/app.module';
import { Clock } from '../src/common/clock';
import { CyclesService } from '../src/cycles/cycles.service';
import { DeadlinesService } from '../src/deadlines/deadlines.service';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service';
import { NotificationSettingsService } from '../src/notifications/notification-settings.service';
import { DataSource } from 'typeorm';
import { machineLine, withPeakMemory } from './sections';
import type { SinkCounts } from './smtp-sink';

class BenchClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  now(): Date {
    return new Date(this.at.getTime());
  }
}

export interface NotificationBenchResult {
  members: number;
  reminders: number;
  emails: number;
  duplicates: number;
  seconds: number;
  emailsPerSecond: number;
  notificationsPerSecond: number;
  ratePerSecond: number;
  peakRssMb: number;
  seedSeconds: number;
  /** This process's CPU time (user + system) while draining, per email received. */
  cpuMsPerEmail: number;
  /** SQL statements the application ran while draining, per email received. */
  queriesPerEmail: number;
  /** The machine's 1-minute load average when the drain began. */
  loadAverage: number;
}

/**
 * Counts every statement run through TypeORM's query runner (the one class every repository call,
 * query builder and raw query of this data source goes through).
 */
export const queryLog = new Map<string, number>();
function countQueries(dataSource: DataSource): { readonly count: number } {
  const runner = dataSource.createQueryRunner();
  const proto = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => Promise<unknown> };
  void runner.release();
  const original = proto.query;
  const counter = { count: 0 };
  proto.query = function (this: unknown, ...args: unknown[]) {
    counter.count += 1;
    if (process.env.BENCH_QUERY_LOG) {
      const key = String(args[0]).replace(/\s+/g, ' ').slice(0, 110);
      queryLog.set(key, (queryLog.get(key) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
  return counter;
}

export async function benchmarkNotifications(members = 500, deadlines = 20, ratePerSecond = 100): Promise<NotificationBenchResult> {
  const sink = fork(join(__dirname, 'smtp-sink.js'), [], { stdio: 'inherit' });
  const ask = <T>(message?: string) => new Promise<T>((resolve) => {
    sink.once('message', (answer) => resolve(answer as T));
    if (message) sink.send(message);
  });
  const { port } = await ask<{ port: number }>();
  const dir = mkdtempSync(join(tmpdir(), 'upr-notify-bench-'));
  const clock = new BenchClock(new Date('2027-03-01T00:00:00Z'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, DATA_DIR: dir, NOTIFY_DISPATCH: 'off',
    SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_RATE_PER_SECOND: String(ratePerSecond), SMTP_MAX_CONNECTIONS: '5', NOTIFY_BATCH_SIZE: '200',
  });
  const app = await NestFactory.createApplicationContext(AppModule.register(config, { clock }), { logger: false });
  try {
    const seedStarted = Date.now();
    const users = app.get(UsersService);
    const { user: admin } = await users.createWithCoalition({ email: 'admin@bench.example.org', name: 'Admin', role: 'admin', password: 'a long enough password' }, 'Bench');
    const auth = { id: admin.id, coalitionId: admin.coalitionId, role: admin.role, email: admin.email, name: admin.name };
    await app.get(NotificationSettingsService).updatePolicy(auth, { offsetsDays: [1], hour: 9, overdueNotice: false });
    // Members straight into the table with one password hash: hashing 5,000 passwords (argon2) would
    // take minutes of seeding and measure nothing the drain does.
    const passwordHash = await hash('a long enough password');
    const dataSource = app.get(DataSource);
    for (let i = 0; i < members; i += 500) {
      const rows = Array.from({ length: Math.min(500, members - i) }, (_, k) => {
        const email = `member${i + k}@bench.example.org`;
        return { coalitionId: admin.coalitionId, email, signInEmail: email, name: `Member ${i + k}`, role: 'member' as const, passwordHash };
      });
      await dataSource.manager.insert(User, rows);
    }
    const memberIds = (await dataSource.manager.find(User, { where: { role: 'member' }, select: { id: true }, order: { id: 'ASC' } })).map((u) => u.id);
    void app.get(TokensService);
    const cycle = await app.get(CyclesService).create(auth, { number: 4, stateUnderReview: 'United States of America' });
    for (let d = 0; d < deadlines; d++) {
      await app.get(DeadlinesService).create(auth, { cycleId: cycle.id, kind: 'stakeholder_submission', title: `Submission ${d}`, dueDate: '2027-03-10', timeZone: 'UTC', assigneeIds: memberIds });
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    // Every reminder is due at 09:00 UTC on 9 March: move the clock there and drain.
    clock.at = new Date('2027-03-09T09:00:05Z');
    const dispatcher = app.get(NotificationDispatcher);
    const queries = countQueries(dataSource);
    const loadAverage = loadavg()[0];
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const { peakRssMb } = await withPeakMemory(async () => {
      for (let round = 0; round < 100; round++) {
        const summary = await dispatcher.dispatch();
        if (summary.emailsSent === 0 && summary.assigned === 0) break;
      }
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const queryCount = queries.count;
    const reminders = members * deadlines;
    const counts = await ask<SinkCounts>('counts');
    return {
      members,
      reminders,
      emails: counts.messages,
      duplicates: counts.duplicates,
      seconds,
      emailsPerSecond: counts.messages / seconds,
      notificationsPerSecond: reminders / seconds,
      ratePerSecond,
      peakRssMb,
      seedSeconds,
      cpuMsPerEmail: (cpu.user + cpu.system) / 1000 / Math.max(1, counts.messages),
      queriesPerEmail: queryCount / Math.max(1, counts.messages),
      loadAverage,
    };
  } finally {
    await app.close();
    sink.send('close');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderNotificationSection(r: NotificationBenchResult): string {
  return [
    '`npm run bench` (bench/notifications.bench.ts): one coalition, ' + `${r.members} members, ${r.reminders / r.members} deadlines each assigned to all of them, reminder policy "1 day before at 09:00":`,
    `${r.reminders.toLocaleString('en-US')} reminders fall due at the same moment. The dispatcher drains them through a real SMTP server on 127.0.0.1`,
    `(smtp-server with mailparser, in a process of its own as a mail server is: its CPU time is not the application's) with SMTP_RATE_PER_SECOND=${r.ratePerSecond} and 5 pooled connections, one dispatch round after another.`,
    '',
    `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- Machine: ${machineLine()}`,
    `- Seeding (users, deadlines, planning ${r.reminders.toLocaleString('en-US')} reminders): ${r.seedSeconds.toFixed(1)} s`,
    '',
    '| reminders | emails received | duplicates | time to drain | emails/s | reminders/s | rate limit | peak memory (RSS) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${r.reminders.toLocaleString('en-US')} | ${r.emails} | ${r.duplicates} | ${r.seconds.toFixed(1)} s | ${r.emailsPerSecond.toFixed(1)} | ${Math.round(r.notificationsPerSecond)} | ${r.ratePerSecond}/s | ${r.peakRssMb.toFixed(0)} MB |`,
    '',
    `Expected: ${r.members} emails (one per member), 0 duplicates, emails/s at or under the rate limit: **${r.emails === r.members && r.duplicates === 0 && r.emailsPerSecond <= r.ratePerSecond * 1.05 ? 'met' : 'not met'}**.`,
  ].join('\n');
}

if (require.main === module) {
  // node dist/bench/notifications.bench.js [members, default 500] [deadlines each, default 20]
  const members = Number(process.argv[2] ?? 500);
  const perMember = Number(process.argv[3] ?? 20);
  benchmarkNotifications(members, perMember)
    .then((r) => {
      console.log(renderNotificationSection(r));
      console.log(JSON.stringify(r));
      if (process.env.BENCH_QUERY_LOG) console.log([...queryLog].sort((a, b) => b[1] - a[1]).map(([q, n]) => `${n}\t${q}`).join('\n'));
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
