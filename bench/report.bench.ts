// Benchmark of issue 4: the cycle report (JSON and CSV) of one cycle holding N recommendations.
// Target: under 1 s at 100,000 (issue 14). Exports benchmarkReport(); run alone with
//   npm run build && node dist/bench/report.bench.js [--size 100000] [--database postgres://…]
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { TokensService } from '../src/accounts/tokens.service';
import { UsersService } from '../src/accounts/users.service';
import { AppModule } from '../src/app.module';
import { API_PREFIX, configureApp } from '../src/app.setup';
import { ReviewCycle } from '../src/cycles/review-cycle.entity';
import { createSchema } from './postgres-schema';
import { withPeakMemory, writeSection } from './sections';
import type { DownloadTiming } from './report-client';
import { seedRecommendations } from './seed';

/** The target of issue 14 (issue 4 asked for 2 s), for JSON and CSV. */
export const REPORT_TARGET_MS = 1000;

export interface ReportBenchOptions {
  /** Recommendations in the one cycle reported on (default 100,000). */
  size?: number;
  /** PostgreSQL URL; absent: a fresh SQLite file. A fresh schema is made and dropped. */
  database?: string;
  /** Timed runs per format, after one warm-up run (default 3). */
  runs?: number;
  log?: (line: string) => void;
}

export interface ReportTiming {
  format: 'json' | 'csv';
  /** Milliseconds until the first byte of the body, and until the last, per run. */
  firstByteMs: number[];
  totalMs: number[];
  /**
   * CPU time of the server process per run (the client runs in its own): unlike wall time, it hardly moves when
   * other work shares the machine, so it tells what the report costs on an idle one.
   */
  cpuMs: number[];
  /** The server process's peak RSS during the runs, in MB (sampled every 20 ms), and before the first. */
  peakRssMb: number;
  baselineRssMb: number;
  medianMs: number;
  bytes: number;
  metTarget: boolean;
}

export interface ReportBenchResult {
  database: 'SQLite' | 'PostgreSQL';
  size: number;
  statusChanges: number;
  evidenceItems: number;
  seedSeconds: number;
  timings: ReportTiming[];
}

/**
 * Loads one cycle of `size` recommendations (with tags; status changes for the assessed ones,
 * evidence for every third, a fifth of it confidential), starts the real application on
 * 127.0.0.1, and times GET /api/v1/cycles/:id/report?format=json and ?format=csv end to end:
 * from the request until the last byte of the body has arrived at a client in another process.
 */
