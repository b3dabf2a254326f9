import { AccountLink } from './accounts/account-link.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { ApiToken } from './accounts/api-token.entity';
import { Coalition } from './accounts/coalition.entity';
import { InstanceSetup } from './accounts/instance-setup.entity';
import { User } from './accounts/user.entity';
import { WebSession } from './accounts/web-session.entity';
import { ReviewCycle } from './cycles/review-cycle.entity';
import { Deadline, DeadlineAssignee } from './deadlines/deadline.entity';
import { Evidence } from './evidence/evidence.entity';
import { LineageSuggestion } from './lineage/lineage-suggestion.entity';
import { AppSecret } from './database/app-secret.entity';
import { Digest } from './notifications/digest.entity';
import { EmailSuppression } from './notifications/email-suppression.entity';
import { Notification } from './notifications/notification.entity';
import { NotificationPreference } from './notifications/notification-preference.entity';
import { ReminderPolicySetting } from './notifications/reminder-policy.entity';
import { RecommendationFollower, RecommendationOwner } from './recommendations/recommendation-person.entity';
import { RecommendationTag } from './recommendations/recommendation-tag.entity';
import { Recommendation } from './recommendations/recommendation.entity';
import { CarriedRecommendation } from './recommendations/carried-recommendation.entity';
import { StatusChange, StatusChangeEvidence } from './recommendations/status-change.entity';
import { CoalitionStateAlias, State, StateAlias } from './states/state.entity';
import { AffectedGroup, AffectedGroupAlias, CoalitionVocabularyAlias, Sdg, Theme, ThemeAlias } from './themes/theme.entity';
import { Testimony, TestimonyFile, TestimonyIntake } from './testimonies/testimony.entity';

/**
 * Every module's entities, listed here where the application is put together (database/ knows no
 * feature): the application's data source, the TypeORM command line's and the tests' own connections
 * take this list. Listed explicitly rather than globbed, so the compiled app, the CLI and Jest load
 * the same set.
 */
export const ENTITIES = [
  Coalition, User, ApiToken, ReviewCycle, Recommendation, CarriedRecommendation, RecommendationTag, RecommendationOwner,
  RecommendationFollower, StatusChange, StatusChangeEvidence, Evidence, Deadline, DeadlineAssignee, Notification, Digest,
  EmailSuppression, NotificationPreference, ReminderPolicySetting, AppSecret, LineageSuggestion, WebSession, AccountLink, AuditEntry,
  State, StateAlias, CoalitionStateAlias, Theme, ThemeAlias, AffectedGroup, AffectedGroupAlias, Sdg, CoalitionVocabularyAlias, InstanceSetup, TestimonyIntake, Testimony, TestimonyFile,
];
