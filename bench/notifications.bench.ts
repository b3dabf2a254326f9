// Benchmark of issue 3 (reliability scenario 8): 10,000 reminders due at once for 500 members,
// drained through a real SMTP server on loopback with the configured rate limit.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { hash } from '@node-rs/argon2';
import { fork } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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
import { machineLine } from './sections';
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
  /** The benchmark process's peak RSS while draining (Linux's VmHWM, reset when the drain begins); run it in a process of its own. */
  peakRssMb: number;
  /** RSS when the drain began (after seeding): the peak less this is what draining added. */
  rssAtStartMb: number;
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
/** With BENCH_QUERY_LOG: milliseconds spent in each statement (awaited), by the same key as queryLog. */
export const queryTime = new Map<string, number>();
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
      const started = process.hrtime.bigint();
      const done = () => queryTime.set(key, (queryTime.get(key) ?? 0) + Number(process.hrtime.bigint() - started) / 1e6);
      const result = original.apply(this, args);
      void result.then(done, done);
      return result;
    }
    return original.apply(this, args);
  };
  return counter;
}

/**
 * Resets the kernel's peak RSS of this process to its current RSS (Linux: /proc/self/clear_refs),
 * so that the peak read afterwards is the drain's, not seeding's (argon2 alone takes tens of MB for
 * a moment). False where it cannot: the peak is then the whole process's.
 */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Linux's VmHWM, in MB: the highest RSS since the process began or since resetPeakRss. */
function peakRssSinceReset(): number {
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
}

function benchConfig(dir: string, smtpPort: number, ratePerSecond: number) {
  return loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, DATA_DIR: dir, NOTIFY_DISPATCH: 'off',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SMTP_RATE_PER_SECOND: String(ratePerSecond), SMTP_MAX_CONNECTIONS: '5', NOTIFY_BATCH_SIZE: '200',
  });
}

/**
 * Plans the reminders through the application (a coalition, its members, `deadlines` deadlines each
 * assigned to all of them) into the database in `dir`, a week before they fall due.
 */
async function seedReminders(dir: string, members: number, deadlines: number): Promise<void> {
  const clock = new BenchClock(new Date('2027-03-01T00:00:00Z'));
  // No email is sent while seeding: port 9 (discard) is never dialled.
  const app = await NestFactory.createApplicationContext(AppModule.register(benchConfig(dir, 9, 100), { clock }), { logger: false });
  try {
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
  } finally {
    await app.close();
  }
}

