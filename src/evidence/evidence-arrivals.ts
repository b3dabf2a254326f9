import { Injectable } from '@nestjs/common';
import type { EvidenceArrivals } from '../notifications/notice-checks';
import { EvidenceRepository } from './evidence.repository';

/** Evidence's answer to the dispatcher's "did evidence arrive" (provided as EVIDENCE_ARRIVALS). */
@Injectable()
export class EvidenceArrivalsOfEvidence implements EvidenceArrivals {
  constructor(private readonly evidence: EvidenceRepository) {}

  arrivedSince(recommendationId: number, since: Date): Promise<boolean> {
    return this.evidence.existsForRecommendationSince(recommendationId, since);
  }
}
