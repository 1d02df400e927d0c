import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ballot } from '../ballots/ballot.entity.js';
import { BallotQuestion } from '../ballots/ballot-question.entity.js';
import { createCommitteeBallot, openBallot, type Voter } from '../ballots/ballot.service.js';
import { effectiveRoles } from '../auth/roles.js';
import { conflict, Refusal } from '../errors.js';
import { message } from '../i18n/messages.js';
import { Organization } from '../organizations/organization.entity.js';
import { Locale, Role, User } from '../users/user.entity.js';
import { Reviewer, type Assessment } from './assessment.entity.js';
import type { OpenCommitteeBallotInput } from './certification.inputs.js';
import { areaInReview } from './review.service.js';
import { AreaDecisionMode } from './scheme.entity.js';

/**
 * Opens a ballot of the committee on an assessed area whose scheme area is decided by ballot: one
 * question (approve awards the seal, reject refuses it), voting from now to `closesAt`. Its voters are
 * the committee as it stands now (admins sit on it too), without the assessed institution's people
 * and the assessment's reviewers: the institution would judge itself, the reviewers their own review.
 * At the close (the clock's job or a facilitator) the ballot engine records the decision through
 * `recordDecision`, as a direct decision does.
 */
export async function openCommitteeBallot(em: EntityManager, actorId: string, input: OpenCommitteeBallotInput): Promise<Ballot> {
  const { assessment, area, schemeArea } = await areaInReview(em, input.assessmentAreaId);
  if (schemeArea.decidedBy !== AreaDecisionMode.COMMITTEE_BALLOT) throw conflict('The scheme has this area decided directly by the committee', { reason: Refusal.AREA_DECIDED_DIRECTLY });
  if (await em.count(BallotQuestion, { assessmentArea: area, outcome: null })) throw conflict('A committee ballot on this area is not decided yet', { reason: Refusal.COMMITTEE_BALLOT_PENDING });
  const institution = await em.findOneOrFail(Organization, { id: assessment.organization.id });
  const title = Object.fromEntries(Object.values(Locale).map((l) => [l, `${message(l, 'committeeBallot.ballotTitle')} ${schemeArea.code} · ${institution.acronym ?? institution.name}`]));
  const ballot = await createCommitteeBallot(em, actorId, { title, opensAt: new Date(), closesAt: input.closesAt, quorum: input.quorum, rule: input.rule, share: input.share, secrecy: input.secrecy }, area.id);
  return openBallot(em, actorId, ballot.id, await committeeElectorate(em, assessment));
}

/** The committee's members who may vote on `assessment`, by name. */
async function committeeElectorate(em: EntityManager, assessment: Assessment): Promise<Voter[]> {
  const reviewers = new Set((await em.find(Reviewer, { assessment })).map((r) => r.user.id));
  const candidates = await em.find(User, { active: true, roles: { $overlap: [Role.CERTIFICATION_COMMITTEE, Role.ADMIN] } }, { orderBy: { name: 'asc', id: 'asc' } });
  return candidates
    .filter((u) => effectiveRoles(u.roles).has(Role.CERTIFICATION_COMMITTEE) && u.organization?.id !== assessment.organization.id && !reviewers.has(u.id))
    .map((u) => ({ userId: u.id, organizationId: null, name: u.name }));
}

