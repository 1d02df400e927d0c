import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Ballot } from '../../../api/src/ballots/ballot.entity.js';
import { BallotVoter } from '../../../api/src/ballots/ballot-voter.entity.js';
import { closeDueBallots } from '../../../api/src/ballots/ballot.service.js';
import { Assessment, AssessmentArea } from '../../../api/src/certification/assessment.entity.js';
import { recordDecision } from '../../../api/src/certification/review.service.js';
import type { Scheme } from '../../../api/src/certification/scheme.entity.js';
import { Seal } from '../../../api/src/certification/seal.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { countSql } from '../../support/sql-counter.js';
import { INSTITUTION, REVIEWER, asReviewer, assessment, certificationScheme } from './fixtures.js';

const OPEN = `mutation($input: OpenCommitteeBallotInput!) { openCommitteeBallot(input: $input) { id status eligibility eligibleCount secrecy questions { id assessmentArea { id } } } }`;
const DECIDE = `mutation($input: DecideAreaInput!) { decideCertificationArea(input: $input) { id awarded } }`;
const VOTE = `mutation($input: CastVoteInput!) { castVote(input: $input) { id choice } }`;
const CLOSE = `mutation($id: ID!) { closeBallot(id: $id) { id status } }`;
const BALLOT = `query($id: ID!) { ballot(id: $id) { id status title(language: EN) { value } eligible tallyVisible questions { id outcome indicator { code } revision { id }
  tally { approve reject abstain }
  assessmentArea { id schemeArea { code } reviewedResult { awarded } assessment { organization { name } } } } } }`;
const BALLOTS = `{ ballots { id } }`;
const AREA = `query($id: ID!) { certificationAssessment(id: $id) { id status areas { id awarded schemeArea { code decidedBy } seal { id status } committeeBallot { id status questions { outcome } } } } }`;
const SINCE = `query($topic: String!) { liveEventsSince(topic: $topic, afterSequence: 0) { sequence kind } }`;

/** Voting ends in an hour; a simple majority of at least half the committee. */
const terms = (assessmentAreaId: string, quorum = { numerator: 1, denominator: 2 }) => ({
  assessmentAreaId,
  closesAt: new Date(Date.now() + 3600_000).toISOString(),
  quorum,
  rule: 'SIMPLE_MAJORITY',
  secrecy: 'SECRET_UNTIL_CLOSE',
});

let api: TestApi;
let scheme: Scheme;
let facilitator: GraphQLClient;
let admin: GraphQLClient;
let committee: GraphQLClient;
let insider: GraphQLClient;
let reviewer: GraphQLClient;
let member: GraphQLClient;
const COMMITTEE_MEMBER = 'parceira@consulta.demo';

/** A submitted assessment of A0 (decided by committee ballot) and A1 (decided directly), with REVIEWER assigned; its areas by code. */
async function underReview() {
  const a = await assessment(api, scheme, { areas: ['A0', 'A1'] });
  await asReviewer(api, a.id, REVIEWER);
  const areas = await api.db.orm.em.fork().find(AssessmentArea, { assessment: a.id }, { populate: ['schemeArea'] });
  const byCode = Object.fromEntries(areas.map((x) => [x.schemeArea.getEntity().code, x.id]));
  return { assessmentId: a.id, A0: byCode.A0!, A1: byCode.A1! };
}

beforeAll(async () => {
  api = await startTestApi();
  scheme = await certificationScheme(api, ['A0']);
  // On the committee: a donor's person, a person of the assessed institution, and the reviewer.
  for (const email of [COMMITTEE_MEMBER, INSTITUTION, REVIEWER]) await api.db.orm.em.fork().nativeUpdate(User, { email }, { roles: ['STAKEHOLDER', 'CERTIFICATION_COMMITTEE'] as never });
  [facilitator, admin, committee, insider, reviewer, member] = await Promise.all([demo.facilitator, demo.admin, COMMITTEE_MEMBER, INSTITUTION, REVIEWER, demo.member].map((e) => api.as(e)));
});
afterAll(() => api?.stop());

describe('the scheme’s setting', () => {
  it('says per area whether the seal is decided directly or by a committee ballot, and each way refuses the other', async () => {
    const a = await underReview();
    const { certificationAssessment } = await admin.data(AREA, { id: a.assessmentId });
    expect(Object.fromEntries(certificationAssessment.areas.map((x: any) => [x.schemeArea.code, x.schemeArea.decidedBy]))).toEqual({ A0: 'COMMITTEE_BALLOT', A1: 'DIRECT' });
    expect(await admin.error(DECIDE, { input: { assessmentAreaId: a.A0, award: true } })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'AREA_DECIDED_BY_BALLOT' } });
    expect(await facilitator.error(OPEN, { input: terms(a.A1) })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'AREA_DECIDED_DIRECTLY' } });
    expect((await admin.data(DECIDE, { input: { assessmentAreaId: a.A1, award: true } })).decideCertificationArea.awarded).toBe(true);
  });
});

