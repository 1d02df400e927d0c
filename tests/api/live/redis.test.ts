import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, type FrameworkFixture } from '../rounds/fixtures.js';
import { topics } from '../../../api/src/live/live-event.js';
import { ROUND_ACTIVITY, following, twoProcessesWithRound, startSecondApi, subscribe } from './live-support.js';

const REDIS = { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };

let api: TestApi;
let second: Awaited<ReturnType<typeof startSecondApi>>;
let fw: FrameworkFixture;
let roundId: string;
let facilitator: GraphQLClient;
let stakeholderOnSecond: GraphQLClient;

beforeAll(async () => {
  ({ api, second, facilitator, stakeholderOnSecond, fw, roundId } = await twoProcessesWithRound('live-redis', 2, REDIS));
});
afterAll(async () => {
  await second?.stop();
  await api?.stop();
});

describe('across API processes (Redis pub/sub)', () => {
  it('uses Redis when REDIS_URL is set', () => {
    expect([api.app.live.transport, second.app.live.transport]).toEqual(['redis', 'redis']);
  });

  it('a subscriber on the first process receives, within a second, a comment posted through the second', async () => {
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId });
    // Subscribed in Redis and its start read: the comment cannot slip past it.
    await following(api, topics.round(roundId), 1);
    const sent = Date.now();
    const { addComment } = await stakeholderOnSecond.data(ADD_COMMENT, {
      input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body: 'Llega por Redis.' },
    });
    const [event] = await sub.waitFor(1, 1000);
    expect(event.data.roundActivity).toMatchObject({ kind: 'COMMENT_ADDED', commentId: addComment.id });
    expect(event.at - sent).toBeLessThan(1000);
    await sub.close();
  });
});