/** seedReminders in a process of its own (see benchmarkNotifications). */
function seedRemindersInProcess(dir: string, members: number, deadlines: number): Promise<void> {
  // Not profiled with the drain (execArgv: none of this process's --cpu-prof).
  const child = fork(__filename, ['--seed-only', dir, '--members', String(members), '--deadlines', String(deadlines)], { stdio: 'inherit', execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding the reminders benchmark exited with code ${code}`))));
  });
}

/**
 * The reminders are planned by a process of their own, as a server plans them over days of requests,
 * and this process starts the application on that database at the moment they fall due and drains
 * them (reliability scenario 5: a server that starts with everything due): its memory is then the
 * drain's and the application's, not what planning 100,000 reminders left in the heap, which on its
 * own was 215-341 MB of RSS when they were planned by this same process.
 */
export async function benchmarkNotifications(members = 500, deadlines = 20, ratePerSecond = 100): Promise<NotificationBenchResult> {
  const sink = fork(join(__dirname, 'smtp-sink.js'), [], { stdio: 'inherit' });
  const ask = <T>(message?: string) => new Promise<T>((resolve) => {
    sink.once('message', (answer) => resolve(answer as T));
    if (message) sink.send(message);
  });
  const { port } = await ask<{ port: number }>();
  const dir = mkdtempSync(join(tmpdir(), 'upr-notify-bench-'));
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>> | undefined;
  try {
    const seedStarted = Date.now();
    await seedRemindersInProcess(dir, members, deadlines);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    if (process.env.BENCH_KEEP_DB) copyFileSync(join(dir, 'bench.sqlite'), process.env.BENCH_KEEP_DB);

    // Every reminder is due at 09:00 UTC on 9 March: the application starts then, and drains.
    const clock = new BenchClock(new Date('2027-03-09T09:00:05Z'));
    app = await NestFactory.createApplicationContext(AppModule.register(benchConfig(dir, port, ratePerSecond), { clock }), { logger: false });
    const dataSource = app.get(DataSource);
    const dispatcher = app.get(NotificationDispatcher);
    const queries = countQueries(dataSource);
    const loadAverage = loadavg()[0];
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const baselineRssMb = process.memoryUsage.rss() / 2 ** 20;
    const drainOnly = resetPeakRss();
    for (let round = 0; round < 100; round++) {
      const summary = await dispatcher.dispatch();
      if (summary.emailsSent === 0 && summary.assigned === 0) break;
    }
    // The process's own peak while draining, as the kernel counts it: exact, and nothing sampled
    // meanwhile (sampling every 20 ms was 3% of the CPU time measured).
    const peakRssMb = drainOnly ? peakRssSinceReset() : process.resourceUsage().maxRSS / 1024;
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
      rssAtStartMb: baselineRssMb,
      seedSeconds,
      cpuMsPerEmail: (cpu.user + cpu.system) / 1000 / Math.max(1, counts.messages),
      queriesPerEmail: queryCount / Math.max(1, counts.messages),
      loadAverage,
    };
  } finally {
    await app?.close();
    sink.send('close');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderNotificationSection(runs: NotificationBenchResult[]): string {
  const first = runs[0];
  const met = (r: NotificationBenchResult) => r.emails === r.members && r.duplicates === 0 && r.emailsPerSecond >= r.ratePerSecond * 0.9 && r.emailsPerSecond <= r.ratePerSecond * 1.05 && r.peakRssMb < 250;
  return [
    '`npm run bench` (bench/notifications.bench.ts): one coalition, 20 deadlines each assigned to all its members, reminder policy "1 day before at 09:00":',
    'every reminder falls due at the same moment, 20 per member, so one email per member. The dispatcher drains them through a real SMTP server on 127.0.0.1',
    `(smtp-server with mailparser, in a process of its own as a mail server is: its CPU time is not the application's) with SMTP_RATE_PER_SECOND=${first.ratePerSecond} and 5 pooled connections, one dispatch round after another.`,
    'CPU per email is the benchmark process\'s own (user + system, process.cpuUsage) while draining, divided by the emails received: it is what the rate would need',
    'of one core, whatever else the machine runs. Queries per email: every SQL statement the application ran while draining (grouping included), divided likewise.',
    'Peak memory is the draining process\'s own peak RSS while draining as the kernel counts it (VmHWM, reset by /proc/self/clear_refs when the drain begins). The reminders are planned',
    'through the application by a process of their own (seeding: its start included); the draining process starts the application on that database when they fall due, as a server',
    'starting with everything due does (reliability scenario 5), so neither planning them nor an earlier benchmark leaves anything in its heap. `npm run bench` runs each reminders run in a fresh process.',
    '`--reminder-members 500,5000` runs 10,000 and 100,000 reminders.',
    '',
    `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- Machine: ${machineLine()}`,
    '',
    '| reminders | members | seeding | emails received | duplicates | time to drain | emails/s | reminders/s | rate limit | CPU per email | queries per email | peak memory (RSS) | RSS when the drain began | load average | target |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--|',
    ...runs.map((r) => `| ${r.reminders.toLocaleString('en-US')} | ${r.members.toLocaleString('en-US')} | ${r.seedSeconds.toFixed(1)} s | ${r.emails} | ${r.duplicates} | ${r.seconds.toFixed(1)} s | ${r.emailsPerSecond.toFixed(1)} | ${Math.round(r.notificationsPerSecond)} | ${r.ratePerSecond}/s | ${r.cpuMsPerEmail.toFixed(1)} ms | ${r.queriesPerEmail.toFixed(1)} | ${r.peakRssMb.toFixed(0)} MB | ${r.rssAtStartMb.toFixed(0)} MB | ${r.loadAverage.toFixed(2)} | ${met(r) ? 'met' : 'not met'} |`),
    '',
    `Target (issue 14): one email per member, 0 duplicates, at least 90% of the rate limit (${first.ratePerSecond * 0.9} emails/s) and never above it, peak RSS under 250 MB.`,
    '',
    'Where the time went (10,000 reminders, 500 members, profiled with `node --cpu-prof`): before issue 14 about 52 SQL statements per email (grouping made',
    'and filled each member\'s email one statement at a time, then each email was read, checked and recorded with a dozen more) and 31 ms of CPU per email;',
    'now the claimed emails are read 20 at a time (one query each for emails, recipients, notices, deadlines, suppressions, preferences), grouping makes a',
    'round\'s emails in one INSERT and fills them in one UPDATE, a sent email is recorded by a lease renewal and one transaction of two UPDATEs (emails',
    'finishing together share it), a notice\'s lines and a calendar\'s MIME part are made once for all the members who get them, and a message reaches',
    'the socket as one buffer. What remains per email: nodemailer composing the message, SQLite writing 20 notices and their index entries, and GC.',
  ].join('\n');
}

/**
 * One run in a process of its own (as bench/all.ts runs it, after the import benchmark): its peak
 * RSS is then the dispatching process's alone, not what an earlier benchmark left in the heap.
 * `execArgv` e.g. ['--cpu-prof', '--cpu-prof-dir=DIR'] to profile the dispatching process.
 */
export function benchmarkNotificationsInProcess(members: number, deadlines = 20, execArgv: string[] = []): Promise<NotificationBenchResult> {
  const child = fork(__filename, ['--members', String(members), '--deadlines', String(deadlines), '--report-to-parent'], { stdio: 'inherit', execArgv });
  return new Promise((resolve, reject) => {
    let result: NotificationBenchResult | undefined;
    child.on('message', (message: NotificationBenchResult) => {
      result = message;
    });
    child.once('error', reject);
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the reminders benchmark exited with code ${code}`))));
  });
}

if (require.main === module) {
  // node dist/bench/notifications.bench.js [--members 500] [--deadlines 20]: one run, printed, not written to docs/.
  // With --report-to-parent (benchmarkNotificationsInProcess) the result goes to the parent over IPC instead.
  const { values } = parseArgs({
    options: { members: { type: 'string', default: '500' }, deadlines: { type: 'string', default: '20' }, 'report-to-parent': { type: 'boolean' }, 'seed-only': { type: 'string' } },
  });
  if (values['seed-only']) {
    // seedRemindersInProcess's child: plans the reminders into that folder's database, and exits.
    seedReminders(values['seed-only'], Number(values.members), Number(values.deadlines)).then(() => process.exit(0), (e) => {
      console.error(e);
      process.exit(1);
    });
  } else benchmarkNotifications(Number(values.members), Number(values.deadlines))
    .then(async (r) => {
      if (values['report-to-parent']) {
        await new Promise<void>((done) => process.send!(r, () => done()));
        process.disconnect();
        return;
      }
      console.log(renderNotificationSection([r]));
      console.log(JSON.stringify(r));
      if (process.env.BENCH_QUERY_LOG) console.log([...queryLog].sort((a, b) => b[1] - a[1]).map(([q, n]) => `${n}\t${(queryTime.get(q) ?? 0).toFixed(0)} ms\t${q}`).join('\n'));
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
