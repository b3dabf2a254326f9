import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { INestApplicationContext, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Command, Option } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../reports/report-format';
import { ReportsService } from '../reports/reports.service';
import { CliError, describeError } from './cli-error';
import { parseId } from './parse-id';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';

type Boot = () => Promise<INestApplicationContext>;

/** `report --cycle ID --format F --out FILE`: the same report as GET /api/v1/cycles/:id/report. */
export function registerReportCommand(program: Command, boot: Boot, print: (line: string) => void): void {
  program
    .command('report')
    .description('Write the report of a cycle: counts by status, response, theme, recommending State and action category, implementation rates, overdue deadlines, recurring recommendations and the list')
    .requiredOption('--cycle <id>', 'the cycle (its id)')
    .addOption(new Option('--format <format>', 'json (everything), csv (the list), xlsx (summary and list), html or pdf (needs Chromium)').choices([...REPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <file>', 'the file to write (replaced if it exists)')
    .action(async (options: { cycle: string; format: ReportFormat; out: string }) => {
      const cycleId = parseId(options.cycle, '--cycle');
      const out = resolve(options.out);
      if (!existsSync(dirname(out))) throw new CliError(`--out: the folder ${dirname(out)} does not exist`);
      const app = await boot();
      const reports = app.get(ReportsService);
      const cycle = await reports.cycleForCommandLine(cycleId).catch((error) => {
        throw error instanceof NotFoundException ? new CliError(`--cycle: ${describeError(error)}`) : error;
      });
      const report = await reports.render(cycle.coalitionId, cycle.id, options.format).catch((error) => {
        throw error instanceof ServiceUnavailableException ? new CliError(describeError(error)) : error;
      });
      // Written beside the target and renamed into place: a failed run never leaves half a report under the name asked for.
      const temporary = `${out}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await pipeline(report.body, createWriteStream(temporary));
        await rename(temporary, out);
      } finally {
        await rm(temporary, { force: true });
      }
      const { size } = await stat(out);
      print(`Wrote the ${options.format} report of cycle ${cycle.id} (${cycleLabel(cycle)}) to ${out} (${size.toLocaleString('en-US')} bytes).`);
    });
}
