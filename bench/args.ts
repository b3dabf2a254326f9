import { parseArgs } from 'node:util';

/** The size the published figures are for; anything smaller is a smoke run. */
export const FULL_SIZE = 100_000;

/**
 * One person's request (issue 2's listing target is judged here), a busy moment (throughput under
 * load; issue 6's status-change target is judged here), and 50 concurrent clients (issue 6: no
 * request may fail). Every request is measured at each, in this order.
 */
export const DEFAULT_CONNECTIONS = [1, 10, 50];

export interface BenchArgs {
  size: number;
  /** Seconds of measured load per scenario and per concurrency (after the scenario's warm-up). */
  seconds: number;
  /** Seconds of unmeasured load before each scenario is measured. */
  warmupSeconds: number;
  /** Seconds the "database alone" ceiling of each scenario runs for. */
  ceilingSeconds: number;
  /** Concurrent HTTP connections, measured one after the other. */
  connections: number[];
  /** Coalitions the recommendations are spread over, evenly; the first one's requests are measured. */
  coalitions: number;
  /** Leave the seeded database (SQLite file or PostgreSQL schema) in place afterwards, for EXPLAIN. */
  keep: boolean;
  /** Where to write the run's figures as JSON too (bench/scale.ts reads them), if anywhere. */
  json?: string;
  /** PostgreSQL URL; absent means a fresh SQLite file. */
  database?: string;
  /** Only the scenarios whose label contains this text (e.g. "status"); figures are then not written. */
  only?: string;
  /** Where the server process and the reminders benchmark's process write their CPU profiles (node --cpu-prof), if anywhere. */
  cpuProfDir?: string;
  /** Members of the reminders benchmark, one run per figure (20 reminders each); empty: the size's default. */
  reminderMembers: number[];
}

export const USAGE = `npm run bench -- [--size N] [--coalitions K] [--seconds S] [--connections C,C…] [--database postgres://user@host:5432/db]
  --size         recommendations to load (default ${FULL_SIZE}; smaller is a smoke run, written to docs/benchmarks-smoke.md,
                 with short durations so that it finishes within a minute)
  --coalitions   coalitions the recommendations are spread over, evenly and interleaved (default 1); the first one's
                 requests are measured, so it holds size ÷ K of them
  --seconds      measured seconds per request and concurrency (default 10 at full size, 0.5 below)
  --connections  concurrent HTTP connections, comma-separated (default ${DEFAULT_CONNECTIONS.join(',')}); the target is
                 judged at 1 connection, the others are reported as throughput under load
  --database     benchmark PostgreSQL instead of SQLite, in a fresh schema that is dropped afterwards
  --warmup       seconds of unmeasured load before each request is measured (default 1-2 at full size, 0.25 below)
  --only         only the requests whose label contains this text (e.g. "status"); nothing is written to docs/
  --keep         leave the seeded database in place afterwards (its file or schema is printed), to EXPLAIN its queries
  --json         write the run's figures to this file, as JSON, instead of into docs/
  --cpu-prof-dir run the server (and each reminders run's process) under node --cpu-prof, writing its profile into this directory
  --reminder-members  members of the reminders benchmark, comma-separated, one run each with 20 reminders per member
                 (default 500 at full size, 25 below; 500,5000 adds the 100,000-reminder run)`;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string' },
      coalitions: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      database: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
      'reminder-members': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const size = wholeNumber('size', values.size, FULL_SIZE);
  const full = size >= FULL_SIZE;
  const seconds = positiveNumber('seconds', values.seconds, full ? 10 : 0.5);
  const database = values.database;
  if (database !== undefined && !/^postgres(ql)?:\/\/.+/.test(database)) throw new Error(`--database must be a postgres:// URL\n${USAGE}`);
  const connections = values.connections === undefined
    ? DEFAULT_CONNECTIONS
    : [...new Set(values.connections.split(',').map((c) => wholeNumber('connections', c.trim(), 0)))].sort((a, b) => a - b);
  return {
    size,
    seconds,
    // A smoke run (CI runs --size 2000 and wants it within a minute, beside the other benchmarks)
    // only proves that every request works and gives rough figures: a quarter second of warm-up
    // settles the JIT enough, and half a second gives a few hundred samples per concurrency.
    warmupSeconds: positiveNumber('warmup', values.warmup, full ? Math.min(2, Math.max(1, Math.floor(seconds / 5))) : 0.25),
    ceilingSeconds: full ? Math.min(3, seconds) : 0.25,
    connections,
    coalitions: wholeNumber('coalitions', values.coalitions, 1),
    json: values.json,
    keep: values.keep ?? false,
    database,
    only: values.only,
    cpuProfDir: values['cpu-prof-dir'],
    reminderMembers: values['reminder-members'] === undefined ? [] : values['reminder-members'].split(',').map((m) => wholeNumber('reminder-members', m.trim(), 0)),
  };
}

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a number above 0, not "${raw}"\n${USAGE}`);
  return value;
}

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number above 0, not "${raw}"\n${USAGE}`);
  return value;
}
