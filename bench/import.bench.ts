// Benchmark of issue 4: importing the five UPR Info files (41,066 rows) into an empty SQLite
// database through the application's importer, beside the ceiling: a bare better-sqlite3 prepared
// INSERT of the same parsed rows in one transaction.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadConfig } from '../config/app.config';
import { UsersService } from '../src/accounts/users.service';
import { AppModule } from '../src/app.module';
import { ImportsService } from '../src/imports/imports.service';
import { machineLine, withPeakMemory, writeSection } from './sections';

export const IMPORT_FILES = ['1-5.csv', '6-9.csv', '10-13.csv', '14-17.csv', '17-20.csv'];
/** Issue 4's targets: within 4× of the ceiling, under 300 MB of memory. */
export const IMPORT_TARGET_RATIO = 4;
export const IMPORT_TARGET_MB = 300;

export interface ImportBenchResult {
  rows: number;
  recommendations: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  baselineRssMb: number;
  ceilingSeconds: number;
  ceilingRowsPerSecond: number;
  ratio: number;
  /** The same recommendations and tag rows, already made, written bare into the application's schema: the writes alone. */
  floorSeconds: number;
  floorCpuSeconds: number;
  tagRows: number;
  /** CPU time of the process for the import and for the ceiling: far less moved than wall time by other work on the machine. */
  cpuSeconds: number;
  ceilingCpuSeconds: number;
}