export async function benchmarkReport(options: ReportBenchOptions = {}): Promise<ReportBenchResult> {
  const size = options.size ?? 100_000;
  const runs = options.runs ?? 3;
  const log = options.log ?? ((line: string) => console.log(line));
  const workDir = mkdtempSync(join(tmpdir(), 'upr-report-bench-'));
  const postgres = options.database ? { url: options.database, ...(await createSchema(options.database)) } : null;
  const env: Record<string, string> = postgres
    ? { DATABASE_URL: postgres.url, DATABASE_SCHEMA: postgres.schema, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' }
    : { DATABASE_URL: `sqlite:${join(workDir, 'bench.sqlite')}`, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' };
  let app: INestApplication | undefined;
  try {
    const config = loadConfig(env);
    app = await NestFactory.create(AppModule.register(config), { logger: ['error'], bodyParser: false });
    configureApp(app, config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/${API_PREFIX}`;
    const { user } = await app.get(UsersService).createWithCoalition(
      { email: 'admin@bench.example.org', name: 'Benchmark admin', role: 'admin', password: 'a long enough password' }, 'Benchmark coalition');
    const { token } = await app.get(TokensService).create(user.id, 'benchmark');
    const dataSource = app.get(DataSource);
    const cycle = await dataSource.manager.save(ReviewCycle, dataSource.manager.create(ReviewCycle, {
      coalitionId: user.coalitionId, mechanism: 'upr', number: 3, stateUnderReview: 'United States of America', state: 'open',
    }));

    log(`Loading ${size.toLocaleString('en-US')} recommendations into one cycle of a fresh ${postgres ? 'PostgreSQL' : 'SQLite'} database…`);
    const started = performance.now();
    await seedRecommendations(dataSource, user.coalitionId, [{ id: cycle.id, number: cycle.number }], size);
    const { statusChanges, evidenceItems } = await seedHistory(dataSource, cycle.id, user.id);
    const seedSeconds = (performance.now() - started) / 1000;
    log(`Seeded in ${seedSeconds.toFixed(1)} s: ${statusChanges.toLocaleString('en-US')} status changes, ${evidenceItems.toLocaleString('en-US')} evidence items.`);

    const timings: ReportTiming[] = [];
    for (const format of ['json', 'csv'] as const) {
      const url = `${base}/cycles/${cycle.id}/report?format=${format}`;
      await download(url, token); // warm-up: caches, prepared plans, JIT
      const { result: measured, peakRssMb, baselineRssMb } = await withPeakMemory(async () => {
        const timed = [];
        for (let i = 0; i < runs; i++) timed.push(await download(url, token));
        return timed;
      });
      const totals = measured.map((m) => m.totalMs);
      const medianMs = median(totals);
      const timing: ReportTiming = {
        format, firstByteMs: measured.map((m) => m.firstByteMs), totalMs: totals, cpuMs: measured.map((m) => m.cpuMs), peakRssMb, baselineRssMb, medianMs, bytes: measured[0].bytes,
        metTarget: medianMs < REPORT_TARGET_MS,
      };
      timings.push(timing);
      log(`${format.toUpperCase().padEnd(4)} ${(timing.bytes / 2 ** 20).toFixed(1)} MiB: median ${medianMs.toFixed(0)} ms ` +
        `(runs ${totals.map((t) => t.toFixed(0)).join(', ')} ms; first byte after ${median(timing.firstByteMs).toFixed(0)} ms; ` +
        `CPU ${median(timing.cpuMs).toFixed(0)} ms; peak RSS ${peakRssMb.toFixed(0)} MB, ${baselineRssMb.toFixed(0)} MB before) — ` +
        `target ${REPORT_TARGET_MS} ms ${timing.metTarget ? 'met' : 'NOT met'}`);
    }
    return { database: postgres ? 'PostgreSQL' : 'SQLite', size, statusChanges, evidenceItems, seedSeconds, timings };
  } finally {
    await app?.close();
    await postgres?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** One status change for every assessed recommendation, and evidence for every third: set-based, in both dialects. */
async function seedHistory(dataSource: DataSource, cycleId: number, userId: number): Promise<{ statusChanges: number; evidenceItems: number }> {
  const p = (n: number) => (dataSource.options.type === 'postgres' ? `$${n}` : '?');
  await dataSource.query(
    `INSERT INTO status_change (recommendation_id, changed_by_id, from_status, to_status, note, created_at)
     SELECT id, ${p(1)}, 'not_assessed', status, 'Assessed from the coalition''s monitoring of ' || paragraph, CURRENT_TIMESTAMP
     FROM recommendation WHERE cycle_id = ${p(2)} AND status <> 'not_assessed'`,
    [userId, cycleId],
  );
  await dataSource.query(
    `INSERT INTO evidence (recommendation_id, kind, title, url, confidential, submitted_by_id, created_at)
     SELECT id, 'link', 'Monitoring note', 'https://example.org/evidence', (id % 5 = 0), ${p(1)}, CURRENT_TIMESTAMP
     FROM recommendation WHERE cycle_id = ${p(2)} AND id % 3 = 0`,
    [userId, cycleId],
  );
  if (dataSource.options.type === 'postgres') await dataSource.query('VACUUM (ANALYZE) status_change, evidence');
  const count = async (table: string) => Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  return { statusChanges: await count('status_change'), evidenceItems: await count('evidence') };
}

/**
 * Times one download from a client process of its own (bench/report-client.ts); `cpuMs` is this
 * process's CPU over it: the server's alone, the client's is not in it.
 */
async function download(url: string, token: string): Promise<DownloadTiming & { cpuMs: number }> {
  const cpu = process.cpuUsage();
  const client = fork(join(__dirname, 'report-client.js'), [JSON.stringify({ url, token })], { stdio: 'inherit' });
  const answer = await new Promise<{ timing?: DownloadTiming; error?: string }>((resolve, reject) => {
    client.once('message', (message: { timing?: DownloadTiming; error?: string }) => resolve(message));
    client.once('exit', (code) => reject(new Error(`the report client exited with code ${code} before answering`)));
  });
  await new Promise((done) => (client.exitCode === null ? client.once('exit', done) : done(null)));
  const used = process.cpuUsage(cpu);
  if (!answer.timing) throw new Error(answer.error ?? 'the report client answered nothing');
  return { ...answer.timing, cpuMs: (used.user + used.system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The "Cycle report (issue 4)" section of docs/benchmarks.md. `loadAverage`: the one-minute load when the run began. */
export function renderReportSection(report: ReportBenchResult, loadAverage: number): string {
  return [
    `\`npm run bench\` (bench/report.bench.ts): GET /api/v1/cycles/:id/report on one cycle of ${report.size.toLocaleString('en-US')} recommendations`,
    `(${report.statusChanges.toLocaleString('en-US')} status changes, ${report.evidenceItems.toLocaleString('en-US')} evidence items), ${report.database}, timed from the request to the last byte; seeding took ${report.seedSeconds.toFixed(1)} s.`,
    `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpus().length} cores; load average ${loadAverage.toFixed(2)} at start. Target: under ${REPORT_TARGET_MS / 1000} s.`,
    'The report is fetched by a client in a process of its own (bench/report-client.ts), as a browser or script would;',
    'CPU: the server process\'s CPU time per run (the client\'s is not in it), which other work on the machine hardly moves.',
    '',
    '| format | median | first byte (median) | server CPU (median) | server peak RSS (before) | size | target |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...report.timings.map((t) => `| ${t.format} | ${(t.medianMs / 1000).toFixed(2)} s | ${(median(t.firstByteMs) / 1000).toFixed(2)} s | ${(median(t.cpuMs) / 1000).toFixed(2)} s | ${t.peakRssMb.toFixed(0)} MB (${t.baselineRssMb.toFixed(0)} MB) | ${(t.bytes / 2 ** 20).toFixed(1)} MB | ${t.metTarget ? 'met' : 'not met'} |`),
    '',
    'Where the time went (SQLite, 100,000 recommendations, measured statement by statement on a quiet machine, 2026-12-07): the',
    'list\'s SQL is about 0.9 s of CPU for the JSON (each row\'s tag lists from one pass over its tags: 1.2 s with a subquery per',
    'list) and 1.2 s for the CSV (a subquery per cell: one pass cost more there, each cell\'s CSV rule naming its value several times);',
    'it is read by two worker threads with query-only connections, two ranges at a time, from the moment the report is asked for,',
    'while the main thread counts the figures (about 0.25 s: the recurring chains now start from a partial index, 135 ms before)',
    'and sends. Before the two threads and these changes (same machine, same hour): JSON 1.59-1.63 s, CSV 1.25-1.30 s. The server',
    'CPU above is all threads together; the client\'s own CPU is on the same two cores.',
  ].join('\n');
}

/** Run alone at the full size on SQLite, it rewrites its own section of docs/benchmarks.md. */
if (require.main === module) {
  const { values } = parseArgs({ options: { size: { type: 'string' }, database: { type: 'string' }, runs: { type: 'string' } } });
  const loadAverage = loadavg()[0];
  benchmarkReport({
    size: values.size ? Number(values.size.replace(/_/g, '')) : undefined,
    database: values.database,
    runs: values.runs ? Number(values.runs) : undefined,
  }).then(
    (result) => {
      if (result.size >= 100_000 && result.database === 'SQLite') {
        writeSection(resolve(__dirname, '../../docs/benchmarks.md'), '## Cycle report (issue 4)', renderReportSection(result, loadAverage));
      }
      process.exit(result.timings.every((t) => t.metTarget) ? 0 : 1);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