describe('a committee ballot', () => {
  let a: Awaited<ReturnType<typeof underReview>>;
  let ballotId: string;
  let questionId: string;

  beforeAll(async () => {
    a = await underReview();
  });

  it('is opened by a facilitator, once per area, its electorate the committee without the institution’s people and the reviewers', async () => {
    expect(await committee.error(OPEN, { input: terms(a.A0) })).toMatchObject({ code: 'FORBIDDEN' });
    const { openCommitteeBallot } = await facilitator.data(OPEN, { input: terms(a.A0) });
    expect(openCommitteeBallot).toMatchObject({ status: 'OPEN', eligibility: 'COMMITTEE', secrecy: 'SECRET_UNTIL_CLOSE', questions: [{ assessmentArea: { id: a.A0 } }] });
    ballotId = openCommitteeBallot.id;
    questionId = openCommitteeBallot.questions[0].id;

    const em = api.db.orm.em.fork();
    const voters = await em.find(BallotVoter, { ballot: ballotId });
    const users = await em.find(User, { id: { $in: voters.map((v) => v.userId!) } }, { populate: ['organization'] });
    const emails = users.map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining([COMMITTEE_MEMBER, demo.admin]));
    expect(emails).not.toContain(INSTITUTION);
    expect(emails).not.toContain(REVIEWER);
    const institutionId = (await em.findOneOrFail(Assessment, { id: a.assessmentId })).organization.id;
    expect(users.some((u) => u.organization?.id === institutionId)).toBe(false);
    expect(openCommitteeBallot.eligibleCount).toBe(voters.length);

    expect(await facilitator.error(OPEN, { input: terms(a.A0) })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'COMMITTEE_BALLOT_PENDING' } });
  });

  it('is shown to the committee with its assessed area, and to nobody else: not in lists, queries, votes or live topics', async () => {
    const { ballot } = await committee.data(BALLOT, { id: ballotId });
    expect(ballot).toMatchObject({ status: 'OPEN', eligible: true, tallyVisible: false, title: { value: expect.stringMatching(/^Seal A0 · /) } });
    expect(ballot.questions[0]).toMatchObject({ indicator: null, revision: null, tally: null, assessmentArea: { id: a.A0, schemeArea: { code: 'A0' }, reviewedResult: { awarded: true } } });
    expect(ballot.questions[0].assessmentArea.assessment.organization.name).toBeTruthy();
    expect((await committee.data(BALLOTS)).ballots.map((b: any) => b.id)).toContain(ballotId);
    expect((await facilitator.data(BALLOT, { id: ballotId })).ballot.questions[0].tally).toEqual({ approve: 0, reject: 0, abstain: 0 });

    expect((await member.data(BALLOTS)).ballots.map((b: any) => b.id)).not.toContain(ballotId);
    expect(await member.error(BALLOT, { id: ballotId })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await member.error(VOTE, { input: { questionId, choice: 'APPROVE' } })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await member.error(SINCE, { topic: `ballot:${ballotId}` })).code).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect((await committee.data(SINCE, { topic: `ballot:${ballotId}` })).liveEventsSince.length).toBeGreaterThan(0);
    // The institution's own person on the committee sees it, but does not vote on their institution; nor does its reviewer.
    expect(await insider.error(VOTE, { input: { questionId, choice: 'APPROVE' } })).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'NOT_ELIGIBLE' } });
    expect(await reviewer.error(VOTE, { input: { questionId, choice: 'APPROVE' } })).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'NOT_ELIGIBLE' } });
  });

  it('takes the committee’s votes, and a facilitator’s close awards the seal through the one decision path, once', async () => {
    expect((await committee.data(VOTE, { input: { questionId, choice: 'APPROVE' } })).castVote.choice).toBe('APPROVE');
    expect((await admin.data(VOTE, { input: { questionId, choice: 'APPROVE' } })).castVote.choice).toBe('APPROVE');
    expect(await member.error(CLOSE, { id: ballotId })).toMatchObject({ code: 'FORBIDDEN' });
    expect((await facilitator.data(CLOSE, { id: ballotId })).closeBallot.status).toBe('CLOSED');

    const { certificationAssessment } = await committee.data(AREA, { id: a.assessmentId });
    const area = certificationAssessment.areas.find((x: any) => x.id === a.A0);
    expect(area).toMatchObject({ awarded: true, seal: { status: 'ACTIVE' }, committeeBallot: { id: ballotId, status: 'CLOSED', questions: [{ outcome: 'APPROVED' }] } });
    const em = api.db.orm.em.fork();
    const decided = await em.find(AuditEntry, { action: 'assessment.decided', subjectId: a.A0 });
    expect(decided).toHaveLength(1);
    expect(decided[0]!.data).toMatchObject({ award: true, ballotId });
    expect(decided[0]!.actorId).toBe((await em.findOneOrFail(User, { email: demo.facilitator })).id);

    expect(await facilitator.error(CLOSE, { id: ballotId })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'BALLOT_CLOSED' } });
    // Recording again (a second delivery of a close) is refused and changes nothing.
    const again = await em.fork().transactional((tx) => recordDecision(tx, { assessmentAreaId: a.A0, award: false, reason: null, actorId: null, ballotId, decidedAt: new Date() }));
    expect(again).toBeNull();
    expect(await em.fork().count(Seal, { assessmentArea: a.A0 })).toBe(1);
    expect(await em.fork().findOneOrFail(AssessmentArea, { id: a.A0 })).toMatchObject({ decision: 'AWARD', decidedByBallotId: ballotId });
    expect(await em.fork().count(AuditEntry, { action: 'assessment.decided', subjectId: a.A0 })).toBe(1);
    // A1 is still to be decided, directly: the assessment is not decided yet.
    expect(certificationAssessment.status).toBe('UNDER_REVIEW');
  });
});

