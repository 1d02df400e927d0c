import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { LiveEventKind, topics, type LiveEvent } from '../live/live-event.js';
import { LiveEventRecord, toRecord } from '../live/live.resolver.js';
import { followTopic, registerTopic } from '../live/topic-access.js';
import { Ballot } from './ballot.entity.js';
import { findBallot, tallyVisible } from './ballot.service.js';

/**
 * A ballot the viewer may see; votes as they are cast only where the viewer may see the tally
 * (facilitators always; others on an OPEN ballot, or once a secret one has closed).
 */
registerTopic('ballot:<ballotId>', async (em, viewer, [ballotId]) => {
  const ballot = await findBallot(em, viewer, ballotId);
  return (event) => event.kind !== LiveEventKind.VOTE_CAST || tallyVisible(ballot, viewer);
});

@ObjectType({ description: 'A ballot as it stands after a live event; its tally shows only where the viewer may see it.' })
export class BallotTallyUpdate {
  @Field(() => LiveEventRecord, { description: 'The event that changed the ballot.' }) event!: LiveEventRecord;
  @Field(() => Ballot, { description: 'The ballot as it stands after the event.' }) ballot!: Ballot;
}

@Resolver()
export class BallotActivityResolver {
  @Authorized()
  @Subscription(() => BallotTallyUpdate, {
    description: 'A ballot as votes are cast and its status changes. Votes of a secret ballot reach only facilitators until it closes.',
    subscribe: ({ args, context }) => followTopic(context, topics.ballot(args.ballotId), args.afterSequence),
  })
  async ballotTally(
    @Root() event: LiveEvent,
    @Arg('ballotId', () => ID, { description: 'The ballot to follow.' }) ballotId: string,
    @Arg('afterSequence', () => Int, { nullable: true, description: 'The last sequence seen; what came after it is replayed first.' }) _afterSequence: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BallotTallyUpdate> {
    return { event: toRecord(event), ballot: await findBallot(ctx.em, requireViewer(ctx.viewer), ballotId) };
  }
}
