// Benchmark of issue 2: listing and search at 100,000 recommendations. See docs/benchmarks.md and
// `npm run bench -- --help`. Exits 1 if any request failed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchArgs, FULL_SIZE, parseBenchArgs } from './args';
import { Executor, measureCeiling, postgresExecutor, sqliteExecutor } from './ceiling';
import { HttpRequest, LoadResult, measureHttp, warmUp } from './http-load';
import { createSchema } from './postgres-schema';
import { RunFigures, ScenarioFigures, sectionHeading, writeFigures } from './report';
import {
  buildScenarios, CHANGE, Dialect, httpPath, RANDOM_ID, Scenario, scenarioStatements, statusChangeStatements,
} from './scenarios';
import { RunningServer, startServer } from './server-process';
import { StatusWalk } from './status-walk';
import type { ImplementationStatus } from '../src/vocabulary/recommendation.vocabulary';
import { Random } from './vocabulary';

const DOCS = resolve(__dirname, '../../docs');

async function main(args: BenchArgs): Promise<number> {
  const started = performance.now();
  const [loadAverage] = os.loadavg();
  if (loadAverage > 0.5) console.warn(`Load average is ${loadAverage.toFixed(2)}: other work on this machine will skew the figures.`);
  const workDir = mkdtempSync(join(tmpdir(), 'upr-bench-'));
  const sqliteFile = join(workDir, 'bench.sqlite');
  const postgres = args.database ? { url: args.database, ...(await createSchema(args.database)) } : null;
  // The dispatcher stays off: it would write emails (to files) while the requests are timed; sending
  // is measured by the notification benchmark and the soak test.
  const env: Record<string, string> = postgres
    ? { DATABASE_URL: postgres.url, DATABASE_SCHEMA: postgres.schema, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' }
    : { DATABASE_URL: `sqlite:${sqliteFile}`, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' };
  const databaseName = postgres ? 'PostgreSQL' : 'SQLite';
  console.log(`Loading ${args.size.toLocaleString('en-US')} recommendations into a fresh ${databaseName} database…`);

  let server: RunningServer | undefined;
  let executor: Executor | undefined;
  try {
    server = await startServer({ env, size: args.size, coalitions: args.coalitions }, args.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${args.cpuProfDir}`] : []);
    console.log(`Seeded in ${server.seedSeconds.toFixed(1)} s; ${args.seconds} s of load per request at ${args.connections.join(' and ')} connections, ` +
      `after ${args.warmupSeconds} s of warm-up.`);
    executor = postgres ? await postgresExecutor(postgres.url, postgres.schema) : sqliteExecutor(sqliteFile);
    const figures = await measureAll(args, server, executor, postgres ? 'postgres' : 'sqlite');
    const lost = await checkHistory(executor, figures, server);
    const run: RunFigures = {
      date: new Date(), database: databaseName, databaseVersion: executor.version, size: args.size, coalitions: args.coalitions, tagRows: server.tagRows,
      cycles: server.cycleIds.length, seedSeconds: server.seedSeconds, seconds: args.seconds, warmupSeconds: args.warmupSeconds,
      ceilingSeconds: args.ceilingSeconds, connections: args.connections, scenarios: figures, loadAverage,
      runSeconds: (performance.now() - started) / 1000,
    };
    // Smoke runs never overwrite the published full-size figures; a partial run writes nothing.
    const file = join(DOCS, args.size >= FULL_SIZE ? 'benchmarks.md' : 'benchmarks-smoke.md');
    // With --json the caller (bench/scale.ts) writes its own section from the figures.
    if (args.json) writeFileSync(args.json, JSON.stringify(run));
    else if (!args.only) writeFigures(file, sectionHeading(args.size), run);
    const failures = figures.reduce((sum, s) => sum + s.http.reduce((n, h) => n + h.failures, 0), 0);
    if (!args.only && !args.json) console.log(`\nWrote ${file}. ${postgres ? 'PostgreSQL benchmarked.' : 'PostgreSQL not benchmarked (add --database postgres://…).'}`);
    console.log(`Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s. Failed requests: ${failures}. ${lost}`);
    return failures === 0 && lost === '' ? 0 : 1;
  } finally {
    await executor?.close();
    await server?.stop();
    if (args.keep) {
      console.log(`Kept: ${postgres ? `schema ${postgres.schema} of ${postgres.url}` : sqliteFile}`);
    } else {
      await postgres?.drop();
      rmSync(workDir, { recursive: true, force: true });
    }
  }
}

/**
 * HTTP first, for every scenario, then the database alone, so the two never compete for the CPU.
 * Each scenario is warmed up once, at the highest concurrency (so that PostgreSQL's pool has all
 * its connections open), then measured at each concurrency in turn.
 */
async function measureAll(args: BenchArgs, server: RunningServer, executor: Executor, dialect: Dialect): Promise<ScenarioFigures[]> {
  const random = new Random(2);
  // One of the measured coalition's recommendations (every `coalitions`-th id: see seedCoalitions).
  const randomId = () => server.firstId + server.coalitions * random.int(0, server.coalitionSize - 1);
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const scenarios = buildScenarios(server.cycleIds).filter((s) => !args.only || s.label.includes(args.only));
  const walk = new StatusWalk(await currentStatuses(executor, server));
  const request = (scenario: Scenario): HttpRequest => {
    if (scenario.write !== 'status') return { method: 'GET', path: httpPath(scenario, randomId()) };
    const { id, to } = walk.step();
    return { method: 'POST', path: httpPath(scenario, id), body: JSON.stringify({ status: to, note: 'Benchmark' }) };
  };
  const results: Omit<ScenarioFigures, 'database'>[] = [];
  for (const scenario of scenarios) {
    const matches = await probe(baseUrl, server.token, scenario, request(scenario));
    const load = { baseUrl, token: server.token, request: () => request(scenario), serverCpuMs: () => server.cpuMs() };
    await warmUp({ ...load, seconds: args.warmupSeconds, connections: Math.max(...args.connections) });
    const http: LoadResult[] = [];
    for (const connections of args.connections) {
      const figures = await measureHttp({ ...load, seconds: args.seconds, connections });
      console.log(`HTTP  ${scenario.label}, ${connections} conn.: ${Math.round(figures.requestsPerSecond)} req/s, p50 ${figures.p50.toFixed(2)} ms, ` +
        `p95 ${figures.p95.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms, server CPU ${figures.serverCpuMsPerRequest.toFixed(2)} ms/request, ` +
        `whole machine CPU ${figures.machineCpuMsPerRequest.toFixed(2)} ms/request, ${figures.failures} failed`);
      http.push(figures);
    }
    results.push({ request: scenario.label, matches, http });
  }
  const figures: ScenarioFigures[] = [];
  let keys = 0;
  for (const [i, scenario] of scenarios.entries()) {
    let statements, draw: () => (slot: symbol) => unknown;
    if (scenario.write === 'status') {
      // The walk goes on where HTTP left it, so every write is a real change of status.
      statements = statusChangeStatements(dialect, server);
      draw = () => {
        const change = walk.step();
        const now = new Date();
        const values = new Map<symbol, unknown>([
          [CHANGE.id, change.id], [CHANGE.from, change.from], [CHANGE.to, change.to], [CHANGE.key, `bench-ceiling:${++keys}`],
          // As TypeORM writes a Date into SQLite's datetime columns.
          [CHANGE.at, dialect === 'postgres' ? now : now.toISOString().replace('T', ' ').replace('Z', '')],
        ]);
        return (slot) => values.get(slot);
      };
    } else {
      statements = scenarioStatements(scenario, dialect, server.coalitionId);
      draw = () => {
        const id = randomId();
        return (slot) => (slot === RANDOM_ID ? id : undefined);
      };
    }
    const database = await measureCeiling(executor, statements, draw, args.ceilingSeconds);
    console.log(`DB    ${scenario.label}: p50 ${database.p50.toFixed(2)} ms, p95 ${database.p95.toFixed(2)} ms over ${database.samples} runs`);
    figures.push({ ...results[i], database });
  }
  return figures;
}

/** One request before the load: it must succeed, and a listing tells how many rows it matches. */
async function probe(baseUrl: string, token: string, scenario: Scenario, request: HttpRequest): Promise<number | null> {
  const response = await fetch(baseUrl + request.path, {
    method: request.method,
    body: request.body,
    headers: { authorization: `Bearer ${token}`, ...(request.body ? { 'content-type': 'application/json' } : {}) },
  });
  const body = (await response.json()) as { total?: number };
  if (!response.ok) throw new Error(`${scenario.label} answered ${response.status}: ${JSON.stringify(body)}`);
  return scenario.filters ? (body.total ?? null) : null;
}

/** The measured coalition's recommendations' statuses now: where the status walk starts from. */
async function currentStatuses(executor: Executor, server: RunningServer): Promise<Map<number, ImplementationStatus>> {
  const p = executor.version.startsWith('PostgreSQL') ? ['$1'] : ['?'];
  const rows = await executor.rows<{ id: number; status: ImplementationStatus }>(
    `SELECT id, status FROM recommendation WHERE coalition_id = ${p[0]} ORDER BY id`, [server.coalitionId],
  );
  return new Map(rows.map((r) => [Number(r.id), r.status]));
}

/**
 * Nothing lost: every status change the server answered 2xx to is in the history, with its outbox
 * row. Returns what is wrong, or '' if nothing is.
 */
async function checkHistory(executor: Executor, figures: ScenarioFigures[], server: RunningServer): Promise<string> {
  const status = figures.find((f) => f.request.includes('/status'));
  if (!status) return '';
  const [history] = await executor.rows<{ n: number | string }>('SELECT COUNT(*) AS n FROM status_change WHERE note = \'Benchmark\'', []);
  const [outbox] = await executor.rows<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM notification WHERE kind = 'status_change' AND recipient_id = ${Number(server.followerId)}`, [],
  );
  // The server answered 2xx to at least the measured requests; warm-up, probe and ceiling add more.
  const measured = status.http.reduce((n, h) => n + h.samples, 0);
  if (Number(history.n) < measured) return `Only ${history.n} status changes in the history for ${measured} answered.`;
  if (Number(outbox.n) !== Number(history.n)) return `${history.n} status changes but ${outbox.n} notifications planned.`;
  return '';
}

main(parseBenchArgs(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
