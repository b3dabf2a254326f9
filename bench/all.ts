// `npm run bench`: every benchmark, one after another. The listing benchmark (bench/run.ts) runs
// in its own process, and so does each reminders run (its peak RSS is its own); the import and
// report benchmarks run here. Below the full
// size (--size under 100,000) everything is a smoke run at small sizes, written to
// docs/benchmarks-smoke.md so the published figures in docs/benchmarks.md stay as measured.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { benchmarkImport, IMPORT_FILES, renderImportSection } from './import.bench';
import { parseBenchArgs } from './args';
import { benchmarkNotificationsInProcess, type NotificationBenchResult, renderNotificationSection } from './notifications.bench';
import { benchmarkReport, renderReportSection } from './report.bench';
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

  const { reminderMembers, cpuProfDir } = parseBenchArgs(argv);
  const reminderRuns: NotificationBenchResult[] = [];
  for (const members of reminderMembers.length > 0 ? reminderMembers : [full ? 500 : 25]) {
    console.log(`Draining ${members * 20} reminders for ${members} members…`);
    const notifications = await benchmarkNotificationsInProcess(members, 20, cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []);
    reminderRuns.push(notifications);
    console.log(`notifications: ${notifications.emails} emails, ${notifications.duplicates} duplicates, ${notifications.seconds.toFixed(1)} s, ${notifications.cpuMsPerEmail.toFixed(1)} ms CPU per email`);
    if (notifications.duplicates > 0 || notifications.emails !== members) return 1;
  }
  writeSection(file, '## Reminders due at once (issue 3, reliability scenario 8)', renderNotificationSection(reminderRuns));

  const reportSize = full ? FULL_SIZE : 2000;
  console.log(`Reporting on a cycle of ${reportSize} recommendations…`);
  const loadAverage = loadavg()[0];
  const report = await benchmarkReport({ size: reportSize, runs: full ? 3 : 1, log: (line) => console.log(line) });
  writeSection(file, '## Cycle report (issue 4)', renderReportSection(report, loadAverage));
  return 0;
}


main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
