import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CitedEvidence, EvidenceCitations } from '../recommendations/evidence-citations';
import { EvidenceRepository } from './evidence.repository';

/** What a status change needs to know of evidence (recommendations/evidence-citations.ts), from the evidence table. */
@Injectable()
export class CitableEvidence implements EvidenceCitations {
  constructor(private readonly evidence: EvidenceRepository) {}

  citable(recommendationId: number, evidenceIds: number[], manager: EntityManager): Promise<CitedEvidence[]> {
    return this.evidence.findCitable(recommendationId, evidenceIds, manager);
  }
}
