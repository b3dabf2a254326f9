import { Readable } from 'node:stream';
import { HttpStatus, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { contentDisposition } from '../common/file-names';
import { WorkQueue } from '../common/work-queue';
import { CyclesRepository } from '../cycles/cycles.repository';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { PdfPrinter } from './pdf-printer';
import { csvChunks } from './report-csv';
import { CONTENT_TYPES, type ReportFormat } from './report-format';
import { type CloseSection, htmlChunks } from './report-html';
import { jsonChunks } from './report-json';
import { xlsxStream } from './report-xlsx';
import { mapReportSummary, type ReportRecommendation, type ReportSummary } from './reports.dto';
import { type ListCells, ReportsRepository } from './reports.repository';
import { StatesService } from '../states/states.service';

export interface RenderedReport {
  contentType: string;
  fileName: string;
  /** Content-Disposition: JSON and HTML open in place, the others download. */
  disposition: string;
  /** Streams as it is read: the list is fetched chunk by chunk while the body is being sent. */
  body: Readable;
}

export interface RenderOptions {
  /** Makes it a cycle-close report: what the close did, at the top (details: in the JSON only). */
  close?: { section: CloseSection; details: object };
}

/** Longest wait for a turn to send a report. */
const REPORT_WAIT_MS = 60_000;

@Injectable()
export class ReportsService {
  /** Turns for the streamed formats (PDF has its own, in PdfPrinter): a turn lasts until the last byte is sent. */
  private readonly streams: WorkQueue;
  private readonly pdfMaxRecommendations: number;

  constructor(
    private readonly reports: ReportsRepository,
    private readonly cycles: CyclesRepository,
    private readonly pdf: PdfPrinter,
    private readonly clock: Clock,
    private readonly states: StatesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const { reportConcurrency, reportQueueMax, pdfMaxRecommendations } = config.reports;
    this.pdfMaxRecommendations = pdfMaxRecommendations;
    this.streams = new WorkQueue({
      name: 'reports', doing: 'being sent', settings: `REPORT_CONCURRENCY=${reportConcurrency}, REPORT_QUEUE_MAX=${reportQueueMax}`,
      concurrency: reportConcurrency, maxQueued: reportQueueMax, maxWaitMs: REPORT_WAIT_MS, expectedTurnMs: 1000,
    });
  }

  /** Streamed reports being sent and waiting (for health checks and tests). */
  get load(): { running: number; waiting: number } {
    return this.streams.stats;
  }

  /** The report of a cycle of the coalition (another coalition's cycle is "not found"). */
  async render(coalitionId: number, cycleId: number, format: ReportFormat, options: RenderOptions = {}): Promise<RenderedReport> {
    const cycle = await this.cycles.findInCoalition(coalitionId, cycleId);
    if (!cycle) throw notFound('Cycle', cycleId);
    if (format === 'pdf') return this.renderPdf(cycle, options);
    // A close report is written once per close, after its commit: it skips the queue, so that a
    // busy moment never leaves a close without its report.
    const release = options.close ? () => undefined : await this.streams.acquire();
    try {
      const report = await this.renderStream(cycle, format, options);
      // Ended, failed, or destroyed because the client went away: the turn is over.
      report.body.once('close', release);
      return report;
    } catch (error) {
      release();
      throw error;
    }
  }

  private async renderStream(cycle: ReviewCycle, format: Exclude<ReportFormat, 'pdf'>, options: RenderOptions): Promise<RenderedReport> {
    // The CSV is the list alone: no figures to count.
    if (format === 'csv') {
      const code = (await this.states.shippedDirectory()).byCanonicalName(cycle.stateUnderReview)?.code ?? null;
      const list = (lineEnd: string) => this.reports.listCsvText(cycle.coalitionId, cycle.id, lineEnd);
      return { ...this.describe(cycle, format, options), body: Readable.from(csvChunks(list, cycle.stateUnderReview, code)) };
    }
    // The list is read from now on (ahead, in the read worker on SQLite) while the figures are counted.
    const list = format === 'json' ? this.reports.listJsonText(cycle.coalitionId, cycle.id) : null;
    const summary = await this.summary(cycle);
    const report = this.describe(cycle, format, options);
    switch (format) {
      case 'json': {
        // The rows' JSON comes from the database as it is: never parsed and serialised again.
        const head = options.close ? { close: { ...options.close.section, ...options.close.details }, ...summary } : summary;
        return { ...report, body: Readable.from(jsonChunks(head, list!)) };
      }
      case 'xlsx':
        return { ...report, body: xlsxStream(summary, await this.cells(cycle)) };
      case 'html':
        return { ...report, body: Readable.from(htmlChunks(summary, this.rows(cycle), options.close?.section)) };
    }
  }

  /**
   * The HTML page printed by Chromium, for cycles up to PDF_MAX_RECOMMENDATIONS: Chromium's memory
   * grows with the page. Without Chromium it is refused before any work (503).
   */
  private async renderPdf(cycle: ReviewCycle, options: RenderOptions): Promise<RenderedReport> {
    await this.pdf.assertAvailable();
    const summary = await this.summary(cycle);
    const count = summary.totals.recommendations;
    if (count > this.pdfMaxRecommendations) {
      const limit = this.pdfMaxRecommendations.toLocaleString('en-US');
      throw new UnprocessableEntityException({
        statusCode: HttpStatus.UNPROCESSABLE_ENTITY,
        error: 'Unprocessable Entity',
        message: `This cycle has ${count.toLocaleString('en-US')} recommendations; a PDF report holds at most ${limit} (PDF_MAX_RECOMMENDATIONS). ` +
          'Ask for format=html (the same report, which a browser can print) or format=xlsx',
        details: [{ field: 'format', problem: `pdf is limited to cycles of at most ${limit} recommendations`, allowed: ['json', 'csv', 'xlsx', 'html'] }],
      });
    }
    const pdf = await this.pdf.print(async () => {
      let html = '';
      for await (const part of htmlChunks(summary, this.rows(cycle), options.close?.section)) html += part;
      return html;
    });
    return { ...this.describe(cycle, 'pdf', options), body: Readable.from([pdf]) };
  }

  private describe(cycle: ReviewCycle, format: ReportFormat, options: RenderOptions): Omit<RenderedReport, 'body'> {
    const fileName = `cycle-${cycle.id}-${options.close ? 'close' : 'report'}.${format}`;
    return { contentType: CONTENT_TYPES[format], fileName, disposition: contentDisposition(fileName, format === 'json' || format === 'html' ? 'inline' : 'attachment') };
  }

  /** The figures: each counted by the database in one GROUP BY, never by loading the rows. */
  async summary(cycle: ReviewCycle): Promise<ReportSummary> {
    const { coalitionId, id } = cycle;
    const [groups, themes, recommendingStates, evidence, overdue, recurring, carried, directory, excerpts] = await Promise.all([
      this.reports.countByResponseStatusCategory(coalitionId, id),
      this.reports.countByTag(coalitionId, id, 'theme'),
      this.reports.countByTag(coalitionId, id, 'recommending_state'),
      this.reports.evidenceTotals(coalitionId, id),
      this.reports.findOverdueDeadlines(coalitionId, id, this.clock.now()),
      this.reports.findRecurring(coalitionId, id),
      this.reports.countCarried(coalitionId, id),
      this.states.shippedDirectory(),
      this.reports.findTestimonyExcerpts(coalitionId, id),
    ]);
    const stateCode = (name: string) => directory.byCanonicalName(name)?.code ?? null;
    return mapReportSummary({ cycle, generatedAt: this.clock.now(), groups, themes, recommendingStates, evidence, overdue, recurring, carried, stateCode, excerpts });
  }

  /** The spreadsheet list, each row with the State under review and its code (the same on every row: a file can be combined with others). */
  private async cells(cycle: ReviewCycle): Promise<AsyncIterable<ListCells[]>> {
    const code = (await this.states.shippedDirectory()).byCanonicalName(cycle.stateUnderReview)?.code ?? null;
    const rows = this.reports.listCells(cycle.coalitionId, cycle.id);
    return (async function* withState() {
      for await (const chunk of rows) {
        for (const row of chunk) {
          row.state_under_review = cycle.stateUnderReview;
          row.state_under_review_code = code;
        }
        yield chunk;
      }
    })();
  }

  /** The list as objects, for the HTML page. */
  async *rows(cycle: ReviewCycle): AsyncGenerator<ReportRecommendation[]> {
    for await (const chunk of this.reports.listJson(cycle.coalitionId, cycle.id)) yield chunk.map((row) => JSON.parse(row) as ReportRecommendation);
  }

  /** A cycle of any coalition, for the command line (whose operator runs the service and has no signed-in user). */
  async cycleForCommandLine(cycleId: number): Promise<ReviewCycle> {
    const cycle = await this.cycles.findById(cycleId);
    if (!cycle) throw notFound('Cycle', cycleId);
    return cycle;
  }
}
