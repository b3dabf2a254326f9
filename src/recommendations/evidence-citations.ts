import type { EntityManager } from 'typeorm';

/** An evidence item a status change cites: what the change checks and its notices name. */
export interface CitedEvidence {
  id: number;
  title: string;
  confidential: boolean;
}

/**
 * What a status change asks of evidence. Evidence owns its table and provides this under
 * EVIDENCE_CITATIONS; recommendations only ask. (Evidence sits above recommendations: an evidence
 * item belongs to a recommendation, so recommendations cannot import evidence.)
 */
export interface EvidenceCitations {
  /**
   * Those of the given evidence items that belong to the recommendation, in id order, read in the
   * caller's transaction. Ids of other recommendations' evidence, or of none, are left out.
   */
  citable(recommendationId: number, evidenceIds: number[], manager: EntityManager): Promise<CitedEvidence[]>;
}

export const EVIDENCE_CITATIONS = Symbol('EVIDENCE_CITATIONS');
