// Issue 14: how much of a status change is the HTTP layer? The same status walk is sent, in
// alternating rounds, to the application (NestJS on Express, every middleware) and to a bare
// node:http server in the same process that calls the same guard lookup, pipes and StatusService
// (bench/bare-status-route.ts). The difference in server CPU per request is the most any other HTTP
// layer, Fastify included, could save on this route.
//   node dist/bench/http-layer.bench.js [--size 10000] [--seconds 5] [--rounds 3] [--connections 10] [--database postgres://…]
//     [--only bare|Express] [--cpu-prof-dir DIR] [--write]
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Executor, postgresExecutor, sqliteExecutor } from './ceiling';
import { LoadResult, measureHttp, warmUp } from './http-load';
import { createSchema } from './postgres-schema';
import { machineLine, writeSection } from './sections';
import { httpPath } from './scenarios';
import { startServer } from './server-process';
import { StatusWalk } from './status-walk';
import type { ImplementationStatus } from '../src/vocabulary/recommendation.vocabulary';

const SCENARIO = { label: 'status change', write: 'status' as const };

const INTRO = [
  '`node dist/bench/http-layer.bench.js [--database postgres://…] --write` (bench/http-layer.bench.ts): the same status walk',
  'sent in alternating rounds to the application (NestJS on Express, with every middleware) and to a bare node:http',
  'server in the same process that runs the same token lookup, role check, pipes and StatusService',
  '(bench/bare-status-route.ts, no security headers, no cookies). The difference in server CPU per change is the most any',
  'HTTP layer, Fastify included, could save on this route; the figures of a busy machine are inflated alike on both sides.',
].join('\n');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      database: { type: 'string' },
      // Only the layers whose name contains this text (e.g. "bare"), for profiling one of them.
      only: { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
      // Write the medians into docs/benchmarks.md (its own section, one per database).
      write: { type: 'boolean' },
    },
  });
  const size = Number(values.size);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const machine = machineLine();
  console.log(machine);

  const workDir = mkdtempSync(join(tmpdir(), 'upr-http-layer-'));
  const sqliteFile = join(workDir, 'bench.sqlite');
  const postgres = values.database ? { url: values.database, ...(await createSchema(values.database)) } : null;
  const env: Record<string, string> = postgres
    ? { DATABASE_URL: postgres.url, DATABASE_SCHEMA: postgres.schema, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' }
    : { DATABASE_URL: `sqlite:${sqliteFile}`, DATA_DIR: workDir, NOTIFY_DISPATCH: 'off' };
  const cpuProf = values['cpu-prof-dir'];
  const server = await startServer({ env, size, bareStatusRoute: true }, cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : []);
  let executor: Executor | undefined;
  try {
    executor = postgres ? await postgresExecutor(postgres.url, postgres.schema) : sqliteExecutor(sqliteFile);
    const p = postgres ? ['$1', '$2'] : ['?', '?'];
    const rows = await executor.rows<{ id: number; status: ImplementationStatus }>(
      `SELECT id, status FROM recommendation WHERE id BETWEEN ${p[0]} AND ${p[1]}`, [server.firstId, server.firstId + size - 1],
    );
    const walk = new StatusWalk(new Map(rows.map((r) => [Number(r.id), r.status])));
    const request = () => {
      const { id, to } = walk.step();
      return { method: 'POST' as const, path: httpPath(SCENARIO, id), body: JSON.stringify({ status: to, note: 'Benchmark' }) };
    };
    const layers = Object.fromEntries(Object.entries({
      'NestJS + Express (the application)': `http://127.0.0.1:${server.port}`,
      'bare node:http, same service': `http://127.0.0.1:${server.barePort}`,
    }).filter(([name]) => !values.only || name.includes(values.only)));
    const results = new Map<string, LoadResult[]>(Object.keys(layers).map((name) => [name, []]));
    const load = (baseUrl: string) => ({ baseUrl, token: server.token, request, serverCpuMs: () => server.cpuMs(), connections });
    for (const baseUrl of Object.values(layers)) await warmUp({ ...load(baseUrl), seconds: 2 });
    for (let round = 0; round < rounds; round++) {
      // Alternating which goes first, so that a change in the machine's load falls on both alike.
      const order = round % 2 === 0 ? Object.entries(layers) : Object.entries(layers).reverse();
      for (const [name, baseUrl] of order) {
        const figures = await measureHttp({ ...load(baseUrl), seconds });
        results.get(name)!.push(figures);
        console.log(`round ${round + 1}, ${name}: ${figures.requestsPerSecond.toFixed(0)} changes/s, p95 ${figures.p95.toFixed(2)} ms, ` +
          `server CPU ${figures.serverCpuMsPerRequest.toFixed(3)} ms/change, ${figures.failures} failed, load ${os.loadavg()[0].toFixed(2)}`);
      }
    }
    const database = postgres ? 'PostgreSQL' : 'SQLite';
    const table = [
      `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; machine: ${machine}, ${os.loadavg()[0].toFixed(2)} at the end`,
      `- ${database}, ${size.toLocaleString('en-US')} recommendations, ${connections} connections, ${rounds} alternating rounds of ${seconds} s; medians`,
      '',
      '| | changes/s | p95 ms | server CPU ms per change | failed |',
      '|---|---:|---:|---:|---:|',
      ...[...results].map(([name, figures]) => `| ${name} | ${median(figures.map((f) => f.requestsPerSecond)).toFixed(0)} | ` +
        `${median(figures.map((f) => f.p95)).toFixed(2)} | ${median(figures.map((f) => f.serverCpuMsPerRequest)).toFixed(3)} | ` +
        `${figures.reduce((n, f) => n + f.failures, 0)} |`),
    ].join('\n');
    console.log(`\n${table}`);
    if (values.write) writeSection(resolve(__dirname, '../../docs/benchmarks.md'), `## HTTP layer of a status change, ${database} (issue 14)`, `${INTRO}\n\n${table}`);
  } finally {
    await executor?.close();
    await server.stop();
    await postgres?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
