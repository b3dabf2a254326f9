// Issue 14: how the listing, filters, search and detail grow from 10,000 to 100,000 to 1,000,000
// recommendations. Runs the listing benchmark (run.js) once per size and database, spread over
// several coalitions, and writes one table per database into docs/benchmarks.md:
//   node dist/bench/scale.js [--sizes 10000,100000,1000000] [--coalitions 4] [--seconds 3]
//     [--database postgres://…] [--only-database sqlite|postgres]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NO_ERROR_CONNECTIONS, RunFigures, TARGET_CONNECTIONS, TARGET_P95_MS } from './report';
import { machineLine, writeSection } from './sections';

export const SCALE_HEADING = '## Listing at 10,000, 100,000 and 1,000,000 (issue 14)';

interface ScaleArgs {
  sizes: number[];
  coalitions: number;
  seconds: number;
  databases: { name: RunFigures['database']; url?: string }[];
}

function parse(argv: string[]): ScaleArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '10000,100000,1000000' },
      coalitions: { type: 'string', default: '4' },
      seconds: { type: 'string', default: '3' },
      database: { type: 'string' },
      'only-database': { type: 'string' },
    },
  });
  const only = values['only-database'];
  const databases: ScaleArgs['databases'] = [];
  if (only !== 'postgres') databases.push({ name: 'SQLite' });
  if (values.database && only !== 'sqlite') databases.push({ name: 'PostgreSQL', url: values.database });
  return {
    sizes: values.sizes.split(',').map((s) => Number(s.replace(/_/g, ''))).sort((a, b) => a - b),
    coalitions: Number(values.coalitions),
    seconds: Number(values.seconds),
    databases,
  };
}

/** One listing benchmark in its own process; its figures come back as JSON (it writes no section itself). */
function runOnce(args: ScaleArgs, size: number, database: ScaleArgs['databases'][number], dir: string): RunFigures {
  const json = join(dir, `${database.name}-${size}.json`);
  const argv = [join(__dirname, 'run.js'), '--size', String(size), '--coalitions', String(args.coalitions), '--seconds', String(args.seconds),
    '--connections', `${TARGET_CONNECTIONS},${NO_ERROR_CONNECTIONS}`, '--json', json, ...(database.url ? ['--database', database.url] : [])];
  const run = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  // Exit code 1 with figures written means some request failed: the table shows it.
  const figures = JSON.parse(readFileSync(json, 'utf8')) as RunFigures;
  if (run.status !== 0 && run.status !== 1) throw new Error(`run.js --size ${size} on ${database.name} exited with ${run.status}`);
  return { ...figures, date: new Date(figures.date) };
}

/** A latency; '–' where there is none (no response within the measurement: NaN, which JSON makes null). */
const ms = (n: number | null | undefined) =>
  (n === undefined || n === null || !Number.isFinite(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** One table per database: a row per request, per size its p95 at 1 connection, its SQL alone and its failures at 50. */
export function renderScale(runs: RunFigures[]): string {
  const lines: string[] = [];
  for (const database of [...new Set(runs.map((r) => r.database))]) {
    const mine = runs.filter((r) => r.database === database).sort((a, b) => a.size - b.size);
    const sizes = mine.map((r) => r.size.toLocaleString('en-US'));
    lines.push(
      `### ${database}`, '',
      ...mine.map((r) => `- ${r.size.toLocaleString('en-US')}: ${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${r.databaseVersion}, ` +
        `load average ${r.loadAverage.toFixed(2)} at the start; ${r.tagRows.toLocaleString('en-US')} tags; seeding ${r.seedSeconds.toFixed(0)} s; ` +
        `${r.seconds} s per request and concurrency`),
      '',
      `| request | ${sizes.map((s) => `p95 at ${s}`).join(' | ')} | ${sizes.map((s) => `SQL alone p95 at ${s}`).join(' | ')} | ` +
        `${sizes.map((s) => `matches at ${s}`).join(' | ')} | failed at ${NO_ERROR_CONNECTIONS} conn. |`,
      `|---|${mine.map(() => '---:|').join('').repeat(3)}---:|`,
    );
    for (const request of mine[mine.length - 1].scenarios.map((s) => s.request)) {
      const at = mine.map((r) => r.scenarios.find((s) => s.request === request));
      const p95 = at.map((s) => s?.http.find((h) => h.connections === TARGET_CONNECTIONS)?.p95);
      const sql = at.map((s) => s?.database.p95);
      const matches = at.map((s) => (s?.matches === null || s?.matches === undefined ? '' : s.matches.toLocaleString('en-US')));
      const failed = at.reduce((n, s) => n + (s?.http.find((h) => h.connections === NO_ERROR_CONNECTIONS)?.failures ?? 0), 0);
      const p95Cells = p95.map((p) => (p !== undefined && p !== null && !(p < TARGET_P95_MS) ? `**${ms(p)}**` : ms(p)));
      lines.push(`| ${request.trim()} | ${p95Cells.join(' | ')} | ${sql.map(ms).join(' | ')} | ${matches.join(' | ')} | ${failed} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const INTRO = `\`node dist/bench/scale.js\` (bench/scale.ts) runs the listing benchmark (bench/run.ts) at each size, on a
fresh database each time, with the recommendations spread evenly over several coalitions, interleaved
in id order (row i is coalition i mod K's): the requests are one coalition's, so it holds a
K-th of the rows, and the others' rows lie between its own. p95 is of the HTTP response time at
${TARGET_CONNECTIONS} connection (the target: under ${TARGET_P95_MS} ms; bold where it is not met); "SQL alone" is the p95 of the
same SQL on the driver, one at a time (the page and its count; for /:id the row and its tags);
"failed" counts failed requests at ${NO_ERROR_CONNECTIONS} connections over all sizes. Milliseconds.`;

/**
 * The tables of the databases this run left out (--only-database), as the section holds them, so
 * that a run on one database does not erase the other's: each database takes most of an hour at
 * 1,000,000 and is best run alone on a quiet machine. Each kept table states its own dates and load.
 */
export function keptTables(file: string, run: Set<string>): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.indexOf(SCALE_HEADING);
  if (start < 0) return '';
  const kept: string[] = [];
  let keeping = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (line.startsWith('### ')) keeping = !run.has(line.slice(4).trim());
    if (keeping) kept.push(line);
  }
  return kept.length > 0 ? `\n${kept.join('\n').trimEnd()}\n` : '';
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'upr-scale-'));
  const machine = machineLine();
  try {
    const runs: RunFigures[] = [];
    for (const database of args.databases) for (const size of args.sizes) runs.push(runOnce(args, size, database, dir));
    const file = resolve(__dirname, '../../docs/benchmarks.md');
    const kept = keptTables(file, new Set(args.databases.map((d) => d.name)));
    writeSection(file, SCALE_HEADING, `${INTRO}\n\n- Machine: ${machine}\n- Coalitions: ${args.coalitions}\n\n${renderScale(runs)}${kept}`);
    console.log(`Wrote ${SCALE_HEADING} into ${file}.`);
    const failed = runs.some((r) => r.scenarios.some((s) => s.http.some((h) => h.failures > 0)));
    return failed ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code), (error) => {
    console.error(error);
    process.exit(1);
  });
}
