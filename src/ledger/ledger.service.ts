import { Injectable, StreamableFile } from '@nestjs/common';
import { notFound } from '../common/errors';
import { contentDisposition } from '../common/file-names';
import { FileStorage } from '../evidence/file-storage';
import { STATUSES } from '../vocabulary/recommendation.vocabulary';
import type { AppLabels } from '../i18n/app-labels';
import { barChart, STATUS_COLORS } from '../reports/report-charts';
import type { PublicLedger, PublicRecommendation } from './ledger.dto';
import { type LedgerRelatedCycleRow, LedgerRepository } from './ledger.repository';
import { StatesService } from '../states/states.service';
import type { Mechanism, Participation } from '../vocabulary/cycle.vocabulary';

/**
 * Recommendations on one page of the ledger. The page is public and asks nothing of its reader, so
 * its cost must not grow with the cycle: a cycle imported whole from a CSV can hold thousands.
 */
export const LEDGER_PAGE_SIZE = 200;

/** Types a browser may show inline without risk; any other upload is offered as a download of bytes. */
const INLINE_SAFE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'text/plain', 'text/csv']);

/**
 * The public ledger of a published cycle (no sign-in). An unpublished cycle, and any cycle of any
 * coalition that does not exist, is the same 404: the page does not tell which cycles exist.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly storage: FileStorage,
    private readonly states: StatesService,
  ) {}

  /**
   * One page of the ledger (LEDGER_PAGE_SIZE recommendations); the figures are the whole cycle's. A
   * page past the last is 404. Its words (the cycle's name, the participation note, the chart) in the
   * reader's language: in English exactly cycleLabel, participationNote and STATUS_LABELS (a test holds them equal).
   */
  async publicLedger(cycleId: number, page: number, labels: AppLabels): Promise<PublicLedger> {
    const cycle = await this.ledger.findPublishedCycle(cycleId);
    if (!cycle?.publishedAt) throw notFound('Public ledger', cycleId);
    const counts = await this.ledger.countForLedger(cycle.id);
    const total = [...counts.byStatus.values()].reduce((sum, n) => sum + n, 0);
    const pages = Math.max(1, Math.ceil(total / LEDGER_PAGE_SIZE));
    if (!Number.isSafeInteger(page) || page < 1 || page > pages) throw notFound('Public ledger page', page);
    const rows = await this.ledger.listRecommendations(cycle.id, (page - 1) * LEDGER_PAGE_SIZE, LEDGER_PAGE_SIZE);
    const [fromId, toId] = rows.length > 0 ? [rows[0].id, rows[rows.length - 1].id] : [0, -1];
    const [states, notes, evidence, excerpts, related, directory] = await Promise.all([
      this.ledger.listRecommendingStates(cycle.id, fromId, toId),
      this.ledger.listPublicNotes(cycle.id, fromId, toId),
      this.ledger.listPublicEvidence(cycle.id, fromId, toId),
      this.ledger.listPublicExcerpts(cycle.id, fromId, toId),
      this.ledger.listPublishedCyclesOfState(cycle),
      this.states.shippedDirectory(),
    ]);
    const codeOf = (name: string) => directory.byCanonicalName(name)?.code ?? null;
    const byId = new Map<number, PublicRecommendation>(rows.map((r) => [r.id, { ...r, recommendingStates: [], recommendingStateCodes: [], notes: [], evidence: [], excerpts: [] }]));
    for (const s of states) {
      const recommendation = byId.get(s.recommendationId);
      recommendation?.recommendingStates.push(s.value);
      recommendation?.recommendingStateCodes.push(codeOf(s.value));
    }
    for (const n of notes) byId.get(n.recommendationId)?.notes.push({ fromStatus: n.fromStatus, toStatus: n.toStatus, note: n.note, at: n.createdAt });
    for (const e of evidence) {
      // Links are validated as http(s) when given; checked again here because this page is public.
      const url = e.url && /^https?:\/\//i.test(e.url) ? e.url : null;
      byId.get(e.recommendationId)?.evidence.push({ id: e.id, kind: e.kind, title: e.title, url, fileName: e.fileName, hasFile: e.hasFile });
    }
    for (const x of excerpts) byId.get(x.recommendationId)?.excerpts.push(x.text);
    const byStatus = STATUSES.map((status) => ({ status, count: counts.byStatus.get(status) ?? 0 }));
    return {
      cycle: {
        id: cycle.id,
        title: labels.cycle(cycle),
        mechanism: cycle.mechanism,
        number: cycle.number,
        stateUnderReview: cycle.stateUnderReview,
        stateUnderReviewCode: codeOf(cycle.stateUnderReview),
        session: cycle.session,
        documentSymbol: cycle.documentSymbol,
        reviewDate: cycle.reviewDate,
        adoptionDate: cycle.adoptionDate,
        midTermReportDate: cycle.midTermReportDate,
        state: cycle.state,
        participation: cycle.participation,
        participationNote: participationNoteIn(labels, cycle),
        closedAt: cycle.closedAt,
        publishedAt: cycle.publishedAt,
      },
      totals: {
        recommendations: total,
        assessed: total - (counts.byStatus.get('not_assessed') ?? 0),
        publicNotes: counts.publicNotes,
        publicEvidence: counts.publicEvidence,
      },
      page: {
        number: page,
        pages,
        first: rows.length > 0 ? (page - 1) * LEDGER_PAGE_SIZE + 1 : 0,
        last: (page - 1) * LEDGER_PAGE_SIZE + rows.length,
        previous: page > 1 ? page - 1 : null,
        next: page < pages ? page + 1 : null,
      },
      byStatus,
      statusChart: barChart(labels.t('ledgerPage.chartTitle'), byStatus.map((s) => ({ label: labels.status(s.status), value: s.count, color: STATUS_COLORS[s.status] }))),
      recommendations: [...byId.values()],
      related: relatedCycles(labels, cycle.mechanism, related),
    };
  }

  /** A public evidence file of a published cycle; anything else (confidential, testimony, unpublished) is 404. */
  async publicFile(cycleId: number, evidenceId: number): Promise<StreamableFile> {
    const file = await this.ledger.findPublicFile(cycleId, evidenceId);
    if (!file) throw notFound('Evidence file', evidenceId);
    const type = file.mimeType && INLINE_SAFE_TYPES.has(file.mimeType) ? file.mimeType : 'application/octet-stream';
    return new StreamableFile(this.storage.open(file.sha256), { type, disposition: contentDisposition(file.fileName ?? `evidence-${evidenceId}`) });
  }
}

/**
 * The People's UPR beside the State's review (issue 13): a State's cycle links to the coalition's
 * own recommendations for that State, a People's UPR cycle to the State's reviews.
 */
function relatedCycles(labels: AppLabels, mechanism: Mechanism, cycles: LedgerRelatedCycleRow[]): PublicLedger['related'] {
  const own = mechanism === 'peoples_upr';
  const shown = cycles.filter((cycle) => (cycle.mechanism === 'peoples_upr') !== own).map((cycle) => ({ id: cycle.id, title: labels.cycle(cycle) }));
  if (shown.length === 0) return null;
  return { heading: labels.t(own ? 'ledgerPage.relatedState' : 'ledgerPage.relatedOwn'), cycles: shown };
}

/** participationNote (cycle.vocabulary) in the reader's language. */
function participationNoteIn(labels: AppLabels, cycle: { participation: Participation; stateUnderReview: string }): string | null {
  if (cycle.participation === 'did_not_participate') return labels.t('cyclePage.noteDidNotParticipate', { state: cycle.stateUnderReview });
  if (cycle.participation === 'postponed') return labels.t('cyclePage.notePostponed', { state: cycle.stateUnderReview });
  return null;
}
