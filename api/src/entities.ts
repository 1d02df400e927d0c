import { AuditEntry } from './audit/audit-entry.entity.js';
import { Invitation } from './auth/invitation.entity.js';
import { Session } from './auth/session.entity.js';
import { Framework } from './frameworks/framework.entity.js';
import { Section } from './frameworks/section.entity.js';
import { IndicatorDraft } from './indicators/indicator-draft.entity.js';
import { IndicatorVersion } from './indicators/indicator-version.entity.js';
import { Indicator } from './indicators/indicator.entity.js';
import { Organization } from './organizations/organization.entity.js';
import { ConsultationRound } from './rounds/round.entity.js';
import { RoundVersion } from './rounds/round-version.entity.js';
import { Comment } from './comments/comment.entity.js';
import { CommentRevision } from './comments/comment-revision.entity.js';
import { Disposition } from './dispositions/disposition.entity.js';
import { PracticeRating } from './ratings/practice-rating.entity.js';
import { User } from './users/user.entity.js';
import { RevisionComment } from './revisions/revision-comment.entity.js';
import { Ballot } from './ballots/ballot.entity.js';
import { BallotQuestion } from './ballots/ballot-question.entity.js';
import { BallotVoter } from './ballots/ballot-voter.entity.js';
import { BallotVote } from './ballots/ballot-vote.entity.js';
import { CommentTheme, Theme } from './analysis/theme.entity.js';
import { NearDuplicateGroup, NearDuplicateMember } from './analysis/near-duplicate.entity.js';
import { OnBehalfSource } from './analysis/on-behalf-source.entity.js';
import { Release, ReleaseIndicator } from './releases/release.entity.js';

/** Every entity the ORM knows, listed where the application is assembled; a feature adds its own here. */
export const entities = [Organization, User, Session, Invitation, AuditEntry, Framework, Section, Indicator, IndicatorVersion, IndicatorDraft, ConsultationRound, RoundVersion, Comment, CommentRevision, Disposition, PracticeRating, RevisionComment, Ballot, BallotQuestion, BallotVoter, BallotVote, Theme, CommentTheme, NearDuplicateGroup, NearDuplicateMember, OnBehalfSource, Release, ReleaseIndicator];
