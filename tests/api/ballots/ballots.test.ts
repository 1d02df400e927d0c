import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Ballot } from '../../../api/src/ballots/ballot.entity.js';
import { closeDueBallots } from '../../../api/src/ballots/ballot.service.js';
import { BallotVote } from '../../../api/src/ballots/ballot-vote.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { eventually, runClockJobNow } from '../../support/jobs.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, BALLOT, CLOSE_BALLOT, OPEN_BALLOT, PROPOSE, addMembers, ballotOn, createFramework, hours, openRound, propose, vote, CAST_VOTE } from './fixtures.js';
import type { FrameworkFixture } from '../rounds/fixtures.js';

let api: TestApi;
let facilitator: GraphQLClient;
let member: GraphQLClient;
let member2: GraphQLClient;
let member3: GraphQLClient;
let stakeholder: GraphQLClient;
let fw: FrameworkFixture;
let commentId: string;
const indicator = (i: number) => fw.areas[0].indicators[i];

const counts = async () => {
  const em = api.db.orm.em.fork();
  const [{ events }] = await em.execute<Array<{ events: number }>>('select count(*)::int as events from live_event');
  return { votes: await em.count(BallotVote, {}), audit: await em.count(AuditEntry, {}), events };
};

beforeAll(async () => {
  api = await startTestApi();
  [facilitator, member, member2, member3, stakeholder] = await Promise.all([demo.facilitator, demo.member, demo.member2, demo.member3, demo.stakeholder].map((e) => api.as(e)));
  fw = await createFramework(api.db.orm, { slug: 'ballots', areas: 1, perArea: 10 });
  const round = await openRound(facilitator, fw);
  const { addComment } = await stakeholder.data(ADD_COMMENT, {
    input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: indicator(0).versionId, type: 'TECHNICAL', body: 'Conviene desagregar por zona rural.' },
  });
  commentId = addComment.id;
});
afterAll(() => api?.stop());

describe('revisions', () => {
  it('a facilitator proposes a revision built on the consulted version, answering a comment the stakeholder then sees taken up', async () => {
    const { proposeRevision } = await facilitator.data(PROPOSE, {
      input: {
        indicatorId: indicator(0).id,
        basedOnVersionId: indicator(0).versionId,
        texts: { title: { es: 'Nuevas prestatarias' }, statement: { es: 'Proporción de nuevas prestatarias, por zona rural y urbana.' } },
        changeSummary: 'Desagrega por zona.',
        answersCommentIds: [commentId],
      },
    });
    expect(proposeRevision).toMatchObject({ number: 2, status: 'PROPOSED', parent: { id: indicator(0).versionId, number: 1 }, answersComments: [{ id: commentId }] });
    const { comment } = await stakeholder.data(`query($id: ID!) { comment(id: $id) { takenUpBy { id number status } } }`, { id: commentId });
    expect(comment.takenUpBy).toEqual([{ id: proposeRevision.id, number: 2, status: 'PROPOSED' }]);
    const { indicator: ind } = await stakeholder.data(`query($id: ID!) { indicator(id: $id) { currentVersion { id } } }`, { id: indicator(0).id });
    expect(ind.currentVersion.id).toBe(indicator(0).versionId);
  });

  it('a revision must change the text, answer comments on its own indicator, and come from a facilitator', async () => {
    const base = { indicatorId: indicator(1).id, basedOnVersionId: indicator(1).versionId, changeSummary: 'x' };
    const { indicatorVersion } = await facilitator.data(`query($id: ID!) { indicatorVersion(id: $id) { fields { field translations { es en } } } }`, { id: indicator(1).versionId });
    const same = Object.fromEntries(indicatorVersion.fields.filter((f: any) => f.translations.es).map((f: any) => [{ TITLE: 'title', STATEMENT: 'statement', MEASUREMENT: 'measurement' }[f.field as string] ?? f.field.toLowerCase(), f.translations]));
    const before = await counts();
    const unchanged = await facilitator.error(PROPOSE, { input: { ...base, texts: same } });
    expect(unchanged).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'texts' }] } });
    const otherIndicator = await facilitator.error(PROPOSE, { input: { ...base, texts: { title: { es: 'Otro' } }, answersCommentIds: [commentId] } });
    expect(otherIndicator).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'answersCommentIds' }] } });
    expect((await member.error(PROPOSE, { input: { ...base, texts: { title: { es: 'Otro' } } } })).code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });
});

