import { Global, Module } from '@nestjs/common';
import { AccountRecipients } from './accounts/account-recipients';
import { AccountsModule } from './accounts/accounts.module';
import { DeadlineStatesOfDeadlines } from './deadlines/deadline-states';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { CitableEvidence } from './evidence/citable-evidence';
import { EvidenceArrivalsOfEvidence } from './evidence/evidence-arrivals';
import { EvidenceModule } from './evidence/evidence.module';
import { DEADLINE_STATES, EVIDENCE_ARRIVALS } from './notifications/notice-checks';
import { RECIPIENTS } from './notifications/recipients';
import { EVIDENCE_CITATIONS } from './recommendations/evidence-citations';
import { CYCLE_RESPONSES } from './cycles/cycle-responses';
import { CycleResponsesOfRecommendations } from './recommendations/cycle-responses-of-recommendations';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { TESTIMONY_LINKS } from './testimonies/testimony-links';
import { TestimonyLinksService } from './triage/testimony-links.service';
import { TriageModule } from './triage/triage.module';

/**
 * The narrow interfaces a lower module declares and a higher one implements (dependency inversion):
 * notifications asks accounts who a person is, and deadlines and evidence whether a notice is still
 * due; a status change asks evidence which cited items belong to the recommendation; a cycle edit asks
 * recommendations to record that a State that did not participate responded to nothing; a testimony's
 * withdrawal asks the triage to remove its links to recommendations. A lower module
 * cannot import the higher one's Nest module (that one imports it), so the implementations are bound
 * here, where the application is put together, and made global; only these tokens are visible (Nest
 * does not let a module export a token of a module it imports, and exporting the whole modules
 * would hand everyone their services).
 */
@Global()
@Module({
  imports: [AccountsModule, DeadlinesModule, EvidenceModule, RecommendationsModule, TriageModule],
  providers: [
    { provide: RECIPIENTS, useExisting: AccountRecipients },
    { provide: DEADLINE_STATES, useExisting: DeadlineStatesOfDeadlines },
    { provide: EVIDENCE_ARRIVALS, useExisting: EvidenceArrivalsOfEvidence },
    { provide: EVIDENCE_CITATIONS, useExisting: CitableEvidence },
    { provide: CYCLE_RESPONSES, useExisting: CycleResponsesOfRecommendations },
    { provide: TESTIMONY_LINKS, useExisting: TestimonyLinksService },
  ],
  exports: [RECIPIENTS, DEADLINE_STATES, EVIDENCE_ARRIVALS, EVIDENCE_CITATIONS, CYCLE_RESPONSES, TESTIMONY_LINKS],
})
export class PortsModule {}
