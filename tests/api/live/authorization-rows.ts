/** The live operations' rows of the authorization matrix (hardening/authorization-matrix.ts). Subscriptions are checked in live.test.ts. */
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import type { Fixtures, OperationRow } from '../hardening/authorization-matrix.js';

const demoRoundTopic = async (fx: Fixtures) => `round:${await fx.id(ConsultationRound, { audienceAll: true })}`;

export const liveQueries: Record<string, OperationRow> = {
  liveEventsSince: {
    minimum: 'signedIn',
    rule: 'whoever may follow the topic: the round’s audience and facilitators; a ballot’s votes only where its tally is visible',
    document: `query($topic: String!, $afterSequence: Int!) { liveEventsSince(topic: $topic, afterSequence: $afterSequence) { sequence } }`,
    variables: async (fx) => ({ topic: await demoRoundTopic(fx), afterSequence: 0 }),
  },
  liveSequence: {
    minimum: 'signedIn',
    rule: 'whoever may follow the topic',
    document: `query($topic: String!) { liveSequence(topic: $topic) }`,
    variables: async (fx) => ({ topic: await demoRoundTopic(fx) }),
  },
};
