import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import type { FrameworkFixture } from '../rounds/fixtures.js';
import { CLOSE_BALLOT, addMembers, ballotOn, createFramework, propose, vote, type BallotTerms } from './fixtures.js';

let api: TestApi;
let facilitator: GraphQLClient;
let voters: GraphQLClient[];
let fw: FrameworkFixture;
let next = 0;

beforeAll(async () => {
  api = await startTestApi();
  facilitator = await api.as(demo.facilitator);
  // Ten eligible members: the three of the demo and seven more.
  voters = [...(await Promise.all([demo.member, demo.member2, demo.member3].map((e) => api.as(e)))), ...(await addMembers(api, 7))];
  fw = await createFramework(api.db.orm, { slug: 'rules', areas: 1, perArea: 12 });
}, 120_000);
afterAll(() => api?.stop());

/** `a` APPROVE, `r` REJECT, `x` ABSTAIN from distinct members. */
const plan = (a: number, r: number, x: number) => [...Array(a).fill('APPROVE'), ...Array(r).fill('REJECT'), ...Array(x).fill('ABSTAIN')] as string[];

/** One ballot with a question per plan, voted through the endpoint, closed: the outcomes in order. */
async function decideThroughEndpoint(terms: BallotTerms, plans: string[][]) {
  const revisions = [];
  for (const _ of plans) {
    const ind = fw.areas[0].indicators[next++];
    revisions.push(await propose(facilitator, ind.id, ind.versionId));
  }
  const ballot = await ballotOn(facilitator, revisions.map((r) => r.id), terms);
  await Promise.all(plans.flatMap((choices, qi) => choices.map((choice, vi) => vote(voters[vi], ballot.questions[qi].id, choice))));
  const { closeBallot } = await facilitator.data(CLOSE_BALLOT, { id: ballot.id });
  expect(closeBallot.questions.every((q: any) => q.tally.eligible === 10)).toBe(true);
  return closeBallot.questions.map((q: any) => q.outcome);
}

const HALF = { numerator: 1, denominator: 2 };

describe('each rule decides its edge cases as stated, through the endpoint (10 eligible, quorum 1/2)', () => {
  it('simple majority: exactly at quorum passes, one short has no quorum, all abstaining is rejected', async () => {
    expect(await decideThroughEndpoint({ rule: 'SIMPLE_MAJORITY', quorum: HALF }, [plan(3, 1, 1), plan(3, 1, 0), plan(0, 0, 10)])).toEqual(['APPROVED', 'NO_QUORUM', 'REJECTED']);
  });

  it('two thirds of non-abstaining votes: exactly at the threshold passes, just under is rejected', async () => {
    expect(await decideThroughEndpoint({ rule: 'QUALIFIED_MAJORITY', quorum: HALF, share: { numerator: 2, denominator: 3 } }, [plan(6, 3, 1), plan(5, 3, 0)])).toEqual(['APPROVED', 'REJECTED']);
  });

  it('ISO: rejects over a quarter of all votes cast fail even at two thirds in favour; exactly a quarter passes', async () => {
    expect(await decideThroughEndpoint({ rule: 'ISO_DIS', quorum: HALF }, [plan(6, 2, 2), plan(6, 3, 1), plan(6, 2, 0)])).toEqual(['APPROVED', 'REJECTED', 'APPROVED']);
  });

  it('consensus: one REJECT among nine approvals blocks; approvals with abstentions pass', async () => {
    expect(await decideThroughEndpoint({ rule: 'CONSENSUS', quorum: HALF }, [plan(9, 1, 0), plan(3, 0, 2)])).toEqual(['REJECTED', 'APPROVED']);
  });
});
