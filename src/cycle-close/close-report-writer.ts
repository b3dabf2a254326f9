import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import type { CloseSection } from '../reports/report-html';
import { ReportsService } from '../reports/reports.service';
import type { CloseReportFiles, CloseSummary } from './cycle-close.dto';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';

const FORMATS = ['html', 'json'] as const;

/**
 * The cycle-close report, as HTML and JSON under <DATA_DIR>/reports/cycle-<id>-close.<format>.
 * Written after the close commits; each file goes to a temporary name first and is renamed into
 * place, so a crash never leaves half a report under the real name, and closing again writes
 * whichever file is missing.
 */
@Injectable()
export class CloseReportWriter {
  private readonly logger = new Logger('CloseReportWriter');
  private readonly dir: string;

  constructor(
    private readonly reports: ReportsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.dir = config.reports.reportsDir;
  }

  /** Absolute path of a close report, for the command line. */
  pathOf(cycleId: number, format: (typeof FORMATS)[number]): string {
    return join(this.dir, `cycle-${cycleId}-close.${format}`);
  }

  /** Paths relative to DATA_DIR (the API never shows the server's own paths); null for a file that could not be written. */
  async write(cycle: ReviewCycle, nextCycle: ReviewCycle, summary: CloseSummary): Promise<CloseReportFiles> {
    const section: CloseSection = {
      closedAt: summary.closedAt,
      nextCycleLabel: cycleLabel(nextCycle),
      nextCycleId: nextCycle.id,
      nextCycleCreated: summary.nextCycleCreated,
      carriedOver: summary.carried.length,
      alreadyInNextCycle: summary.alreadyInNextCycle.length,
      leftBehind: summary.fullyImplementedLeftBehind,
      deadlinesCompleted: summary.deadlinesCompleted.length,
    };
    const files: CloseReportFiles = { html: null, json: null };
    await mkdir(this.dir, { recursive: true });
    for (const format of FORMATS) {
      const target = this.pathOf(cycle.id, format);
      try {
        if (!(await exists(target))) {
          const report = await this.reports.render(cycle.coalitionId, cycle.id, format, { close: { section, details: summary } });
          const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
          try {
            await pipeline(report.body, createWriteStream(temporary, { mode: 0o640 }));
            await rename(temporary, target);
          } finally {
            await rm(temporary, { force: true });
          }
        }
        files[format] = `reports/cycle-${cycle.id}-close.${format}`;
      } catch (error) {
        // The close itself is committed; closing again writes the missing file.
        this.logger.error(`Could not write the ${format} close report of cycle ${cycle.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return files;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
