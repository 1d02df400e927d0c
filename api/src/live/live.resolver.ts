import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { LiveEventKind, type LiveEvent } from './live-event.js';
import { liveEventsSince } from './live-event.log.js';
import { authorizeTopic, checkedSequence, topicSequence } from './topic-access.js';

@ObjectType('LiveEvent', { description: 'Something that changed, sent live and kept for catch-up. Load what changed through its ids.' })
export class LiveEventRecord {
  @Field(() => String, { description: '`round:<id>`, `indicator:<roundId>:<versionId>`, `ballot:<id>` or `meeting:<id>`.' })
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
  @Field(() => ID, { nullable: true, description: 'The meeting concerned, for meeting events.' }) meetingId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The agenda item concerned, for meeting events about one.' }) agendaItemId?: string | null;
}

/** An event as a client receives it. */
export const toRecord = (e: LiveEvent): LiveEventRecord => ({ topic: e.topic, sequence: e.sequence, kind: e.kind, at: e.at, ...e.ids });

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
  liveSequence(@Arg('topic', () => String, { description: 'The topic, as in `LiveEvent.topic`.' }) topic: string, @Ctx() ctx: RequestContext) {
    return topicSequence(ctx, topic);
  }
}
