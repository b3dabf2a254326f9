// Issue 14: how much of a status change is the HTTP layer? The same status walk is sent, in
// alternating rounds, to the application (NestJS on Express, every middleware), to the same
// application module on NestJS's Fastify adapter in the same process (bench/fastify-app.ts), and to
// a bare node:http server in the same process that calls the same guard lookup, pipes and
// StatusService (bench/bare-status-route.ts). The difference in server CPU per request between the
// application and the bare route is the most any other HTTP layer could save on this route; the
// Fastify figure is what one of them does save. --route listing measures GET /recommendations
// (the first page, no filter) the same way.
//   node dist/bench/http-layer.bench.js [--size 10000] [--seconds 5] [--rounds 3] [--connections 10] [--database postgres://…]
//     [--route status|listing] [--only bare|Express|Fastify] [--cpu-prof-dir DIR] [--write]
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
const LISTING = { label: 'listing', filters: {} };

const INTRO = [
  '`node dist/bench/http-layer.bench.js [--database postgres://…] --write` (bench/http-layer.bench.ts): the same status walk',
  'sent in alternating rounds to the application (NestJS on Express, with every middleware), to the same module on',
  "NestJS's Fastify adapter with @fastify/helmet and @fastify/cookie (bench/fastify-app.ts), and to a bare node:http",
  'server in the same process that runs the same token lookup, role check, pipes and StatusService',
  '(bench/bare-status-route.ts, no security headers, no cookies). The difference in server CPU per change is the most any',
  'HTTP layer could save on this route; the figures of a busy machine are inflated alike on every side.',
  '"Whole machine CPU" is every core\'s busy time (/proc/stat: server, database, load generator) per request, and "most',
  '… on N cores" is N × 1,000 ms divided by it: the most this machine could answer with the load generator on it, however',
  'many server processes shared the work. (Other work on the machine counts in it too: run it quiet.)',
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
      // status: POST /recommendations/:id/status; listing: GET /recommendations (first page).
      route: { type: 'string', default: 'status' },
      'cpu-prof-dir': { type: 'string' },
      // Write the medians into docs/benchmarks.md (its own section, one per database).
      write: { type: 'boolean' },
    },
  });
  const size = Number(values.size);
  if (values.route !== 'status' && values.route !== 'listing') throw new Error('--route is status or listing');
  const listing = values.route === 'listing';
  const unit = listing ? 'listing' : 'change';
  const layerNames = {
    express: 'NestJS + Express (the application)',
    fastify: 'NestJS + Fastify (same module, bench/fastify-app.ts)',
    bare: 'bare node:http, same service',
  };
  // Only the layers asked for are started (a second application instance costs memory and seeding time).
  const wanted = (name: string) => !values.only || name.includes(values.only);
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
  const server = await startServer(
    { env, size, coalitions: 1, bareStatusRoute: wanted(layerNames.bare), fastify: wanted(layerNames.fastify) },
    cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [],
  );
  let executor: Executor | undefined;
  try {
    executor = postgres ? await postgresExecutor(postgres.url, postgres.schema) : sqliteExecutor(sqliteFile);
    const p = postgres ? ['$1', '$2'] : ['?', '?'];
    const rows = await executor.rows<{ id: number; status: ImplementationStatus }>(
      `SELECT id, status FROM recommendation WHERE id BETWEEN ${p[0]} AND ${p[1]}`, [server.firstId, server.firstId + size - 1],
    );
    const walk = new StatusWalk(new Map(rows.map((r) => [Number(r.id), r.status])));
    const listingPath = httpPath(LISTING, 0);
    const request = listing
      ? () => ({ method: 'GET' as const, path: listingPath })
      : () => {
        const { id, to } = walk.step();
        return { method: 'POST' as const, path: httpPath(SCENARIO, id), body: JSON.stringify({ status: to, note: 'Benchmark' }) };
      };
    const layers = Object.fromEntries(Object.entries({
      [layerNames.express]: `http://127.0.0.1:${server.port}`,
      [layerNames.fastify]: `http://127.0.0.1:${server.fastifyPort}`,
      [layerNames.bare]: `http://127.0.0.1:${server.barePort}`,
    }).filter(([name]) => wanted(name)));
    await sameAnswers(layers, server.token, listingPath);
    const results = new Map<string, LoadResult[]>(Object.keys(layers).map((name) => [name, []]));
    const load = (baseUrl: string) => ({ baseUrl, token: server.token, request, serverCpuMs: () => server.cpuMs(), connections });
    for (const baseUrl of Object.values(layers)) await warmUp({ ...load(baseUrl), seconds: 2 });
    for (let round = 0; round < rounds; round++) {
      // Alternating which goes first, so that a change in the machine's load falls on both alike.
      const order = round % 2 === 0 ? Object.entries(layers) : Object.entries(layers).reverse();
      for (const [name, baseUrl] of order) {
        const figures = await measureHttp({ ...load(baseUrl), seconds });
        results.get(name)!.push(figures);
        console.log(`round ${round + 1}, ${name}: ${figures.requestsPerSecond.toFixed(0)} ${unit}s/s, p95 ${figures.p95.toFixed(2)} ms, ` +
          `server CPU ${figures.serverCpuMsPerRequest.toFixed(3)} ms/${unit}, load generator ${figures.clientCpuMsPerRequest.toFixed(3)} ms, ` +
          `whole machine ${figures.machineCpuMsPerRequest.toFixed(3)} ms, ${figures.failures} failed, load ${os.loadavg()[0].toFixed(2)}`);
      }
    }
    const database = postgres ? 'PostgreSQL' : 'SQLite';
    const cores = os.cpus().length;
    // Each round's figures are taken minutes apart on a shared machine whose load moves the CPU per
    // request by 2x; a layer's ratio to the Express round measured next to it moves far less.
    const express = results.get(layerNames.express);
    const ratioToExpress = (figures: LoadResult[]) => (express
      ? median(figures.map((f, round) => f.serverCpuMsPerRequest / express[round].serverCpuMsPerRequest)).toFixed(2)
      : '–');
    const table = [
      `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; machine: ${machine}, ${os.loadavg()[0].toFixed(2)} at the end`,
      `- ${database}, ${size.toLocaleString('en-US')} recommendations, ${listing ? `GET ${listingPath}` : 'status changes'}, ` +
        `${connections} connections, ${rounds} alternating rounds of ${seconds} s; medians`,
      '',
      `| | ${unit}s/s | p95 ms | server CPU ms per ${unit} | CPU ÷ Express's, median of rounds | load generator CPU ms | ` +
        `whole machine CPU ms | most ${unit}s/s on ${cores} cores | failed |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...[...results].map(([name, figures]) => {
        const machineMs = median(figures.map((f) => f.machineCpuMsPerRequest));
        return `| ${name} | ${median(figures.map((f) => f.requestsPerSecond)).toFixed(0)} | ` +
          `${median(figures.map((f) => f.p95)).toFixed(2)} | ${median(figures.map((f) => f.serverCpuMsPerRequest)).toFixed(3)} | ` +
          `${ratioToExpress(figures)} | ${median(figures.map((f) => f.clientCpuMsPerRequest)).toFixed(3)} | ${machineMs.toFixed(3)} | ` +
          `${(cores * 1000 / machineMs).toFixed(0)} | ${figures.reduce((n, f) => n + f.failures, 0)} |`;
      }),
    ].join('\n');
    console.log(`\n${table}`);
    const title = listing ? `## HTTP layer of the listing, ${database} (issue 14)` : `## HTTP layer of a status change, ${database} (issue 14)`;
    if (values.write) writeSection(resolve(__dirname, '../../docs/benchmarks.md'), title, `${INTRO}\n\n${table}`);
  } finally {
    await executor?.close();
    await server.stop();
    await postgres?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The layers must answer alike for the comparison to mean anything: the listing's JSON is compared
 * whole, and an unknown recommendation's status change must be the same 404 everywhere.
 */
async function sameAnswers(layers: Record<string, string>, token: string, listingPath: string): Promise<void> {
  const probes = [
    { method: 'GET', path: listingPath },
    { method: 'POST', path: httpPath(SCENARIO, 2_000_000_000), body: JSON.stringify({ status: 'in_progress' }) },
  ];
  for (const probe of probes) {
    const answers = await Promise.all(Object.entries(layers).map(async ([name, baseUrl]) => {
      const response = await fetch(`${baseUrl}${probe.path}`, {
        method: probe.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: probe.body,
      });
      return { name, text: `${response.status} ${await response.text()}` };
    }));
    // The bare route answers errors without the application's filter: only its status is compared.
    const full = answers.filter((a) => !a.name.startsWith('bare') || probe.method === 'GET');
    const differing = full.filter((a) => a.text !== full[0].text);
    const statuses = new Set(answers.map((a) => a.text.slice(0, 3)));
    if (differing.length > 0 || statuses.size > 1) {
      throw new Error(`${probe.method} ${probe.path} answered differently:\n${answers.map((a) => `${a.name}: ${a.text.slice(0, 300)}`).join('\n')}`);
    }
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
