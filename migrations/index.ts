import { CreateCoreSchema1795953000000 } from './1795953000000-create-core-schema';
import { AddRecommendationFullTextSearch1795953100000 } from './1795953100000-add-recommendation-full-text-search';
import { AddNotificationOutbox1795954100000 } from './1795954100000-add-notification-outbox';
import { AddRecommendationCoalitionIdIndex1795954900000 } from './1795954900000-add-recommendation-coalition-id-index';
import { AddRecommendationTextKey1795955000000 } from './1795955000000-add-recommendation-text-key';
import { AddLineageSuggestion1795956000010 } from './1795956000010-add-lineage-suggestion';
import { AddCycleClose1795956000020 } from './1795956000020-add-cycle-close';
import { AddReportIndexes1795956000030 } from './1795956000030-add-report-indexes';
import { AddRecommendationTagCoalitionId1795957000010 } from './1795957000010-add-recommendation-tag-coalition-id';
import { AddWebAccounts1795958000000 } from './1795958000000-add-web-accounts';
import { MakeTestimonyConfidential1795959100000 } from './1795959100000-make-testimony-confidential';
import { AddUserSignInEmail1795959200000 } from './1795959200000-add-user-sign-in-email';
import { MoveNotificationSettings1795959300000 } from './1795959300000-move-notification-settings';
import { AddStates1795960100000 } from './1795960100000-add-states';
import { AddAuditTrail1795960400000 } from './1795960400000-add-audit-trail';
import { AddRecommendationKind1795960500000 } from './1795960500000-add-recommendation-kind';
import { AddCycleParticipation1795960500010 } from './1795960500010-add-cycle-participation';
import { CarryOverAsLinks1795960500020 } from './1795960500020-carry-over-as-links';
import { AddAuditEntryRecommendation1795960600000 } from './1795960600000-add-audit-entry-recommendation';
import { AddThemes1795961000000 } from './1795961000000-add-themes';
import { AddEvidenceRemovedAt1795962000000 } from './1795962000000-add-evidence-removed-at';
import { FileCarriedDeadlinesUnderOpenCycle1795963000000 } from './1795963000000-file-carried-deadlines-under-open-cycle';
import { AddInstanceSetup1795964000000 } from './1795964000000-add-instance-setup';
import { AddTestimonyIntake1795965000000 } from './1795965000000-add-testimony-intake';
import { AddCoalitionVocabularyAlias1795966000000 } from './1795966000000-add-coalition-vocabulary-alias';
import { AddTestimonyFileKey1795967000000 } from './1795967000000-add-testimony-file-key';
import { AddSdgTargetTitles1795968500000 } from './1795968500000-add-sdg-target-titles';
import { AddTestimonyTriage1795969000000 } from './1795969000000-add-testimony-triage';
import { AddUserLanguage1795969500000 } from './1795969500000-add-user-language';
import { AddRecommendationSearchDocument1795970000000 } from './1795970000000-add-recommendation-search-document';
import { AddCoalitionRecommendationCount1795970100000 } from './1795970100000-add-coalition-recommendation-count';
import { AddRecommendationSearchTags1795970200000 } from './1795970200000-add-recommendation-search-tags';
import { WidenReportCountsIndex1795970350000 } from './1795970350000-widen-report-counts-index';
import { AddNotificationUnassignedIndex1795970610000 } from './1795970610000-add-notification-unassigned-index';
import { AddRecommendationSuccessorsIndex1795970700000 } from './1795970700000-add-recommendation-successors-index';

/** In order. Listed explicitly so the compiled app, the CLI and Jest run exactly the same set. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [
  CreateCoreSchema1795953000000,
  AddRecommendationFullTextSearch1795953100000,
  AddNotificationOutbox1795954100000,
  AddRecommendationCoalitionIdIndex1795954900000,
  AddRecommendationTextKey1795955000000,
  AddLineageSuggestion1795956000010,
  AddCycleClose1795956000020,
  AddReportIndexes1795956000030,
  AddRecommendationTagCoalitionId1795957000010,
  AddWebAccounts1795958000000,
  MakeTestimonyConfidential1795959100000,
  AddUserSignInEmail1795959200000,
  MoveNotificationSettings1795959300000,
  AddStates1795960100000,
  AddAuditTrail1795960400000,
  AddRecommendationKind1795960500000,
  AddCycleParticipation1795960500010,
  CarryOverAsLinks1795960500020,
  AddAuditEntryRecommendation1795960600000,
  AddThemes1795961000000,
  AddEvidenceRemovedAt1795962000000,
  FileCarriedDeadlinesUnderOpenCycle1795963000000,
  AddInstanceSetup1795964000000,
  AddTestimonyIntake1795965000000,
  AddCoalitionVocabularyAlias1795966000000,
  AddTestimonyFileKey1795967000000,
  AddSdgTargetTitles1795968500000,
  AddTestimonyTriage1795969000000,
  AddUserLanguage1795969500000,
  AddRecommendationSearchDocument1795970000000,
  AddCoalitionRecommendationCount1795970100000,
  AddRecommendationSearchTags1795970200000,
  WidenReportCountsIndex1795970350000,
  AddNotificationUnassignedIndex1795970610000,
  AddRecommendationSuccessorsIndex1795970700000,
];