describe('the clock', () => {
  it('closes a committee ballot at its time: a majority rejecting refuses the seal, and a second close job changes nothing', async () => {
    const a = await underReview();
    const { openCommitteeBallot } = await facilitator.data(OPEN, { input: terms(a.A0) });
    const questionId = openCommitteeBallot.questions[0].id;
    expect(await committee.error(VOTE, { input: { questionId, choice: 'REJECT' } })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'REASON_REQUIRED' } });
    await committee.data(VOTE, { input: { questionId, choice: 'REJECT', reason: 'Las visitas no respaldan el indicador A0-02.' } });
    await admin.data(VOTE, { input: { questionId, choice: 'REJECT', reason: 'Coincido.' } });
    await api.db.orm.em.fork().nativeUpdate(Ballot, { id: openCommitteeBallot.id }, { opensAt: new Date(Date.now() - 7200_000), closesAt: new Date(Date.now() - 1000) });
    await closeDueBallots(api.db.orm.em);
    await closeDueBallots(api.db.orm.em);

    const em = api.db.orm.em.fork();
    const area = await em.findOneOrFail(AssessmentArea, { id: a.A0 });
    expect(area).toMatchObject({ decision: 'REFUSE', decidedById: null, decidedByBallotId: openCommitteeBallot.id });
    expect(await em.count(Seal, { assessmentArea: a.A0 })).toBe(0);
    expect(await em.count(AuditEntry, { action: 'assessment.decided', subjectId: a.A0 })).toBe(1);
    expect((await em.findOneOrFail(Ballot, { id: openCommitteeBallot.id })).closedById).toBeNull();
    const { ballot } = await committee.data(BALLOT, { id: openCommitteeBallot.id });
    expect(ballot.questions[0]).toMatchObject({ outcome: 'REJECTED', tally: { approve: 0, reject: 2, abstain: 0 } });
  });

  it('leaves the area undecided without quorum, for a new ballot', async () => {
    const a = await underReview();
    const first = (await facilitator.data(OPEN, { input: terms(a.A0, { numerator: 1, denominator: 1 }) })).openCommitteeBallot;
    await committee.data(VOTE, { input: { questionId: first.questions[0].id, choice: 'APPROVE' } });
    await facilitator.data(CLOSE, { id: first.id });
    expect((await api.db.orm.em.fork().findOneOrFail(AssessmentArea, { id: a.A0 })).decision).toBeNull();
    const second = (await facilitator.data(OPEN, { input: terms(a.A0) })).openCommitteeBallot;
    expect(second).toMatchObject({ status: 'OPEN' });
    const { certificationAssessment } = await committee.data(AREA, { id: a.assessmentId });
    expect(certificationAssessment.areas.find((x: any) => x.id === a.A0).committeeBallot.id).toBe(second.id);
  });
});

describe('the committee ballots of a list of assessments', () => {
  it('are read together: one statement for the ballots however many areas have one', async () => {
    for (const area of [(await underReview()).A0, (await underReview()).A0]) await facilitator.data(OPEN, { input: terms(area) });
    const { result, statements } = await countSql(() => facilitator.data(`{ certificationAssessments { areas { committeeBallot { id } } } }`));
    const shown = result.certificationAssessments.flatMap((x: any) => x.areas).filter((area: any) => area.committeeBallot);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(statements.filter((sql) => /\bfrom "ballot" as\b/.test(sql))).toHaveLength(1);
  });
});
