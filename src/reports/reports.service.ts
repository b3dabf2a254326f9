import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { contentDisposition } from '../common/file-names';
import { CyclesRepository } from '../cycles/cycles.repository';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { PdfPrinter } from './pdf-printer';
import { csvChunks } from './report-csv';
import { CONTENT_TYPES, type ReportFormat } from './report-format';
import { type CloseSection, htmlChunks } from './report-html';
import { jsonChunks } from './report-json';
import { xlsxStream } from './report-xlsx';
import { mapReportSummary, type ReportRecommendation, type ReportSummary } from './reports.dto';
import { ReportsRepository } from './reports.repository';

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

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly cycles: CyclesRepository,
    private readonly pdf: PdfPrinter,
    private readonly clock: Clock,
  ) {}

  /** The report of a cycle of the coalition (another coalition's cycle is "not found"). */
  async render(coalitionId: number, cycleId: number, format: ReportFormat, options: RenderOptions = {}): Promise<RenderedReport> {
    const cycle = await this.cycles.findInCoalition(coalitionId, cycleId);
    if (!cycle) throw notFound('Cycle', cycleId);
    // Before any work: without Chromium a PDF is refused at once (503).
    if (format === 'pdf') await this.pdf.assertAvailable();
    // The CSV is the list alone: no figures to count.
    if (format === 'csv') return { ...this.describe(cycle, format, options), body: Readable.from(csvChunks(this.reports.listCells(cycle.coalitionId, cycle.id))) };
    const summary = await this.summary(cycle);
    const report = this.describe(cycle, format, options);
    switch (format) {
      case 'json': {
        // The rows' JSON comes from the database as it is: never parsed and serialised again.
        const head = options.close ? { close: { ...options.close.section, ...options.close.details }, ...summary } : summary;
        return { ...report, body: Readable.from(jsonChunks(head, this.reports.listJson(cycle.coalitionId, cycle.id))) };
      }
      case 'xlsx':
        return { ...report, body: xlsxStream(summary, this.reports.listCells(cycle.coalitionId, cycle.id)) };
      case 'html':
        return { ...report, body: Readable.from(htmlChunks(summary, this.rows(cycle), options.close?.section)) };
      case 'pdf': {
        let html = '';
        for await (const part of htmlChunks(summary, this.rows(cycle), options.close?.section)) html += part;
        return { ...report, body: Readable.from([await this.pdf.print(html)]) };
      }
    }
  }

  private describe(cycle: ReviewCycle, format: ReportFormat, options: RenderOptions): Omit<RenderedReport, 'body'> {
    const fileName = `cycle-${cycle.id}-${options.close ? 'close' : 'report'}.${format}`;
    return { contentType: CONTENT_TYPES[format], fileName, disposition: contentDisposition(fileName, format === 'json' || format === 'html' ? 'inline' : 'attachment') };
  }

  /** The figures: each counted by the database in one GROUP BY, never by loading the rows. */
  async summary(cycle: ReviewCycle): Promise<ReportSummary> {
    const { coalitionId, id } = cycle;
    const [groups, themes, recommendingStates, evidence, overdue, recurring] = await Promise.all([
      this.reports.countByResponseStatusCategory(coalitionId, id),
      this.reports.countByTag(coalitionId, id, 'theme'),
      this.reports.countByTag(coalitionId, id, 'recommending_state'),
      this.reports.evidenceTotals(coalitionId, id),
      this.reports.findOverdueDeadlines(coalitionId, id, this.clock.now()),
      this.reports.findRecurring(coalitionId, id),
    ]);
    return mapReportSummary({ cycle, generatedAt: this.clock.now(), groups, themes, recommendingStates, evidence, overdue, recurring });
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
