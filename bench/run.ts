// Benchmark of issue 2: listing and search at 100,000 recommendations. See docs/benchmarks.md and
// `npm run bench -- --help`. Exits 1 if any request failed.
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchArgs, FULL_SIZE, parseBenchArgs } from './args';
import { Executor, measureCeiling, postgresExecutor, sqliteExecutor } from './ceiling';
import { LoadResult, measureHttp, warmUp } from './http-load';
import { createSchema } from './postgres-schema';
import { RunFigures, ScenarioFigures, sectionHeading, writeFigures } from './report';
import { buildScenarios, Dialect, httpPath, Scenario, scenarioStatements } from './scenarios';
import { RunningServer, startServer } from './server-process';
import { Random } from './vocabulary';

const DOCS = resolve(__dirname, '../../docs');

async function main(args: BenchArgs): Promise<number> {
  const started = performance.now();
  const [loadAverage] = os.loadavg();
  if (loadAverage > 0.5) console.warn(`Load average is ${loadAverage.toFixed(2)}: other work on this machine will skew the figures.`);
  const workDir = mkdtempSync(join(tmpdir(), 'upr-bench-'));
  const sqliteFile = join(workDir, 'bench.sqlite');
  const postgres = args.database ? { url: args.database, ...(await createSchema(args.database)) } : null;
  const env: Record<string, string> = postgres
    ? { DATABASE_URL: postgres.url, DATABASE_SCHEMA: postgres.schema, DATA_DIR: workDir }
    : { DATABASE_URL: `sqlite:${sqliteFile}`, DATA_DIR: workDir };
  const databaseName = postgres ? 'PostgreSQL' : 'SQLite';
  console.log(`Loading ${args.size.toLocaleString('en-US')} recommendations into a fresh ${databaseName} database…`);

  let server: RunningServer | undefined;
  let executor: Executor | undefined;
  try {
    server = await startServer({ env, size: args.size });
    console.log(`Seeded in ${server.seedSeconds.toFixed(1)} s; ${args.seconds} s of load per request at ${args.connections.join(' and ')} connections, ` +
      `after ${args.warmupSeconds} s of warm-up.`);
    executor = postgres ? await postgresExecutor(postgres.url, postgres.schema) : sqliteExecutor(sqliteFile);
    const figures = await measureAll(args, server, executor, postgres ? 'postgres' : 'sqlite');
    const run: RunFigures = {
      date: new Date(), database: databaseName, databaseVersion: executor.version, size: args.size, tagRows: server.tagRows,
      cycles: server.cycleIds.length, seedSeconds: server.seedSeconds, seconds: args.seconds, warmupSeconds: args.warmupSeconds,
      ceilingSeconds: args.ceilingSeconds, connections: args.connections, scenarios: figures, loadAverage,
      runSeconds: (performance.now() - started) / 1000,
    };
    // Smoke runs never overwrite the published full-size figures.
    const file = join(DOCS, args.size >= FULL_SIZE ? 'benchmarks.md' : 'benchmarks-smoke.md');
    writeFigures(file, sectionHeading(args.size), run);
    const failures = figures.reduce((sum, s) => sum + s.http.reduce((n, h) => n + h.failures, 0), 0);
    console.log(`\nWrote ${file}. ${postgres ? 'PostgreSQL benchmarked.' : 'PostgreSQL not benchmarked (add --database postgres://…).'}`);
    console.log(`Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s. Failed requests: ${failures}.`);
    return failures === 0 ? 0 : 1;
  } finally {
    await executor?.close();
    await server?.stop();
    await postgres?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * HTTP first, for every scenario, then the database alone, so the two never compete for the CPU.
 * Each scenario is warmed up once, at the highest concurrency (so that PostgreSQL's pool has all
 * its connections open), then measured at each concurrency in turn.
 */
async function measureAll(args: BenchArgs, server: RunningServer, executor: Executor, dialect: Dialect): Promise<ScenarioFigures[]> {
  const random = new Random(2);
  const randomId = () => server.firstId + random.int(0, args.size - 1);
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const scenarios = buildScenarios(server.cycleIds);
  const results: Omit<ScenarioFigures, 'database'>[] = [];
  for (const scenario of scenarios) {
    const matches = await probe(baseUrl, server.token, scenario, randomId());
    const load = { baseUrl, token: server.token, path: () => httpPath(scenario, randomId()), serverCpuMs: () => server.cpuMs() };
    await warmUp({ ...load, seconds: args.warmupSeconds, connections: Math.max(...args.connections) });
    const http: LoadResult[] = [];
    for (const connections of args.connections) {
      const figures = await measureHttp({ ...load, seconds: args.seconds, connections });
      console.log(`HTTP  ${scenario.label}, ${connections} conn.: ${Math.round(figures.requestsPerSecond)} req/s, p50 ${figures.p50.toFixed(2)} ms, ` +
        `p95 ${figures.p95.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms, server CPU ${figures.serverCpuMsPerRequest.toFixed(2)} ms/request, ` +
        `${figures.failures} failed`);
      http.push(figures);
    }
    results.push({ request: scenario.label, matches, http });
  }
  const figures: ScenarioFigures[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const statements = scenarioStatements(scenario, dialect, server.coalitionId);
    const database = await measureCeiling(executor, statements, randomId, args.ceilingSeconds);
    console.log(`DB    ${scenario.label}: p50 ${database.p50.toFixed(2)} ms, p95 ${database.p95.toFixed(2)} ms over ${database.samples} runs`);
    figures.push({ ...results[i], database });
  }
  return figures;
}

/** One request before the load: it must succeed, and a listing tells how many rows it matches. */
async function probe(baseUrl: string, token: string, scenario: Scenario, id: number): Promise<number | null> {
  const response = await fetch(baseUrl + httpPath(scenario, id), { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { total?: number };
  if (response.status !== 200) throw new Error(`${scenario.label} answered ${response.status}: ${JSON.stringify(body)}`);
  return scenario.filters ? (body.total ?? null) : null;
}

main(parseBenchArgs(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
