// `npm run bench`: every benchmark, one after another. The listing benchmark (bench/run.ts) runs
// in its own process; the import, notification and report benchmarks run here. Below the full
// size (--size under 100,000) everything is a smoke run at small sizes, written to
// docs/benchmarks-smoke.md so the published figures in docs/benchmarks.md stay as measured.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchmarkImport, IMPORT_FILES, renderImportSection } from './import.bench';
import { benchmarkNotifications, renderNotificationSection } from './notifications.bench';
import { benchmarkReport, REPORT_TARGET_MS } from './report.bench';
import { writeSection } from './sections';

const FULL_SIZE = 100_000;

async function main(argv: string[]): Promise<number> {
  const listing = spawnSync(process.execPath, [join(__dirname, 'run.js'), ...argv], { stdio: 'inherit' });
  if (listing.status !== 0) return listing.status ?? 1;

  const sizeIndex = argv.indexOf('--size');
  const size = sizeIndex >= 0 ? Number(argv[sizeIndex + 1]) : FULL_SIZE;
  const full = size >= FULL_SIZE;
  const file = resolve(__dirname, '../../docs', full ? 'benchmarks.md' : 'benchmarks-smoke.md');

  const data = resolve(__dirname, '../../../shared/data');
  if (existsSync(join(data, 'upr-info'))) {
    const files = full ? IMPORT_FILES : ['6-9.csv'];
    console.log(`Importing ${files.join(', ')}…`);
    const result = await benchmarkImport(data, files);
    writeSection(file, '## Import of the UPR Info export (issue 4)', renderImportSection(result, files));
    console.log(`import: ${result.rows} rows in ${result.seconds.toFixed(1)} s, ${result.ratio.toFixed(1)}× the ceiling, peak ${result.peakRssMb.toFixed(0)} MB`);
  } else {
    console.error(`${data} is absent: the import benchmark needs the real UPR Info files; skipped`);
    return 1;
  }

  const members = full ? 500 : 25;
  console.log(`Draining ${members * 20} reminders for ${members} members…`);
  const notifications = await benchmarkNotifications(members, 20);
  writeSection(file, '## Reminders due at once (issue 3, reliability scenario 8)', renderNotificationSection(notifications));
  console.log(`notifications: ${notifications.emails} emails, ${notifications.duplicates} duplicates, ${notifications.seconds.toFixed(1)} s`);
  if (notifications.duplicates > 0 || notifications.emails !== members) return 1;

  const reportSize = full ? FULL_SIZE : 2000;
  console.log(`Reporting on a cycle of ${reportSize} recommendations…`);
  const report = await benchmarkReport({ size: reportSize, runs: full ? 3 : 1, log: (line) => console.log(line) });
  writeSection(
    file,
    '## Cycle report (issue 4)',
    [
      `\`npm run bench\` (bench/report.bench.ts): GET /api/v1/cycles/:id/report on one cycle of ${report.size.toLocaleString('en-US')} recommendations`,
      `(${report.statusChanges.toLocaleString('en-US')} status changes, ${report.evidenceItems.toLocaleString('en-US')} evidence items), ${report.database}, timed from the request to the last byte; seeding took ${report.seedSeconds.toFixed(1)} s.`,
      `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Target: under ${REPORT_TARGET_MS / 1000} s.`,
      '',
      '| format | median | first byte (median) | size | target |',
      '|---|---:|---:|---:|---|',
      ...report.timings.map((t) => `| ${t.format} | ${(t.medianMs / 1000).toFixed(2)} s | ${(median(t.firstByteMs) / 1000).toFixed(2)} s | ${(t.bytes / 2 ** 20).toFixed(1)} MB | ${t.metTarget ? 'met' : 'not met'} |`),
    ].join('\n'),
  );
  return 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
