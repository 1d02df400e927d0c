/** The live operations' rows of the authorization matrix (authorization/authorization-matrix.ts). Subscriptions are checked in live.test.ts. */
import { workingGroupRound } from '../rounds/working-group-round.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';

/** The working group's round: its members may follow it, the stakeholder (an MFI in Peru) may not. */
const workingGroupTopic = async (fx: Fixtures) => `round:${(await workingGroupRound(fx.api)).roundId}`;

export const liveQueries: Record<string, OperationRow> = {
  liveEventsSince: {
    minimum: 'signedIn',
    rule: 'whoever may follow the topic: whoever may read the round (its audience and facilitators); a ballot’s votes only where its tally is visible',
    cells: { stakeholder: 'FORBIDDEN' },
    document: `query($topic: String!, $afterSequence: Int!) { liveEventsSince(topic: $topic, afterSequence: $afterSequence) { sequence } }`,
    variables: async (fx) => ({ topic: await workingGroupTopic(fx), afterSequence: 0 }),
  },
  liveSequence: {
    minimum: 'signedIn',
    rule: 'whoever may follow the topic',
    cells: { stakeholder: 'FORBIDDEN' },
    document: `query($topic: String!) { liveSequence(topic: $topic) }`,
    variables: async (fx) => ({ topic: await workingGroupTopic(fx) }),
  },
};
