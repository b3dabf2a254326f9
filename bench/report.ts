import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { LoadResult } from './http-load';
import type { Percentiles } from './stats';

/** The target of issue 2: one person's request, answered at p95 under this many milliseconds. */
export const TARGET_P95_MS = 50;
/** The concurrency the target is judged at: one person's request on a server doing nothing else. */
export const TARGET_CONNECTIONS = 1;
/** Issue 6: status changes a second on SQLite, each answered at p95 under TARGET_P95_MS… */
export const STATUS_TARGET_PER_SECOND = 1000;
/** …judged with this many requests in flight (one connection cannot reach a thousand a second). */
export const STATUS_TARGET_CONNECTIONS = 10;
/** Issue 6: no request fails with this many concurrent clients. */
export const NO_ERROR_CONNECTIONS = 50;

export interface ScenarioFigures {
  request: string;
  /** How many recommendations the listing matches (its `total`); null for /:id and the status change. */
  matches: number | null;
  /** One entry per concurrency, in increasing order. */
  http: LoadResult[];
  database: Percentiles;
}

export interface RunFigures {
  date: Date;
  database: 'SQLite' | 'PostgreSQL';
  databaseVersion: string;
  size: number;
  /** Coalitions the recommendations were spread over; the first one's requests were measured. */
  coalitions: number;
  tagRows: number;
  cycles: number;
  seedSeconds: number;
  seconds: number;
  warmupSeconds: number;
  ceilingSeconds: number;
  connections: number[];
  scenarios: ScenarioFigures[];
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage: number;
  runSeconds: number;
}

export function sectionHeading(size: number): string {
  return `## Listing and search at ${size.toLocaleString('en-US')} recommendations (issue 2)`;
}

const INTRO = `\`npm run bench\` (bench/run.ts; \`-- --size 2000\` for a smoke run, \`-- --database postgres://…\` for PostgreSQL)
loads the recommendations into a fresh database, starts the real application in its own process on
127.0.0.1, and drives each request with autocannon (closed loop: each connection sends its next
request when the last one is answered) for a fixed time after a warm-up, at three concurrencies:

- **1 connection: one person's request.** The target of issue 2, **p95 under ${TARGET_P95_MS} ms on 2 cores, is
  judged on this figure**: it is how long someone waits for a page.
- **10 connections: throughput under load.** Ten requests always in flight on 2 cores queue behind
  each other, so each waits for the others' CPU: latency is about connections ÷ requests per second.
  Its p95 is shown beside the first, but the target is not applied to it; what it measures is how
  many requests per second the application serves.
- **50 connections: a crowd (issue 6).** No request may fail (error, timeout or non-2xx answer).

Beside them, "database alone" runs the same SQL the application sends (the page of 50 rows and the
count; for /:id the row and its tags) as prepared statements straight on the driver, in the
benchmark process, one at a time: the floor under the HTTP figure. "Server CPU per request" is the
application process's CPU time (user + system, all threads) over the measurement divided by the
requests it answered (on PostgreSQL the database server's own CPU is not in it): other work on
the machine moves it much less than latency. Latencies and CPU are in milliseconds; p95 is computed
from every response time.`;

const STATUS_INTRO = `**Status changes (issue 6).** POST /api/v1/recommendations/:id/status walks the recommendations
in turn through not_started → in_progress → not_implemented → regressed → not_started…, so every
request is an allowed transition (none is a 409; any non-2xx answer counts as a failure). Each
recommendation has one follower besides the admin who changes it, so every change writes the status,
its history entry and one outbox row in one transaction, as in real use; the answer is the
recommendation's detail with its history. The dispatcher is off during the benchmark. "Database alone"
for it is those three writes as bare prepared statements in one transaction on the driver. Targets
on 2 cores: **${STATUS_TARGET_PER_SECOND.toLocaleString('en-US')} status changes a second on SQLite with p95 under ${TARGET_P95_MS} ms**, judged at ${STATUS_TARGET_CONNECTIONS} connections
(one connection waits for each answer before the next request, so it measures latency, not
capacity); **no failed request at ${NO_ERROR_CONNECTIONS} concurrent connections**, for every request. After the run
the benchmark checks that every answered status change is in the history with its outbox row.`;

