import type { Mechanism, Participation } from '../vocabulary/cycle.vocabulary';
import type { EvidenceKind } from '../vocabulary/evidence.vocabulary';
import type { ImplementationStatus, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';
import type { BarChart } from '../reports/report-charts';

/**
 * A published cycle as the public sees it. Built only from LedgerRepository's public columns:
 * there is no field here for a person, a private note or a confidential item to land in.
 */
export interface PublicLedger {
  cycle: {
    id: number;
    title: string;
    mechanism: Mechanism;
    number: number;
    /** The canonical name, and its ISO 3166 alpha-3 code (null for a name kept as written before issue 12). */
    stateUnderReview: string;
    stateUnderReviewCode: string | null;
    session: string | null;
    documentSymbol: string | null;
    reviewDate: string | null;
    adoptionDate: string | null;
    midTermReportDate: string | null;
    state: 'open' | 'closed';
    /** Whether the State took part in the review, and what the page says of it (null: it took part). */
    participation: Participation;
    participationNote: string | null;
    closedAt: Date | null;
    publishedAt: Date;
  };
  /** The figures are the whole cycle's. */
  totals: { recommendations: number; assessed: number; publicNotes: number; publicEvidence: number };
  /** Which recommendations this page holds: `first` to `last` (1-based) of totals.recommendations. */
  page: { number: number; pages: number; first: number; last: number; previous: number | null; next: number | null };
  byStatus: { status: ImplementationStatus; count: number }[];
  statusChart: BarChart;
  /** The recommendations of this page. */
  recommendations: PublicRecommendation[];
  /**
   * Beside a State's review: the coalition's own recommendations for the same State (its published
   * People's UPR cycles). Beside a People's UPR cycle: the State's published reviews.
   */
  related: { heading: string; cycles: { id: number; title: string }[] } | null;
}

export interface PublicRecommendation {
  id: number;
  paragraph: string | null;
  text: string;
  recommendingStates: string[];
  /** The alpha-3 code of each recommending State, in the same order; null for a name that is no State. */
  recommendingStateCodes: (string | null)[];
  response: RecommendationResponse;
  status: ImplementationStatus;
  notes: { fromStatus: ImplementationStatus; toStatus: ImplementationStatus; note: string; at: Date }[];
  evidence: PublicEvidence[];
  /** Anonymised excerpts of testimonies linked to it, as the coordinators wrote them (with the person's consent). */
  excerpts: string[];
}

export interface PublicEvidence {
  id: number;
  kind: EvidenceKind;
  title: string;
  /** A link given as evidence. */
  url: string | null;
  /** An uploaded file, served by GET /ledger/:cycleId/evidence/:id. */
  fileName: string | null;
  hasFile: boolean;
}
