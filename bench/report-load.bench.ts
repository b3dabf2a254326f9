// Issue 10: what N report requests at once cost the server: Chromium processes, memory, answers.
//   npm run build && node dist/bench/report-load.bench.js [--format pdf] [--parallel 8] [--size 300] [--database postgres://…]
// Boots the real application in this process (so its Chromium processes are this process's
// descendants), loads one cycle of --size recommendations, sends --parallel requests at once and
// samples /proc every 50 ms until all have answered.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { TokensService } from '../src/accounts/tokens.service';
import { UsersService } from '../src/accounts/users.service';
import { AppModule } from '../src/app.module';
import { API_PREFIX, configureApp } from '../src/app.setup';
import { ReviewCycle } from '../src/cycles/review-cycle.entity';
import { createSchema } from './postgres-schema';
import { chromiumDescendants } from './process-tree';
import { seedRecommendations } from './seed';

const MB = 2 ** 20;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { format: { type: 'string' }, parallel: { type: 'string' }, size: { type: 'string' }, database: { type: 'string' } } });
  const format = values.format ?? 'pdf';
  const parallel = Number(values.parallel ?? 8);
  const size = Number((values.size ?? '300').replace(/_/g, ''));
  const workDir = mkdtempSync(join(tmpdir(), 'upr-report-load-'));
  const postgres = values.database ? { url: values.database, ...(await createSchema(values.database)) } : null;
  const env: Record<string, string> = postgres
    ? { DATABASE_URL: postgres.url, DATABASE_SCHEMA: postgres.schema, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' }
    : { DATABASE_URL: `sqlite:${join(workDir, 'bench.sqlite')}`, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' };
  const config = loadConfig({ ...process.env, ...env });
  const app = await NestFactory.create(AppModule.register(config), { logger: ['error'], bodyParser: false });
  try {
    configureApp(app, config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/${API_PREFIX}`;
    const { user } = await app.get(UsersService).createWithCoalition(
      { email: 'admin@load.example.org', name: 'Load admin', role: 'admin', password: 'a long enough password' }, 'Load coalition');
    const { token } = await app.get(TokensService).create(user.id, 'load');
    const dataSource = app.get(DataSource);
    const cycle = await dataSource.manager.save(ReviewCycle, dataSource.manager.create(ReviewCycle, {
      coalitionId: user.coalitionId, mechanism: 'upr', number: 3, stateUnderReview: 'United States of America', state: 'open',
    }));
    await seedRecommendations(dataSource, user.coalitionId, [{ id: cycle.id, number: cycle.number }], size);
    global.gc?.();

    const baseRss = process.memoryUsage().rss;
    const peak = { processes: 0, browsers: 0, rss: 0, pss: 0, serverRss: 0 };
    const browserPids = new Set<number>();
    const sample = () => {
      const chromium = chromiumDescendants(process.pid, true);
      const pids = new Set(chromium.map((p) => p.pid));
      for (const p of chromium) if (!pids.has(p.ppid)) browserPids.add(p.pid);
      peak.processes = Math.max(peak.processes, chromium.length);
      peak.browsers = Math.max(peak.browsers, chromium.filter((p) => !pids.has(p.ppid)).length);
      peak.rss = Math.max(peak.rss, chromium.reduce((sum, p) => sum + p.rssBytes, 0));
      peak.pss = Math.max(peak.pss, chromium.reduce((sum, p) => sum + p.pssBytes, 0));
      peak.serverRss = Math.max(peak.serverRss, process.memoryUsage().rss);
    };
    const timer = setInterval(sample, 50);
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: parallel }, async () => {
      const response = await fetch(`${base}/cycles/${cycle.id}/report?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
      let bytes = 0;
      for await (const chunk of response.body ?? []) bytes += (chunk as Uint8Array).byteLength;
      return { status: response.status, retryAfter: response.headers.get('retry-after'), bytes, ms: performance.now() - started };
    }));
    clearInterval(timer);
    sample();
    const statuses = new Map<string, number>();
    for (const a of answers) {
      const key = `${a.status}${a.retryAfter ? ` (Retry-After ${a.retryAfter})` : ''}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    console.log(`${parallel} × format=${format} on ${size.toLocaleString('en-US')} recommendations (${postgres ? 'PostgreSQL' : 'SQLite'}):`);
    console.log(`  answers: ${[...statuses].map(([status, n]) => `${n} × ${status}`).join(', ')}; last after ${(Math.max(...answers.map((a) => a.ms)) / 1000).toFixed(1)} s; ` +
      `body ${(Math.max(...answers.map((a) => a.bytes)) / MB).toFixed(2)} MB`);
    console.log(`  Chromium: ${browserPids.size} browser(s) launched, at most ${peak.browsers} at once, at most ${peak.processes} processes; ` +
      `peak RSS ${(peak.rss / MB).toFixed(0)} MB (PSS ${(peak.pss / MB).toFixed(0)} MB)`);
    console.log(`  server process: RSS ${(baseRss / MB).toFixed(0)} MB before, peak ${(peak.serverRss / MB).toFixed(0)} MB`);
  } finally {
    await app.close();
    await postgres?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const left = chromiumDescendants();
  console.log(`  after close: ${left.length} Chromium processes left`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