function isStatus(s: ScenarioFigures): boolean {
  return s.request.includes('/status');
}

const DATABASE_ALONE_RATE = '\\* For "database alone", requests/s is 1000 ÷ its p50: one at a time, on one connection.';

function targetFigure(s: ScenarioFigures): LoadResult | undefined {
  return s.http.find((h) => h.connections === (isStatus(s) ? STATUS_TARGET_CONNECTIONS : TARGET_CONNECTIONS));
}

function meetsTarget(s: ScenarioFigures): boolean {
  const figure = targetFigure(s);
  if (isStatus(s)) return figure !== undefined && figure.p95 < TARGET_P95_MS && figure.requestsPerSecond >= STATUS_TARGET_PER_SECOND;
  return figure !== undefined && figure.p95 < TARGET_P95_MS;
}

function targetLine(s: ScenarioFigures, database: RunFigures['database']): string {
  const target = targetFigure(s);
  if (isStatus(s)) {
    if (database !== 'SQLite') return `Target: set for SQLite only (${Math.round(target?.requestsPerSecond ?? 0)} changes/s here at ${STATUS_TARGET_CONNECTIONS} connections).`;
    if (!target) return `Target: not judged (no ${STATUS_TARGET_CONNECTIONS}-connection run).`;
    return `Target: ${meetsTarget(s) ? 'met' : '**not met**'} (${Math.round(target.requestsPerSecond)} changes/s, p95 ${ms(target.p95)} ms at ` +
      `${STATUS_TARGET_CONNECTIONS} connections; wanted ${STATUS_TARGET_PER_SECOND.toLocaleString('en-US')}/s under ${TARGET_P95_MS} ms).`;
  }
  if (!target) return '';
  return `Target: ${meetsTarget(s) ? 'met' : '**not met**'} (p95 ${ms(target.p95)} ms at ${TARGET_CONNECTIONS} connection).`;
}

function failuresCell(h: LoadResult): string {
  const causes = Object.entries(h.failureCauses ?? {}).map(([cause, n]) => `${cause}: ${n}`);
  return causes.length > 0 ? `${h.failures} (${causes.join(', ')})` : String(h.failures);
}

