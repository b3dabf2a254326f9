import { AccountLink } from '../accounts/account-link.entity';
import { ApiToken } from '../accounts/api-token.entity';
import { Coalition } from '../accounts/coalition.entity';
import { User } from '../accounts/user.entity';
import { WebSession } from '../accounts/web-session.entity';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { Deadline, DeadlineAssignee } from '../deadlines/deadline.entity';
import { Evidence } from '../evidence/evidence.entity';
import { LineageSuggestion } from '../lineage/lineage-suggestion.entity';
import { AppSecret } from '../notifications/app-secret.entity';
import { Digest } from '../notifications/digest.entity';
import { EmailSuppression } from '../notifications/email-suppression.entity';
import { Notification } from '../notifications/notification.entity';
import { RecommendationFollower, RecommendationOwner } from '../recommendations/recommendation-person.entity';
import { RecommendationTag } from '../recommendations/recommendation-tag.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import { StatusChange, StatusChangeEvidence } from '../recommendations/status-change.entity';

/** Listed explicitly rather than globbed, so the compiled app, the CLI and Jest load the same set. */
export const ENTITIES = [
  Coalition, User, ApiToken, ReviewCycle, Recommendation, RecommendationTag, RecommendationOwner,
  RecommendationFollower, StatusChange, StatusChangeEvidence, Evidence, Deadline, DeadlineAssignee, Notification, Digest,
  EmailSuppression, AppSecret, LineageSuggestion, WebSession, AccountLink,
];
