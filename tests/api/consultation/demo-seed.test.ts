import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

describe('the demo consultation', () => {
  it('has an open SPWG round, opened a week ago and closing in 30 days, with comments, replies and dispositions', async () => {
    const stakeholder = await api.as(demo.stakeholder);
    const { rounds } = await stakeholder.data(`{ rounds(frameworkSlug: "spwg-lac-certification") { id status opensAt closesAt commentCount undisposedCount replyCount title { value } indicators { commentCount } } }`);
    expect(rounds).toHaveLength(1);
    const [round] = rounds;
    expect(round.status).toBe('OPEN');
    expect(Date.parse(round.closesAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.now() - Date.parse(round.opensAt)).toBeGreaterThan(6.9 * 86_400_000);
    expect(round).toMatchObject({ commentCount: 15, undisposedCount: 9, replyCount: 3 });
    const { roundComments } = await stakeholder.data(`query($id: ID!) { roundComments(roundId: $id, first: 100) { totalCount edges { node { withdrawnAt anchor { exact } disposition { status } } } } }`, { id: round.id });
    expect(roundComments.totalCount).toBe(16);
    expect(roundComments.edges.filter((e: any) => e.node.anchor).length).toBeGreaterThanOrEqual(8);
  });

  it('has an open USSPM round taking ratings, with a distribution per practice', async () => {
    const member = await api.as(demo.member);
    const { rounds } = await member.data(`{ rounds(frameworkSlug: "usspm") { status ratingsEnabled indicators { indicator { code } ratings { essential total } } } }`);
    expect(rounds[0]).toMatchObject({ status: 'OPEN', ratingsEnabled: true });
    const first = rounds[0].indicators.find((i: any) => i.indicator.code === '1A.1');
    expect(first.ratings).toEqual({ essential: 4, total: 5 });
  });
});