export function renderFigures(run: RunFigures): string {
  const cpus = os.cpus();
  const judged = run.connections.includes(TARGET_CONNECTIONS);
  const reads = run.scenarios.filter((s) => !isStatus(s));
  const met = reads.filter(meetsTarget).length;
  const status = run.scenarios.find(isStatus);
  const crowd = run.scenarios.map((s) => s.http.find((h) => h.connections === NO_ERROR_CONNECTIONS));
  const crowdFailures = crowd.reduce((n, h) => n + (h?.failures ?? 0), 0);
  const busiest = Math.max(...run.connections);
  const underLoad = run.scenarios.map((s) => s.http.find((h) => h.connections === busiest)!);
  const lines = [
    `- Date: ${run.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ` +
      `${os.type()} ${os.release()}, Node ${process.version}, ${run.databaseVersion}; load average ${run.loadAverage.toFixed(2)} at the start`,
    `- Data: ${run.size.toLocaleString('en-US')} recommendations with ${run.tagRows.toLocaleString('en-US')} tags` +
      (run.coalitions > 1
        ? ` in ${run.coalitions} coalitions (interleaved; the measured one has ${Math.ceil(run.size / run.coalitions).toLocaleString('en-US')} of them in ${run.cycles} cycles); `
        : ` in ${run.cycles} cycles; `) +
      `seeding took ${run.seedSeconds.toFixed(1)} s`,
    `- Load: ${run.seconds} s per request at each of ${run.connections.join(' and ')} connections, after ${run.warmupSeconds} s of warm-up; ` +
      `database alone ${run.ceilingSeconds} s per request; the whole run took ${Math.round(run.runSeconds)} s`,
    `- Target for reading (p95 under ${TARGET_P95_MS} ms at ${TARGET_CONNECTIONS} connection${cpus.length === 2 ? '' : `, set for 2 cores; this machine has ${cpus.length}`}): ` +
      (!judged
        ? `not judged (no ${TARGET_CONNECTIONS}-connection run)`
        : met === reads.length ? '**met** by every listing, search and detail' : `**not met** by ${reads.length - met} of ${reads.length} requests`),
  ];
  if (status) lines.push(`- Target for status changes: ${targetLine(status, run.database).replace(/^Target: /, '')}`);
  lines.push(`- No failed request at ${NO_ERROR_CONNECTIONS} connections: ` + (crowd.some((h) => h === undefined)
    ? `not judged (no ${NO_ERROR_CONNECTIONS}-connection run)`
    : crowdFailures === 0 ? '**met** by every request' : `**not met**: ${crowdFailures} failed`));
  if (busiest !== TARGET_CONNECTIONS) {
    const rates = underLoad.map((h) => h.requestsPerSecond);
    const p95s = underLoad.map((h) => h.p95);
    lines.push(`- Under load (${busiest} connections, no target): ${Math.round(Math.min(...rates))} to ${Math.round(Math.max(...rates))} requests/s, ` +
      `p95 ${ms(Math.min(...p95s))} to ${ms(Math.max(...p95s))} ms`);
  }
  for (const s of run.scenarios) {
    const matches = s.matches === null ? '' : ` — ${s.matches.toLocaleString('en-US')} matches`;
    const target = targetLine(s, run.database);
    lines.push(
      '',
      `#### ${isStatus(s) ? 'POST' : 'GET'} /api/v1/recommendations${s.request}${matches}`,
      '',
      '| | requests/s | p50 | p95 | p99 | server CPU per request | failed requests |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...s.http.map((h) => `| HTTP, ${connectionLabel(h.connections)} | ${Math.round(h.requestsPerSecond)} | ${ms(h.p50)} | ${ms(h.p95)} | ` +
        `${ms(h.p99)} | ${ms(h.serverCpuMsPerRequest)} | ${failuresCell(h)} |`),
      `| Database alone, one at a time | ${Math.round(1000 / Math.max(0.001, s.database.p50))}* | ${ms(s.database.p50)} | ${ms(s.database.p95)} | ${ms(s.database.p99)} | | |`,
    );
    if (target) lines.push('', target);
  }
  return lines.join('\n');
}

function connectionLabel(connections: number): string {
  if (connections === TARGET_CONNECTIONS) return `${connections} connection (one person)`;
  if (connections === NO_ERROR_CONNECTIONS) return `${connections} connections (no failure allowed)`;
  return `${connections} connections (under load)`;
}

/**
 * Writes the run into its section of the file, replacing only its own database's ### subsection, so
 * that SQLite and PostgreSQL figures, and other benchmarks' sections, live side by side.
 */
export function writeFigures(file: string, heading: string, run: RunFigures): void {
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nOne section per benchmark; each is rewritten only by its own benchmark.\n';
  const lines = doc.trimEnd().split('\n');
  let start = lines.indexOf(heading);
  if (start < 0) start = lines.push('', heading) - 1;
  let end = start + 1;
  while (end < lines.length && !lines[end].startsWith('## ')) end++;

  const subsections = splitSubsections(lines.slice(start + 1, end));
  subsections.set(`### ${run.database}`, `### ${run.database}\n\n${renderFigures(run)}`);
  const ordered = [...subsections].sort(([a], [b]) => Number(b === '### SQLite') - Number(a === '### SQLite'));
  const section = [heading, '', INTRO, '', STATUS_INTRO, '', DATABASE_ALONE_RATE, ...ordered.flatMap(([, text]) => ['', text.trimEnd()])];
  lines.splice(start, end - start, ...section, ...(end < lines.length ? [''] : []));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** The ### subsections of a section, by heading line; the text before the first one is dropped. */
function splitSubsections(lines: string[]): Map<string, string> {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith('### ')) found.set(line, (current = []));
    current?.push(line);
  }
  return new Map([...found].map(([heading, text]) => [heading, text.join('\n')]));
}

function ms(value: number): string {
  return value.toFixed(value < 10 ? 2 : 1);
}
