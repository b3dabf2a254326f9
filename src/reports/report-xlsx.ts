import { PassThrough, Readable } from 'node:stream';
import { loadExcelJs } from '../common/lazy-modules';
import type { ReportSummary } from './reports.dto';
import { LIST_CELLS, type ListCells } from './report-list-sql';
import { spreadsheetSafe } from './spreadsheet-safe';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';

type Cell = string | number | null;

/** Column widths of the list sheet, in characters. */
const WIDTHS: Partial<Record<keyof ListCells, number>> = {
  id: 8, paragraph: 10, text: 80, recommending_states: 30, response: 16, status: 22, themes: 40, affected_persons: 25, sdgs: 14,
  last_status_note: 50, last_status_changed_at: 24, recommending_state_codes: 16, state_under_review: 30, state_under_review_code: 10,
};

/**
 * Two sheets: "Summary" (the figures) and "Recommendations" (the list, as in the CSV). Written
 * with exceljs's streaming writer, row by row, so memory stays flat for a large cycle. Every text
 * cell is made spreadsheet-safe, as in the CSV.
 */
export function xlsxStream(summary: ReportSummary, rows: AsyncIterable<ListCells[]>): Readable {
  const output = new PassThrough();
  write(summary, rows, output).catch((error) => output.destroy(error));
  return output;
}

async function write(summary: ReportSummary, rows: AsyncIterable<ListCells[]>, output: PassThrough): Promise<void> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'upr-followup';
  workbook.created = new Date(summary.generatedAt);

  const sheet = workbook.addWorksheet('Summary');
  sheet.columns = [{ width: 48 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 12 }];
  const add = (cells: Cell[], bold = false) => {
    const row = sheet.addRow(cells.map(safe));
    if (bold) row.font = { bold: true };
    row.commit();
  };
  const table = (title: string, header: string[], lines: Cell[][]) => {
    add([]);
    add([title], true);
    add(header, true);
    for (const line of lines) add(line);
  };
  add([`Follow-up report: ${cycleLabel(summary.cycle)}`], true);
  add(['State under review', summary.cycle.stateUnderReview, summary.cycle.stateUnderReviewCode]);
  add(['Session', summary.cycle.session]);
  add(['Document symbol', summary.cycle.documentSymbol]);
  add(['Cycle state', summary.cycle.state]);
  add(['State participation', summary.cycle.participation]);
  if (summary.cycle.participationNote) add([summary.cycle.participationNote]);
  add(['Generated at (UTC)', summary.generatedAt]);
  table('Totals', ['', 'count'], [
    ['Recommendations', summary.totals.recommendations],
    ['Voluntary pledges (counted apart)', summary.totals.voluntaryPledges],
    ['Recommendations with evidence', summary.totals.recommendationsWithEvidence],
    ['Evidence items', summary.totals.evidenceItems],
    ['Overdue deadlines', summary.totals.overdueDeadlines],
    ['Recurring from earlier cycles', summary.totals.recurring],
  ]);
  table('By status', ['status', 'recommendations'], summary.byStatus.map((s) => [s.status, s.count]));
  table('By State response', ['response', 'recommendations'], summary.byResponse.map((r) => [r.response, r.count]));
  table('Implementation by State response (rate: share of the assessed recommendations fully or partially implemented)',
    ['response', 'recommendations', 'assessed', 'not assessed yet', 'fully implemented', 'partially implemented', 'rate', 'in words'],
    Object.entries(summary.implementationRate).map(([response, r]) => [
      response, r.recommendations, r.assessed, r.notAssessed, r.fullyImplemented, r.partiallyImplemented, r.rate, r.summary,
    ]));
  table('By theme', ['theme', 'recommendations'], summary.byTheme.map((t) => [t.theme, t.count]));
  table('By recommending State', ['State', 'recommendations', 'code'], summary.byRecommendingState.map((s) => [s.state, s.count, s.code]));
  table('By action category', ['category', 'recommendations'], summary.byActionCategory.map((c) => [c.category === null ? c.label : `${c.category} ${c.label}`, c.count]));
  table('Overdue deadlines', ['title', 'kind', 'due date', 'paragraph'], summary.overdueDeadlines.map((d) => [d.title ?? d.kind, d.kind, d.dueDate, d.paragraph]));
  table('Recurring across cycles', ['paragraph', 'cycles', 'status', 'text'], summary.recurring.map((r) => [r.paragraph, r.summary, r.status, r.excerpt]));
  sheet.commit();

  const list = workbook.addWorksheet('Recommendations', { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = LIST_CELLS.map((key) => ({ header: key, key, width: WIDTHS[key] ?? 12 }));
  list.getRow(1).font = { bold: true };
  list.getRow(1).commit();
  for await (const chunk of rows) {
    for (const row of chunk) list.addRow(LIST_CELLS.map((key) => safe(row[key] ?? null))).commit();
  }
  list.commit();
  await workbook.commit();
}

function safe(value: Cell): Cell {
  return typeof value === 'string' ? spreadsheetSafe(value) : value;
}
