import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { topics, type LiveEvent } from '../live/live-event.js';
import { LiveEventRecord, toRecord } from '../live/live.resolver.js';
import { everything, followTopic, registerTopic, topicSequence, type TopicAccess } from '../live/topic-access.js';
import { RoundIndicator } from './round-indicator.js';
import { requireRoundReader } from './round-readers.js';
import { getRound } from './round.service.js';

/** A round's activity, and one indicator version's within it, reach whoever may read the round. */
const roundReaders: TopicAccess = async (em, viewer, [roundId]) => {
  await requireRoundReader(viewer, await getRound(em, roundId));
  return everything;
};
registerTopic('round:<roundId>', roundReaders);
registerTopic('indicator:<roundId>:<versionId>', roundReaders);

@Resolver()
export class RoundActivityResolver {
  @Authorized()
  @Subscription(() => LiveEventRecord, {
    description:
      'Comments and replies added, edited and withdrawn, dispositions and status changes of a round (of one indicator version in it when given). With `afterSequence`, what came after it is replayed first.',
    subscribe: ({ args, context }) =>
      followTopic(context, args.indicatorVersionId ? topics.indicator(args.roundId, args.indicatorVersionId) : topics.round(args.roundId), args.afterSequence),
  })
  roundActivity(
    @Root() event: LiveEvent,
    @Arg('roundId', () => ID, { description: 'The round to follow.' }) _roundId: string,
    @Arg('indicatorVersionId', () => ID, { nullable: true, description: 'Only this indicator version’s activity in the round.' }) _indicatorVersionId: string | null,
    @Arg('afterSequence', () => Int, { nullable: true, description: 'The last sequence seen; what came after it is replayed first.' }) _afterSequence: number | null,
  ): LiveEventRecord {
    return toRecord(event);
  }
}

@Resolver(() => RoundIndicator)
export class RoundIndicatorActivityResolver {
  // An indicator's page knows the indicator, not the version its topic is named after.
  @FieldResolver(() => Int, {
    description: 'The latest sequence of this version’s live topic (`indicator:<roundId>:<versionId>`), as `liveSequence` gives it: read before a page’s data, the `afterSequence` its `roundActivity` starts from.',
  })
  liveSequence(@Root() pinned: RoundIndicator, @Ctx() ctx: RequestContext) {
    return topicSequence(ctx, topics.indicator(pinned.roundId, pinned.indicatorVersionId));
  }
}
