import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { findBallot } from '../ballots/ballot.service.js';
import { badInput } from '../errors.js';
import { LiveEventKind, topics, type LiveEvent } from './live-event.js';
import { lastLiveSequence, liveEventsSince } from './live-event.log.js';
import { authorizeTopic, type EventFilter } from './topic-access.js';

@ObjectType('LiveEvent', { description: 'Something that changed, sent live and kept for catch-up. Load what changed through its ids.' })
export class LiveEventRecord {
  @Field(() => String, { description: '`round:<id>`, `indicator:<roundId>:<versionId>` or `ballot:<id>`.' })
  topic!: string;

  @Field(() => Int, { description: 'Gap-free within the topic, in commit order: the last one seen is what `afterSequence` takes.' })
  sequence!: number;

  @Field(() => LiveEventKind, { description: 'What happened.' })
  kind!: LiveEventKind;

  @Field(() => Date, { description: 'When it was committed.' })
  at!: Date;

  @Field(() => ID, { nullable: true, description: 'The round concerned; null for a ballot event.' }) roundId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The indicator version concerned, when the event is about one.' }) indicatorVersionId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The comment or reply concerned, for comment and disposition events.' }) commentId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The thread (its top-level comment) of that comment.' }) threadId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The ballot concerned, for ballot events.' }) ballotId?: string | null;
}

@ObjectType({ description: 'A ballot as it stands after a live event; its tally shows only where the viewer may see it.' })
export class BallotTallyUpdate {
  @Field(() => LiveEventRecord, { description: 'The event that changed the ballot.' }) event!: LiveEventRecord;
  @Field(() => Ballot, { description: 'The ballot as it stands after the event.' }) ballot!: Ballot;
}

const toRecord = (e: LiveEvent): LiveEventRecord => ({ topic: e.topic, sequence: e.sequence, kind: e.kind, at: e.at, ...e.ids });

@Resolver()
export class LiveResolver {
  @Authorized()
  @Query(() => [LiveEventRecord], {
    description: 'What a live topic reported after `afterSequence` (at most 500, oldest first): what a client that reconnects missed.',
  })
  async liveEventsSince(
    @Arg('topic', () => String, { description: 'The topic, as in `LiveEvent.topic`; FORBIDDEN when the viewer may not follow it.' }) topic: string,
    @Arg('afterSequence', () => Int, { description: 'The last sequence seen (0 or more).' }) afterSequence: number,
    @Ctx() ctx: RequestContext,
  ) {
    const allowed = await authorizeTopic(ctx.em, requireViewer(ctx.viewer), topic);
    return (await liveEventsSince(ctx.em, topic, checkedSequence(afterSequence))).filter(allowed).map(toRecord);
  }

  @Authorized()
  @Query(() => Int, { description: 'The latest sequence of a live topic (0 before its first event): where a page loaded now starts following.' })
  async liveSequence(@Arg('topic', () => String, { description: 'The topic, as in `LiveEvent.topic`.' }) topic: string, @Ctx() ctx: RequestContext) {
    await authorizeTopic(ctx.em, requireViewer(ctx.viewer), topic);
    return lastLiveSequence(ctx.em, topic);
  }

  @Authorized()
  @Subscription(() => LiveEventRecord, {
    description:
      'Comments and replies added, edited and withdrawn, dispositions and status changes of a round (of one indicator version in it when given). With `afterSequence`, what came after it is replayed first.',
    subscribe: ({ args, context }) =>
      follow(context, args.indicatorVersionId ? topics.indicator(args.roundId, args.indicatorVersionId) : topics.round(args.roundId), args.afterSequence),
  })
  roundActivity(
    @Root() event: LiveEvent,
    @Arg('roundId', () => ID, { description: 'The round to follow.' }) _roundId: string,
    @Arg('indicatorVersionId', () => ID, { nullable: true, description: 'Only this indicator version’s activity in the round.' }) _indicatorVersionId: string | null,
    @Arg('afterSequence', () => Int, { nullable: true, description: 'The last sequence seen; what came after it is replayed first.' }) _afterSequence: number | null,
  ): LiveEventRecord {
    return toRecord(event);
  }

  @Authorized()
  @Subscription(() => BallotTallyUpdate, {
    description: 'A ballot as votes are cast and its status changes. Votes of a secret ballot reach only facilitators until it closes.',
    subscribe: ({ args, context }) => follow(context, topics.ballot(args.ballotId), args.afterSequence),
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

function checkedSequence(afterSequence: number) {
  if (afterSequence < 0) throw badInput('afterSequence', 'Must be 0 or more');
  return afterSequence;
}

/** The topic's events the viewer may receive, after checking they may follow it at all. */
async function follow(ctx: RequestContext, topic: string, afterSequence: number | null | undefined): Promise<AsyncIterable<LiveEvent>> {
  const allowed = await authorizeTopic(ctx.em, requireViewer(ctx.viewer), topic);
  const after = afterSequence == null ? undefined : checkedSequence(afterSequence);
  return onlyAllowed(ctx.app.live.subscribe(topic, { afterSequence: after }), allowed);
}

/** Filters without an async generator, whose return() would wait for the next event before ending the subscription. */
function onlyAllowed(source: AsyncIterableIterator<LiveEvent>, allowed: EventFilter): AsyncIterableIterator<LiveEvent> {
  return {
    async next() {
      for (;;) {
        const r = await source.next();
        if (r.done || allowed(r.value)) return r;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
