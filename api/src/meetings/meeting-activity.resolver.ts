import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver, Root, Subscription, FieldResolver } from 'type-graphql';
import { IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { requireViewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { publishBallotStatusEvent } from '../ballots/ballot-activity.js';
import { Comment } from '../comments/comment.entity.js';
import type { RequestContext } from '../context.js';
import { LiveEventKind, topics, type LiveEvent } from '../live/live-event.js';
import { LiveEventRecord, toRecord } from '../live/live.resolver.js';
import { publishLiveEvent, type MutationContext } from '../live/publish.js';
import { everything, followTopic, registerTopic } from '../live/topic-access.js';
import { publishCommentEvent } from '../rounds/round-activity.js';
import { Role } from '../users/user.entity.js';
import * as live from './live-meeting.service.js';
import { Meeting } from './meeting.entity.js';
import { findMeeting } from './meeting.service.js';

/** A meeting's live activity reaches whoever may see the meeting. */
registerTopic('meeting:<meetingId>', async (em, viewer, [meetingId]) => {
  await findMeeting(em, viewer, meetingId);
  return everything;
});

/** Reports a change of the meeting's current item or speaking queue, or a point from the room; returns the meeting. */
async function publishMeetingEvent(ctx: MutationContext, kind: LiveEventKind, meeting: Meeting, extra: { agendaItemId?: string; commentId?: string } = {}): Promise<Meeting> {
  await publishLiveEvent(ctx, kind, { meetingId: meeting.id, ...extra });
  return meeting;
}

@ObjectType({ description: 'A person in the speaking queue.' })
export class QueuedSpeaker {
  @Field(() => ID, { description: 'The raised hand.' }) id!: string;
  @Field(() => String, { description: 'Who raised it.' }) name!: string;
  @Field(() => Date, { description: 'When.' }) raisedAt!: Date;
}

@ObjectType({ description: 'A meeting’s speaking queue.' })
export class SpeakingQueue {
  @Field(() => [QueuedSpeaker], { description: 'Hands up, first raised first.' }) waiting!: QueuedSpeaker[];
  @Field(() => QueuedSpeaker, { nullable: true, description: 'The last person given the floor.' }) speaking!: QueuedSpeaker | null;
}

@ObjectType({ description: 'A meeting as it stands after a live event.' })
export class MeetingUpdate {
  @Field(() => LiveEventRecord, { description: 'What changed.' }) event!: LiveEventRecord;
  @Field(() => Meeting, { description: 'The meeting as it stands now.' }) meeting!: Meeting;
}

@InputType({ description: 'A point raised in the meeting’s room, recorded as a comment on the current item’s indicator on behalf of whoever raised it.' })
export class RoomPointInput {
  @Field(() => ID, { description: 'The current agenda item (about an indicator in a round).' })
  @IsUUID()
  agendaItemId!: string;

  @Field(() => String, { description: 'What was said (Markdown).' })
  @Length(1, 10000)
  body!: string;

  @Field(() => String, { nullable: true, description: 'Who raised it.' })
  @IsOptional()
  @MaxLength(200)
  personName?: string | null;

  @Field(() => ID, { nullable: true, description: 'Their organization, when known to Consulta.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;

  @Field(() => String, { nullable: true, description: 'Their organization, when not known to Consulta.' })
  @IsOptional()
  @MaxLength(200)
  organizationName?: string | null;
}

@Resolver(() => Meeting)
export class MeetingActivityResolver {
  @Authorized()
  @Subscription(() => MeetingUpdate, {
    description: 'A meeting live: the facilitator moving through the agenda, the speaking queue, points from the room. With `afterSequence`, what came after it is replayed first.',
    subscribe: ({ args, context }) => followTopic(context, topics.meeting(args.meetingId), args.afterSequence),
  })
  async meetingActivity(
    @Root() event: LiveEvent,
    @Arg('meetingId', () => ID, { description: 'The meeting to follow.' }) meetingId: string,
    @Arg('afterSequence', () => Int, { nullable: true, description: 'The last sequence seen.' }) _afterSequence: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MeetingUpdate> {
    return { event: toRecord(event), meeting: await findMeeting(ctx.em, requireViewer(ctx.viewer), meetingId) };
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Meeting, { description: 'Moves the meeting to an agenda item (null: to none); every participant’s page follows.' })
  async setCurrentAgendaItem(
    @Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string,
    @Arg('agendaItemId', () => ID, { nullable: true, description: 'The item, or null.' }) agendaItemId: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const meeting = await live.setCurrentItem(ctx.em, requireViewer(ctx.viewer), meetingId, agendaItemId ?? null);
    return publishMeetingEvent(ctx, LiveEventKind.MEETING_ITEM_CHANGED, meeting, agendaItemId ? { agendaItemId } : {});
  }

  @Authorized()
  @Mutation(() => Meeting, { description: 'Raises the viewer’s hand in the speaking queue (once).' })
  async raiseHand(@Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string, @Ctx() ctx: RequestContext) {
    return publishMeetingEvent(ctx, LiveEventKind.SPEAKING_QUEUE_CHANGED, await live.raiseHand(ctx.em, requireViewer(ctx.viewer), meetingId));
  }

  @Authorized()
  @Mutation(() => Meeting, { description: 'Lowers the viewer’s own hand.' })
  async lowerHand(@Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string, @Ctx() ctx: RequestContext) {
    return publishMeetingEvent(ctx, LiveEventKind.SPEAKING_QUEUE_CHANGED, await live.lowerHand(ctx.em, requireViewer(ctx.viewer), meetingId));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Meeting, { description: 'Gives the floor to the first raised hand.' })
  async callNextSpeaker(@Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string, @Ctx() ctx: RequestContext) {
    return publishMeetingEvent(ctx, LiveEventKind.SPEAKING_QUEUE_CHANGED, await live.callNextSpeaker(ctx.em, requireViewer(ctx.viewer), meetingId));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Ballot, { description: 'Opens a quick ballot on the current item’s revision (the members vote for `minutes`, simple majority, open tally). CONFLICT `NO_CURRENT_ITEM` / `QUICK_BALLOT_NEEDS_REVISION`.' })
  async openQuickBallot(
    @Arg('agendaItemId', () => ID, { description: 'The current agenda item.' }) agendaItemId: string,
    @Arg('minutes', () => Int, { description: 'How long voting lasts, 1 to 120 minutes.' }) minutes: number,
    @Ctx() ctx: RequestContext,
  ) {
    const { ballot, meeting, item } = await live.openQuickBallot(ctx.em, requireViewer(ctx.viewer), agendaItemId, Math.min(120, Math.max(1, Math.trunc(minutes))));
    await publishMeetingEvent(ctx, LiveEventKind.MEETING_ITEM_CHANGED, meeting, { agendaItemId: item.id });
    return publishBallotStatusEvent(ctx, ballot);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Comment, { description: 'Records a point raised in the room as a comment on the current item’s indicator, on behalf of whoever raised it, with this meeting as its source. CONFLICT `NO_CURRENT_ITEM` / `ROOM_POINT_NEEDS_INDICATOR`.' })
  async recordRoomPoint(@Arg('input', () => RoomPointInput, { description: 'The point and who raised it.' }) input: RoomPointInput, @Ctx() ctx: RequestContext) {
    const { comment, meeting, item } = await live.recordRoomPoint(ctx.em, requireViewer(ctx.viewer), input);
    await publishMeetingEvent(ctx, LiveEventKind.ROOM_POINT_RECORDED, meeting, { agendaItemId: item.id, commentId: comment.id });
    return publishCommentEvent(ctx, LiveEventKind.COMMENT_ADDED, comment);
  }

  @FieldResolver(() => SpeakingQueue, { description: 'The speaking queue: hands up in order, and who has the floor.' })
  speakingQueue(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return live.speakingQueue(ctx.em, meeting.id);
  }
}
