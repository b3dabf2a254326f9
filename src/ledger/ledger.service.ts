import { Injectable, StreamableFile } from '@nestjs/common';
import { notFound } from '../common/errors';
import { contentDisposition } from '../common/file-names';
import { FileStorage } from '../evidence/file-storage';
import { STATUS_LABELS, STATUSES } from '../recommendations/recommendation.vocabulary';
import { barChart, STATUS_COLORS } from '../reports/report-charts';
import { cycleTitle } from '../reports/reports.dto';
import type { PublicLedger, PublicRecommendation } from './ledger.dto';
import { LedgerRepository } from './ledger.repository';

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
  ) {}

  async publicLedger(cycleId: number): Promise<PublicLedger> {
    const cycle = await this.ledger.findPublishedCycle(cycleId);
    if (!cycle?.publishedAt) throw notFound('Public ledger', cycleId);
    const [rows, states, notes, evidence] = await Promise.all([
      this.ledger.listRecommendations(cycle.id),
      this.ledger.listRecommendingStates(cycle.id),
      this.ledger.listPublicNotes(cycle.id),
      this.ledger.listPublicEvidence(cycle.id),
    ]);
    const byId = new Map<number, PublicRecommendation>(rows.map((r) => [r.id, { ...r, recommendingStates: [], notes: [], evidence: [] }]));
    for (const s of states) byId.get(s.recommendationId)?.recommendingStates.push(s.value);
    for (const n of notes) byId.get(n.recommendationId)?.notes.push({ fromStatus: n.fromStatus, toStatus: n.toStatus, note: n.note, at: n.createdAt });
    for (const e of evidence) {
      // Links are validated as http(s) when given; checked again here because this page is public.
      const url = e.url && /^https?:\/\//i.test(e.url) ? e.url : null;
      byId.get(e.recommendationId)?.evidence.push({ id: e.id, kind: e.kind, title: e.title, url, fileName: e.fileName, hasFile: e.hasFile });
    }
    const byStatus = STATUSES.map((status) => ({ status, count: rows.filter((r) => r.status === status).length }));
    return {
      cycle: {
        id: cycle.id,
        title: cycleTitle(cycle),
        mechanism: cycle.mechanism,
        number: cycle.number,
        stateUnderReview: cycle.stateUnderReview,
        session: cycle.session,
        documentSymbol: cycle.documentSymbol,
        reviewDate: cycle.reviewDate,
        adoptionDate: cycle.adoptionDate,
        midTermReportDate: cycle.midTermReportDate,
        state: cycle.state,
        closedAt: cycle.closedAt,
        publishedAt: cycle.publishedAt,
      },
      totals: {
        recommendations: rows.length,
        assessed: rows.filter((r) => r.status !== 'not_assessed').length,
        publicNotes: notes.length,
        publicEvidence: evidence.length,
      },
      byStatus,
      statusChart: barChart('Recommendations by implementation status', byStatus.map((s) => ({ label: STATUS_LABELS[s.status], value: s.count, color: STATUS_COLORS[s.status] }))),
      recommendations: [...byId.values()],
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