describe('voting', () => {
  it('an eligible member votes, changes the vote, and the tally keeps one vote per member; the secret tally is hidden from members until the close', async () => {
    const revision = await propose(facilitator, indicator(2).id, indicator(2).versionId);
    const ballot = await ballotOn(facilitator, [revision.id], { secrecy: 'SECRET_UNTIL_CLOSE' });
    const q = ballot.questions[0].id;
    await vote(member, q, 'APPROVE');
    await vote(member, q, 'REJECT', 'Falta la fuente de datos.');
    await vote(member2, q, 'ABSTAIN');

    const asMember = (await member.data(BALLOT, { id: ballot.id })).ballot;
    expect(asMember).toMatchObject({ status: 'OPEN', eligible: true, tallyVisible: false, eligibleCount: 3 });
    expect(asMember.questions[0]).toMatchObject({ tally: null, votes: null, myVote: { choice: 'REJECT', reason: 'Falta la fuente de datos.' } });
    const asFacilitator = (await facilitator.data(BALLOT, { id: ballot.id })).ballot;
    expect(asFacilitator.questions[0].tally).toEqual({ approve: 0, reject: 1, abstain: 1, participants: 2, eligible: 3, quorumNeeded: 2, quorumReached: true });
    expect(asFacilitator.questions[0].myVote).toBeNull();

    const em = api.db.orm.em.fork();
    const history = await em.find(AuditEntry, { action: 'vote.cast', scopeId: ballot.id }, { orderBy: { id: 'asc' } });
    expect(history.map((h) => [h.actorId, h.data.choice])).toEqual([
      [expect.any(String), 'APPROVE'],
      [history[0].actorId, 'REJECT'],
      [expect.any(String), 'ABSTAIN'],
    ]);
  });

  it('an open ballot shows the tally and the votes with their reasons to members while it runs', async () => {
    const revision = await propose(facilitator, indicator(3).id, indicator(3).versionId);
    const ballot = await ballotOn(facilitator, [revision.id], { secrecy: 'OPEN' });
    await vote(member, ballot.questions[0].id, 'REJECT', 'Demasiado costoso de medir.');
    const { ballot: seen } = await member3.data(BALLOT, { id: ballot.id });
    expect(seen.questions[0].tally).toMatchObject({ reject: 1, participants: 1 });
    expect(seen.questions[0].votes).toEqual([{ voter: 'Mario Gutiérrez', choice: 'REJECT', reason: 'Demasiado costoso de medir.' }]);
  });

  it('a REJECT without a reason, a stakeholder, a vote before the opening and after the close, an unknown question are refused with their codes, and nothing is stored (no vote, audit entry or live event)', async () => {
    const r1 = await propose(facilitator, indicator(4).id, indicator(4).versionId);
    const r2 = await propose(facilitator, indicator(5).id, indicator(5).versionId);
    const scheduled = await ballotOn(facilitator, [r1.id], { opensAt: hours(1), closesAt: hours(5) });
    const closed = await ballotOn(facilitator, [r2.id]);
    await facilitator.data(CLOSE_BALLOT, { id: closed.id });
    const draft = await ballotOn(facilitator, [(await propose(facilitator, indicator(6).id, indicator(6).versionId)).id], {}, false);
    const before = await counts();

    const input = (questionId: string, choice = 'APPROVE', reason: string | null = null) => ({ input: { questionId, choice, reason } });
    expect(await member.error(CAST_VOTE, input(closed.questions[0].id, 'REJECT', '   '))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'reason' }] } });
    expect(await stakeholder.error(CAST_VOTE, input(scheduled.questions[0].id))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await facilitator.error(CAST_VOTE, input(scheduled.questions[0].id))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await api.client().error(CAST_VOTE, input(scheduled.questions[0].id))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await member.error(CAST_VOTE, input(scheduled.questions[0].id))).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'BALLOT_NOT_OPEN' } });
    expect(await member.error(CAST_VOTE, input(draft.questions[0].id))).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'BALLOT_NOT_OPEN' } });
    expect(await member.error(CAST_VOTE, input(closed.questions[0].id))).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'BALLOT_CLOSED' } });
    expect(await member.error(CAST_VOTE, input('00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await counts()).toEqual(before);

    expect(await facilitator.error(CLOSE_BALLOT, { id: closed.id })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'BALLOT_CLOSED' } });
    expect(await facilitator.error(OPEN_BALLOT, { id: scheduled.id })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'BALLOT_ALREADY_OPENED' } });
    expect(await member.error(CLOSE_BALLOT, { id: scheduled.id })).toMatchObject({ code: 'FORBIDDEN' });
    // A draft is the facilitators' business.
    expect(await member.error(BALLOT, { id: draft.id })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('organizations with one vote each', () => {
  it('a member outside the chosen organizations is refused; a second member of an organization replaces its vote', async () => {
    const em = api.db.orm.em.fork();
    const [redcamif, rfr] = await Promise.all(['REDCAMIF', 'RFR'].map((acronym) => em.findOneOrFail(Organization, { acronym })));
    const [colleague] = await addMembers(api, 1, 'REDCAMIF', 'colega');
    const revision = await propose(facilitator, indicator(7).id, indicator(7).versionId);
    const ballot = await ballotOn(facilitator, [revision.id], { eligibility: 'ORGANIZATIONS', organizationIds: [redcamif.id, rfr.id], secrecy: 'OPEN' });
    const q = ballot.questions[0].id;

    const before = await counts();
    expect(await member3.error(CAST_VOTE, { input: { questionId: q, choice: 'APPROVE' } })).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'NOT_ELIGIBLE' } });
    expect(await counts()).toEqual(before);

    await vote(member, q, 'APPROVE');
    await vote(colleague, q, 'ABSTAIN');
    const { ballot: seen } = await member.data(BALLOT, { id: ballot.id });
    expect(seen).toMatchObject({ eligibleCount: 2, eligible: true });
    expect(seen.questions[0].tally).toMatchObject({ approve: 0, abstain: 1, participants: 1, eligible: 2 });
    expect(seen.questions[0].votes).toEqual([{ voter: 'REDCAMIF', choice: 'ABSTAIN', reason: null }]);
    expect(seen.questions[0].myVote).toEqual({ choice: 'ABSTAIN', reason: null });
  });
});

