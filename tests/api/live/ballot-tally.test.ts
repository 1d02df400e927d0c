import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { BALLOT, CLOSE_BALLOT, ballotOn, createFramework, openRound, propose, vote } from '../ballots/fixtures.js';
import type { FrameworkFixture } from '../rounds/fixtures.js';
import { Ballot } from '../../../api/src/ballots/ballot.entity.js';
import { closeDueBallots } from '../../../api/src/ballots/ballot.service.js';
import { runClockJobNow, settled } from '../../support/jobs.js';
import { topics } from '../../../api/src/live/live-event.js';
import { following, startSecondApi, subscribe } from './live-support.js';

const BALLOT_TALLY = `subscription($ballotId: ID!) { ballotTally(ballotId: $ballotId) {
  event { kind sequence ballotId } ballot { id status tallyVisible questions { tally { approve reject abstain participants } } } } }`;

let api: TestApi;
let second: Awaited<ReturnType<typeof startSecondApi>>;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let memberOnSecond: GraphQLClient;
let stakeholder: GraphQLClient;
let member2: GraphQLClient;

beforeAll(async () => {
  api = await startTestApi();
  second = await startSecondApi(api);
  [facilitator, stakeholder, member2] = await Promise.all([demo.facilitator, demo.stakeholder, demo.member2].map((e) => api.as(e)));
  memberOnSecond = await second.as(demo.member);
  fw = await createFramework(api.db.orm, { slug: 'live-ballots', areas: 1, perArea: 5 });
  await openRound(facilitator, fw);
});
afterAll(async () => {
  await second?.stop();
  await api?.stop();
});

const revisionFor = (i: number) => propose(facilitator, fw.areas[0].indicators[i].id, fw.areas[0].indicators[i].versionId);

describe('ballot tallies live', () => {
  it('a secret ballot: the facilitator sees votes move, a stakeholder and a member get no tally until the close', async () => {
    const ballot = await ballotOn(facilitator, [(await revisionFor(0)).id], { secrecy: 'SECRET_UNTIL_CLOSE' });
    const [asFacilitator, asStakeholder, asMember] = [facilitator, stakeholder, member2].map((c) => subscribe(api.graphqlUrl, c.cookie, BALLOT_TALLY, { ballotId: ballot.id }));
    await following(api, topics.ballot(ballot.id), 3);

    await vote(memberOnSecond, ballot.questions[0].id, 'APPROVE');
    const [moved] = await asFacilitator.waitFor(1, 1000);
    expect(moved.data.ballotTally).toMatchObject({ event: { kind: 'VOTE_CAST', ballotId: ballot.id }, ballot: { status: 'OPEN', tallyVisible: true, questions: [{ tally: { approve: 1, participants: 1 } }] } });

    // Events arrive in sequence order: the close is the first the stakeholder and the member receive, so the vote never reached them.
    await facilitator.data(CLOSE_BALLOT, { id: ballot.id });
    for (const sub of [asStakeholder, asMember]) {
      await sub.waitFor(1);
      expect(sub.received.map((r) => r.data.ballotTally)).toMatchObject([
        { event: { kind: 'BALLOT_STATUS_CHANGED' }, ballot: { status: 'CLOSED', tallyVisible: true, questions: [{ tally: { approve: 1 } }] } },
      ]);
    }
    expect((await asFacilitator.waitFor(2))[1].data.ballotTally.event.kind).toBe('BALLOT_STATUS_CHANGED');
    await Promise.all([asFacilitator, asStakeholder, asMember].map((s) => s.close()));
  });

  it('an open ballot: a stakeholder sees the tally move as members vote', async () => {
    const ballot = await ballotOn(facilitator, [(await revisionFor(1)).id], { secrecy: 'OPEN' });
    const sub = subscribe(api.graphqlUrl, stakeholder.cookie, BALLOT_TALLY, { ballotId: ballot.id });
    await following(api, topics.ballot(ballot.id), 1);
    await vote(memberOnSecond, ballot.questions[0].id, 'REJECT');
    const [moved] = await sub.waitFor(1, 1000);
    expect(moved.data.ballotTally).toMatchObject({ event: { kind: 'VOTE_CAST' }, ballot: { tallyVisible: true, questions: [{ tally: { reject: 1 } }] } });
    await sub.close();
  });

  it('a ballot past its closing time tells its subscribers it closed, once, when its close job decides it; reading it announces nothing', async () => {
    const ballot = await ballotOn(facilitator, [(await revisionFor(3)).id], { secrecy: 'OPEN' });
    const sub = subscribe(api.graphqlUrl, stakeholder.cookie, BALLOT_TALLY, { ballotId: ballot.id });
    await following(api, topics.ballot(ballot.id), 1);
    await api.db.orm.em.fork().nativeUpdate(Ballot, { id: ballot.id }, { opensAt: new Date(Date.now() - 7200_000), closesAt: new Date(Date.now() - 1000) });
    const announced = async () =>
      (await api.db.orm.em.fork().execute("select 1 from live_event where topic = ? and kind = 'BALLOT_STATUS_CHANGED'", [topics.ballot(ballot.id)])).length;
    const before = await announced();

    // Read on the other API process: closed by the clock, and nothing written or sent.
    expect((await memberOnSecond.data(BALLOT, { id: ballot.id })).ballot.status).toBe('CLOSED');
    expect(await announced()).toBe(before);

    await runClockJobNow(api.db.orm, `ballot:${ballot.id}:closes`);
    const [closed] = await sub.waitFor(1, 10_000);
    expect(closed.data.ballotTally).toMatchObject({ event: { kind: 'BALLOT_STATUS_CHANGED', ballotId: ballot.id }, ballot: { status: 'CLOSED' } });

    // Decided once: the sweep finds nothing left to decide, and nothing more is announced.
    expect(await closeDueBallots(api.db.orm.em)).toBe(0);
    await settled(api.db.orm);
    expect(await announced()).toBe(before + 1);
    expect(sub.received).toHaveLength(1);
    await sub.close();
  });

  it('catching up on a secret ballot leaves out the votes for a stakeholder, not for a facilitator', async () => {
    const ballot = await ballotOn(facilitator, [(await revisionFor(2)).id], { secrecy: 'SECRET_UNTIL_CLOSE' });
    await vote(memberOnSecond, ballot.questions[0].id, 'ABSTAIN');
    const since = `query($topic: String!) { liveEventsSince(topic: $topic, afterSequence: 0) { kind } }`;
    const topic = `ballot:${ballot.id}`;
    expect((await facilitator.data(since, { topic })).liveEventsSince.map((e: { kind: string }) => e.kind)).toEqual(['BALLOT_STATUS_CHANGED', 'VOTE_CAST']);
    expect((await stakeholder.data(since, { topic })).liveEventsSince.map((e: { kind: string }) => e.kind)).toEqual(['BALLOT_STATUS_CHANGED']);
  });
});
