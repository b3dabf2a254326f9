import { Global, Module } from '@nestjs/common';
import { CitableEvidence } from './evidence/citable-evidence';
import { EvidenceModule } from './evidence/evidence.module';
import { EVIDENCE_CITATIONS } from './recommendations/evidence-citations';

/**
 * Gives recommendations' status changes what evidence answers about citable evidence
 * (EVIDENCE_CITATIONS). RecommendationsModule cannot import EvidenceModule, which imports it (an
 * evidence item belongs to a recommendation), so the binding is made here, where the application is
 * put together, and is global: StatusService gets the token without its module naming evidence.
 */
@Global()
@Module({
  imports: [EvidenceModule],
  providers: [{ provide: EVIDENCE_CITATIONS, useExisting: CitableEvidence }],
  exports: [EVIDENCE_CITATIONS],
})
export class EvidenceCitationsModule {}