export async function benchmarkImport(dataDir: string, files = IMPORT_FILES): Promise<ImportBenchResult> {
  const paths = files.map((f) => join(dataDir, 'upr-info', f));
  for (const path of paths) if (!existsSync(path)) throw new Error(`${path} is missing: the import benchmark needs ../shared/data`);
  const dir = mkdtempSync(join(tmpdir(), 'upr-import-bench-'));
  try {
    const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, DATA_DIR: dir, NOTIFY_DISPATCH: 'off' });
    const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
    const { user } = await app.get(UsersService).createWithCoalition({ email: 'bench@example.org', name: 'Bench', role: 'admin', password: 'a long enough password' }, 'Bench');
    const importer = app.get(ImportsService);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const { result, peakRssMb, baselineRssMb } = await withPeakMemory(async () => {
      let rows = 0;
      let recommendations = 0;
      for (const path of paths) {
        const summary = await importer.run(
          { fileName: basename(path), open: () => createReadStream(path), head: () => head(path) },
          { coalitionId: user.coalitionId, format: 'upr-info-csv', dryRun: false, partial: false },
        );
        rows += summary.rows;
        recommendations += summary.created;
      }
      return { rows, recommendations };
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuSeconds = cpuTotal(process.cpuUsage(cpu));
    await app.close();

    const { seconds: ceilingSeconds, cpuSeconds: ceilingCpuSeconds } = ceiling(paths, join(dir, 'ceiling.sqlite'));
    const floor = schemaFloor(join(dir, 'bench.sqlite'), join(dir, 'floor.sqlite'));
    return {
      ...result,
      seconds,
      rowsPerSecond: result.rows / seconds,
      peakRssMb,
      baselineRssMb,
      ceilingSeconds,
      ceilingRowsPerSecond: result.rows / ceilingSeconds,
      ratio: seconds / ceilingSeconds,
      floorSeconds: floor.seconds,
      floorCpuSeconds: floor.cpuSeconds,
      tagRows: floor.tagRows,
      cpuSeconds,
      ceilingCpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parse outside the clock, then time only the prepared INSERT of every row in one transaction. */
function ceiling(paths: string[], file: string): { seconds: number; cpuSeconds: number } {
  const rows = paths.flatMap((path) => parse(iconv.decode(readFileSync(path), 'macintosh'), { columns: false, from_line: 2, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true }) as string[][]);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE row (id INTEGER PRIMARY KEY, too TEXT, to_rgrp TEXT, to_org TEXT, text TEXT, from_state TEXT, from_rgrp TEXT, from_org TEXT, response TEXT, action TEXT, issue TEXT, session TEXT)');
  const insert = db.prepare('INSERT INTO row (too, to_rgrp, to_org, text, from_state, from_rgrp, from_org, response, action, issue, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  db.transaction(() => {
    for (const row of rows) insert.run(...row.slice(0, 11).concat(Array(Math.max(0, 11 - row.length)).fill(null)));
  })();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = cpuTotal(process.cpuUsage(cpu));
  db.close();
  return { seconds, cpuSeconds };
}

/**
 * What the import must write, without any of the work that decides it: the recommendations and tag
 * rows the importer made, read back from its database, inserted by bare prepared statements into a
 * copy of the application's schema emptied of them (its indexes; the full-text index and the
 * coalition's count filled in one statement each after the rows, as the importer fills them: a
 * per-row trigger that writes costs a statement journal per INSERT, see SqliteBulkWriter), in one
 * transaction. Only the writes are timed. No importer can be faster than this; if it is more than
 * 4× the ceiling, so is every importer.
 */
function schemaFloor(imported: string, file: string): { seconds: number; cpuSeconds: number; tagRows: number } {
  const source = new Database(imported, { readonly: true });
  const recommendations = source.prepare('SELECT id, coalition_id, cycle_id, paragraph, text, text_key, response, status, action_category, created_at, updated_at FROM recommendation ORDER BY id').raw().all() as unknown[][];
  const tags = source.prepare('SELECT recommendation_id, coalition_id, kind, value, position FROM recommendation_tag ORDER BY recommendation_id, kind, position').raw().all() as unknown[][];
  source.exec(`VACUUM INTO '${file.replace(/'/g, "''")}'`);
  source.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const triggerSql = (name: string) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(name) as string;
  const fullTextTrigger = triggerSql('recommendation_fts_insert');
  const countTrigger = triggerSql('coalition_recommendation_count_insert');
  db.exec(`DELETE FROM recommendation_tag; DELETE FROM recommendation; DELETE FROM coalition_recommendation_count; INSERT INTO recommendation_fts(recommendation_fts) VALUES ('delete-all'); VACUUM;`);
  const insertRecommendation = db.prepare('INSERT INTO recommendation (id, coalition_id, cycle_id, paragraph, text, text_key, response, status, action_category, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertTag = db.prepare('INSERT INTO recommendation_tag (recommendation_id, coalition_id, kind, value, position) VALUES (?, ?, ?, ?, ?)');
  const tagsOf = groupBy(tags, (tag) => tag[0] as number);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  db.transaction(() => {
    db.exec('DROP TRIGGER recommendation_fts_insert; DROP TRIGGER coalition_recommendation_count_insert');
    // Cycle by cycle, each cycle's recommendations and then their tags, in the importer's order.
    for (const cycle of groupBy(recommendations, (row) => row[2] as number).values()) {
      for (const row of cycle) insertRecommendation.run(...row);
      for (const row of cycle) for (const tag of tagsOf.get(row[0] as number) ?? []) insertTag.run(...tag);
    }
    db.exec('INSERT INTO recommendation_fts (rowid, text, coalition_id) SELECT id, text, coalition_id FROM recommendation');
    db.exec('INSERT INTO coalition_recommendation_count (coalition_id, n) SELECT coalition_id, COUNT(*) FROM recommendation GROUP BY coalition_id');
    db.exec(countTrigger);
    db.exec(fullTextTrigger);
  })();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = cpuTotal(process.cpuUsage(cpu));
  db.close();
  return { seconds, cpuSeconds, tagRows: tags.length };
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function cpuTotal(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  const buffer = Buffer.alloc(8192);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  await handle.close();
  return buffer.subarray(0, bytesRead);
}

export function renderImportSection(result: ImportBenchResult, files: string[]): string {
  const ratioMet = result.ratio <= IMPORT_TARGET_RATIO;
  const memoryMet = result.peakRssMb <= IMPORT_TARGET_MB;
  return [
    `\`npm run bench\` (bench/import.bench.ts) imports ${files.join(', ')} from ../shared/data/upr-info (Mac Roman, CR line ends)`,
    'with the application\'s importer (decode, parse, merge rows into recommendations, find or create each cycle, insert',
    'recommendations with their tags and full-text index, one transaction per file) into an empty SQLite database. The ceiling',
    'is a bare better-sqlite3 prepared INSERT of the same rows, already parsed, into one plain table, in one transaction.',
    '',
    `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- Machine: ${machineLine()}`,
    `- Data: ${result.rows.toLocaleString('en-US')} rows → ${result.recommendations.toLocaleString('en-US')} recommendations`,
    '',
    '| | seconds | CPU seconds | rows/s | peak memory (RSS) |',
    '|---|---:|---:|---:|---:|',
    `| importer, whole application | ${result.seconds.toFixed(2)} | ${result.cpuSeconds.toFixed(2)} | ${Math.round(result.rowsPerSecond).toLocaleString('en-US')} | ${result.peakRssMb.toFixed(0)} MB (${result.baselineRssMb.toFixed(0)} MB before the import) |`,
    `| ceiling: bare prepared INSERT, one transaction | ${result.ceilingSeconds.toFixed(2)} | ${result.ceilingCpuSeconds.toFixed(2)} | ${Math.round(result.ceilingRowsPerSecond).toLocaleString('en-US')} | |`,
    `| floor of any importer: the same ${result.recommendations.toLocaleString('en-US')} recommendations and ${result.tagRows.toLocaleString('en-US')} tag rows, already made, bare prepared INSERTs into the application's schema, one transaction | ${result.floorSeconds.toFixed(2)} | ${result.floorCpuSeconds.toFixed(2)} | ${Math.round(result.rows / result.floorSeconds).toLocaleString('en-US')} | |`,
    '',
    `Ratio importer / ceiling: **${result.ratio.toFixed(1)}×** (in CPU time ${(result.cpuSeconds / result.ceilingCpuSeconds).toFixed(1)}×); target within ${IMPORT_TARGET_RATIO}×: **${ratioMet ? 'met' : 'not met'}**. The writes alone (floor / ceiling) are already ${(result.floorSeconds / result.ceilingSeconds).toFixed(1)}× the ceiling: the schema's eight indexes on recommendation, the tag rows (the filters and the listing read them) and the full-text index are the difference; the importer's own work (decode, parse, merge, plan) is ${(result.seconds / result.floorSeconds).toFixed(1)}× the floor. Peak memory target under ${IMPORT_TARGET_MB} MB: **${memoryMet ? 'met' : 'not met'}**.`,
  ].join('\n');
}

/** Run alone (npm run build && node dist/bench/import.bench.js): rewrites its own section of docs/benchmarks.md. */
if (require.main === module) {
  benchmarkImport(resolve(__dirname, '../../../shared/data'))
    .then((r) => {
      const section = renderImportSection(r, IMPORT_FILES);
      writeSection(resolve(__dirname, '../../docs/benchmarks.md'), '## Import of the UPR Info export (issue 4)', section);
      console.log(section);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
