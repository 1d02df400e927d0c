import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameworkKind } from '../../../api/src/frameworks/framework.entity.js';
import { PracticeRating } from '../../../api/src/ratings/practice-rating.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';

let api: TestApi;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let member: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  fw = await createFramework(api.db.orm, { slug: 'practices', kind: FrameworkKind.PRACTICES, areas: 1, perArea: 3 });
  [facilitator, stakeholder, member] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder), api.as(demo.member)]);
});
afterAll(() => api?.stop());

const RATE = `mutation($input: RatePracticeInput!) { ratePractice(input: $input) { id value comment indicator { code } } }`;
const DISTRIBUTION = `query($id: ID!) { round(id: $id) { ratingsEnabled indicators { indicator { code } ratings { essential useful notRelevant noOpinion total } myRating { value comment } } } }`;
const ratings = () => api.db.orm.em.fork().count(PracticeRating, {});

describe('USSPM practice ratings', () => {
  it('one rating per person per practice: rating again changes it, and the distribution counts each person once', async () => {
    const round = await openRound(facilitator, fw, { ratingsEnabled: true });
    const practice = fw.areas[0].indicators[0];
    const first = await stakeholder.data(RATE, { input: { roundId: round.id, indicatorId: practice.id, value: 'USEFUL' } });
    const second = await stakeholder.data(RATE, { input: { roundId: round.id, indicatorId: practice.id, value: 'ESSENTIAL', comment: 'Clave para la región' } });
    expect(second.ratePractice).toEqual({ id: first.ratePractice.id, value: 'ESSENTIAL', comment: 'Clave para la región', indicator: { code: practice.code } });
    await member.data(RATE, { input: { roundId: round.id, indicatorId: practice.id, value: 'NOT_RELEVANT' } });
    await member.data(RATE, { input: { roundId: round.id, indicatorId: fw.areas[0].indicators[1].id, value: 'NO_OPINION' } });

    const { round: r } = await stakeholder.data(DISTRIBUTION, { id: round.id });
    expect(r.indicators[0]).toEqual({ indicator: { code: practice.code }, ratings: { essential: 1, useful: 0, notRelevant: 1, noOpinion: 0, total: 2 }, myRating: { value: 'ESSENTIAL', comment: 'Clave para la región' } });
    expect(r.indicators[1].ratings).toEqual({ essential: 0, useful: 0, notRelevant: 0, noOpinion: 1, total: 1 });
    expect(r.indicators[1].myRating).toBeNull();
  });

  it('the database itself refuses a second row for the same person and practice', async () => {
    const round = await openRound(facilitator, fw, { ratingsEnabled: true });
    const em = api.db.orm.em.fork();
    const user = await em.findOneOrFail(User, { email: demo.member3 });
    const insert = `insert into practice_rating (id, round_id, indicator_id, user_id, value, updated_at) values (gen_random_uuid(), ?, ?, ?, 'USEFUL', now())`;
    await em.execute(insert, [round.id, fw.areas[0].indicators[2].id, user.id]);
    await expect(em.execute(insert, [round.id, fw.areas[0].indicators[2].id, user.id])).rejects.toThrow(/practice_rating_round_id_indicator_id_user_id_unique/);
  });

  it('concurrent ratings by one person leave one row', async () => {
    const round = await openRound(facilitator, fw, { ratingsEnabled: true });
    const practice = fw.areas[0].indicators[1].id;
    const values = ['ESSENTIAL', 'USEFUL', 'NOT_RELEVANT', 'NO_OPINION', 'USEFUL', 'ESSENTIAL'];
    await Promise.all(values.map((value) => stakeholder.data(RATE, { input: { roundId: round.id, indicatorId: practice, value } })));
    expect(await api.db.orm.em.fork().count(PracticeRating, { round: round.id, indicator: practice })).toBe(1);
  });

  it('is refused, with nothing stored, when the round takes no ratings, is not open, or the practice is not in it', async () => {
    const before = await ratings();
    const plain = await openRound(facilitator, fw);
    expect((await stakeholder.error(RATE, { input: { roundId: plain.id, indicatorId: fw.areas[0].indicators[0].id, value: 'USEFUL' } })).extensions?.reason).toBe('RATINGS_DISABLED');
    const later = await openRound(facilitator, fw, { ratingsEnabled: true, opensAt: new Date(Date.now() + 3600_000).toISOString() });
    expect((await stakeholder.error(RATE, { input: { roundId: later.id, indicatorId: fw.areas[0].indicators[0].id, value: 'USEFUL' } })).extensions?.reason).toBe('ROUND_NOT_OPEN');
    const other = await createFramework(api.db.orm, { slug: 'practices-2', kind: FrameworkKind.PRACTICES, areas: 1, perArea: 1 });
    const open = await openRound(facilitator, fw, { ratingsEnabled: true });
    const err = await stakeholder.error(RATE, { input: { roundId: open.id, indicatorId: other.areas[0].indicators[0].id, value: 'USEFUL' } });
    expect(err.extensions?.fields?.[0].field).toBe('indicatorId');
    expect(await ratings()).toBe(before);
  });
});