describe('closing', () => {
  it('an approved revision becomes the current version, a rejected one does not, both stay in the history, and the result records counts, rule and time', async () => {
    const approved = await propose(facilitator, indicator(8).id, indicator(8).versionId);
    const rejected = await propose(facilitator, indicator(9).id, indicator(9).versionId);
    const ballot = await ballotOn(facilitator, [approved.id, rejected.id], { rule: 'CONSENSUS', quorum: { numerator: 1, denominator: 2 } });
    const [qa, qr] = ballot.questions.map((q) => q.id);
    await Promise.all([vote(member, qa, 'APPROVE'), vote(member2, qa, 'ABSTAIN'), vote(member, qr, 'APPROVE'), vote(member2, qr, 'REJECT')]);

    const { closeBallot } = await facilitator.data(CLOSE_BALLOT, { id: ballot.id });
    expect(closeBallot.status).toBe('CLOSED');
    expect(closeBallot.questions.map((q: any) => q.outcome)).toEqual(['APPROVED', 'REJECTED']);
    expect(closeBallot.questions[0].tally).toEqual({ approve: 1, reject: 0, abstain: 1, participants: 2, eligible: 4, quorumReached: true });

    const versions = `query($id: ID!) { indicator(id: $id) { currentVersion { id status } versions { id number status } } }`;
    const a = (await member3.data(versions, { id: indicator(8).id })).indicator;
    expect(a.currentVersion).toEqual({ id: approved.id, status: 'PUBLISHED' });
    expect(a.versions.map((v: any) => [v.number, v.status])).toEqual([[2, 'PUBLISHED'], [1, 'PUBLISHED']]);
    const r = (await member3.data(versions, { id: indicator(9).id })).indicator;
    expect(r.currentVersion.id).toBe(indicator(9).versionId);
    expect(r.versions.map((v: any) => [v.number, v.status])).toEqual([[2, 'REJECTED'], [1, 'PUBLISHED']]);

    // After the close everyone sees the result, the secret votes included.
    const { ballot: result } = await stakeholder.data(BALLOT, { id: ballot.id });
    expect(result).toMatchObject({ status: 'CLOSED', tallyVisible: true, rule: 'CONSENSUS', quorum: { numerator: 1, denominator: 2 } });
    expect(result.questions[1].votes).toHaveLength(2);
    const em = api.db.orm.em.fork();
    const closing = await em.findOneOrFail(AuditEntry, { action: 'ballot.closed', subjectId: ballot.id });
    expect(closing.data).toMatchObject({ rule: 'CONSENSUS', quorum: { numerator: 1, denominator: 2 }, eligibleCount: 4, early: true });
  });

  it('a ballot past its closing time reads as decided at once; its close job records the decision', async () => {
    const revision = await propose(facilitator, indicator(1).id, indicator(1).versionId);
    const ballot = await ballotOn(facilitator, [revision.id]);
    await vote(member, ballot.questions[0].id, 'APPROVE');
    await vote(member2, ballot.questions[0].id, 'APPROVE');
    const em = api.db.orm.em.fork();
    const closesAt = new Date(Date.now() - 1000);
    await em.nativeUpdate(Ballot, { id: ballot.id }, { opensAt: new Date(Date.now() - 7200_000), closesAt });

    expect(await member.error(CAST_VOTE, { input: { questionId: ballot.questions[0].id, choice: 'REJECT', reason: 'tarde' } })).toMatchObject({ extensions: { reason: 'BALLOT_CLOSED' } });
    const [{ ballot: first }, { ballot: second }] = await Promise.all([member.data(BALLOT, { id: ballot.id }), member3.data(BALLOT, { id: ballot.id })]);
    expect(first).toMatchObject({ status: 'CLOSED', questions: [{ outcome: 'APPROVED', decidedAt: closesAt.toISOString() }] });
    expect(second.questions[0].decidedAt).toBe(first.questions[0].decidedAt);
    expect(await em.count(AuditEntry, { action: 'ballot.closed', subjectId: ballot.id })).toBe(0);

    await runClockJobNow(api.db.orm, `ballot:${ballot.id}:closes`);
    await eventually(async () => (await em.count(AuditEntry, { action: 'ballot.closed', subjectId: ballot.id })) === 1, () => 'the close job did not decide the ballot');
    const { indicator: ind } = await member.data(`query($id: ID!) { indicator(id: $id) { currentVersion { id } } }`, { id: indicator(1).id });
    expect(ind.currentVersion.id).toBe(revision.id);
  });

  it('the database itself refuses a second vote of one voter on one question, and any vote change on a decided question', async () => {
    const conn = api.db.orm.em.getConnection();
    const [open] = await conn.execute(`select v.id from ballot_vote v join ballot_question q on q.id = v.question_id where q.outcome is null limit 1`);
    await expect(conn.execute(`insert into ballot_vote (id, ballot_id, question_id, voter_id, choice, cast_by_id, cast_by_name, cast_at, updated_at)
      select gen_random_uuid(), ballot_id, question_id, voter_id, 'APPROVE', cast_by_id, cast_by_name, now(), now() from ballot_vote where id = ?`, [open.id])).rejects.toThrow(/unique/);
    const [decided] = await conn.execute(`select v.id from ballot_vote v join ballot_question q on q.id = v.question_id where q.outcome is not null limit 1`);
    await expect(conn.execute(`update ballot_vote set choice = case when choice = 'APPROVE' then 'ABSTAIN' else 'APPROVE' end where id = ?`, [decided.id])).rejects.toThrow(/decided/);
  });

  it('a draft ballot is deleted by a facilitator, freeing its revision for another ballot; an opened one stays', async () => {
    const DELETE = `mutation($id: ID!) { deleteBallot(id: $id) }`;
    const revision = await propose(facilitator, indicator(7).id, indicator(7).versionId, { statement: 'Redacción con una errata.' });
    const draft = await ballotOn(facilitator, [revision.id], {}, false);
    // While the draft stands, the revision cannot go into another ballot.
    const held = await facilitator.error(`mutation($input: CreateBallotInput!) { createBallot(input: $input) { id } }`, {
      input: { title: { es: 'Otra' }, revisionIds: [revision.id], eligibility: 'MEMBERS', opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString(), quorum: { numerator: 1, denominator: 2 }, rule: 'SIMPLE_MAJORITY', secrecy: 'OPEN' },
    });
    expect(held.extensions?.reason).toBe('REVISION_IN_BALLOT');

    const before = await counts();
    expect((await member.error(DELETE, { id: draft.id })).code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect((await facilitator.data(DELETE, { id: draft.id })).deleteBallot).toBe(draft.id);
    expect((await facilitator.error(BALLOT, { id: draft.id })).code).toBe('NOT_FOUND');
    const em = api.db.orm.em.fork();
    const [entry] = await em.find(AuditEntry, { action: 'ballot.deleted', subjectId: draft.id });
    expect(entry.data).toMatchObject({ revisionIds: [revision.id], rule: 'SIMPLE_MAJORITY' });
    expect(await em.getConnection().execute('select count(*)::int as n from ballot_question where ballot_id = ?', [draft.id])).toEqual([{ n: 0 }]);

    const again = await ballotOn(facilitator, [revision.id]);
    const refused = await facilitator.error(DELETE, { id: again.id });
    expect(refused).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'BALLOT_ALREADY_OPENED' } });
    expect((await facilitator.data(BALLOT, { id: again.id })).ballot.id).toBe(again.id);
  });

  it('closeDueBallots decides every ballot past its closing time that nobody opened since, once', async () => {
    const revision = await propose(facilitator, indicator(6).id, indicator(6).versionId, { statement: 'Otra redacción.' });
    const ballot = await ballotOn(facilitator, [revision.id]);
    await api.db.orm.em.fork().nativeUpdate(Ballot, { id: ballot.id }, { opensAt: new Date(Date.now() - 7200_000), closesAt: new Date(Date.now() - 1000) });
    expect(await closeDueBallots(api.db.orm.em)).toBe(1);
    expect(await closeDueBallots(api.db.orm.em)).toBe(0);
    const { ballot: seen } = await facilitator.data(BALLOT, { id: ballot.id });
    expect(seen.questions[0].outcome).toBe('NO_QUORUM');
    expect(seen.questions[0].revision.status).toBe('PROPOSED');
  });
});

describe('the demo', () => {
  it('has an open ballot on two revisions answering comments, and a closed one whose revision is now current', async () => {
    const { ballots } = await member.data(`{ ballots { status rule eligibleCount questions { outcome indicator { code currentVersion { id } } revision { id status answersComments { id } } myVote { choice } } } }`);
    const open = ballots.find((b: any) => b.status === 'OPEN' && b.questions[0].indicator.code === 'RUR-03');
    const closed = ballots.find((b: any) => b.status === 'CLOSED' && b.questions[0].indicator.code === 'RUR-01');
    expect(open).toMatchObject({ rule: 'ISO_DIS', eligibleCount: 3 });
    expect(open.questions.map((q: any) => q.indicator.code)).toEqual(['RUR-03', 'POV-01']);
    expect(open.questions.every((q: any) => q.revision.answersComments.length > 0 && q.myVote === null)).toBe(true);
    expect(closed.questions[0]).toMatchObject({ outcome: 'APPROVED', myVote: { choice: 'APPROVE' } });
    expect(closed.questions[0].indicator.currentVersion.id).toBe(closed.questions[0].revision.id);
  });
});
