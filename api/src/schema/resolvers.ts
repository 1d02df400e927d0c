import type { NonEmptyArray } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver.js';
import { OrganizationResolver } from '../organizations/organization.resolver.js';
import { FrameworkResolver } from '../frameworks/framework.resolver.js';
import { SectionResolver } from '../frameworks/section.resolver.js';
import { IndicatorResolver } from '../indicators/indicator.resolver.js';
import { IndicatorDraftResolver, IndicatorVersionResolver } from '../indicators/indicator-version.resolver.js';
import { UserResolver } from '../users/user.resolver.js';
import { RoundIndicatorResolver, RoundResolver } from '../rounds/round.resolver.js';
import { RoundActivityResolver } from '../rounds/round-activity.resolver.js';
import { CommentConnectionResolver, CommentResolver } from '../comments/comment.resolver.js';
import { DispositionResolver } from '../dispositions/disposition.resolver.js';
import { RatingResolver } from '../ratings/rating.resolver.js';
import { CommentTakenUpResolver, RevisionResolver } from '../revisions/revision.resolver.js';
import { BallotQuestionResolver, BallotResolver, BallotVoteResolver } from '../ballots/ballot.resolver.js';
import { BallotActivityResolver } from '../ballots/ballot-activity.resolver.js';
import { LiveResolver } from '../live/live.resolver.js';
import { ExportResolver } from '../exports/export.resolver.js';
import { AuditResolver } from '../audit/audit.resolver.js';
import { CommentAnalysisResolver, CommentConnectionAnalysisResolver, DashboardResolver, NearDuplicateMemberResolver, NearDuplicateResolver, ThemeResolver } from '../analysis/analysis.resolver.js';
import { AssessmentReviewersResolver } from '../certification/assessment-reviewers.resolver.js';
import { certificationResolvers } from '../certification/certification.resolver.js';
import { meetingResolvers } from '../meetings/meeting.resolver.js';
import { PublicationResolver } from '../publication/publication.resolver.js';
import { BallotQuestionLinkResolver, FrameworkReleaseResolver, ReleaseChangeResolver, ReleaseChangeStepResolver, ReleaseResolver } from '../releases/release.resolver.js';
import { MailboxResolver } from '../mail/mailbox.resolver.js';

/** Every resolver class in the API; a feature adds its own here. */
export const resolvers: NonEmptyArray<Function> = [AuthResolver, UserResolver, OrganizationResolver, FrameworkResolver, SectionResolver, IndicatorResolver, IndicatorVersionResolver, IndicatorDraftResolver, RoundResolver, RoundIndicatorResolver, RoundActivityResolver, CommentResolver, CommentConnectionResolver, DispositionResolver, RatingResolver, RevisionResolver, CommentTakenUpResolver, BallotResolver, BallotQuestionResolver, BallotVoteResolver, BallotActivityResolver, LiveResolver, ExportResolver, AuditResolver, ThemeResolver, NearDuplicateResolver, NearDuplicateMemberResolver, CommentAnalysisResolver, CommentConnectionAnalysisResolver, DashboardResolver, ReleaseResolver, ReleaseChangeResolver, ReleaseChangeStepResolver, BallotQuestionLinkResolver, FrameworkReleaseResolver, ...certificationResolvers, AssessmentReviewersResolver, PublicationResolver, MailboxResolver, ...meetingResolvers];
