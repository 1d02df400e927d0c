import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requireViewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { findBallot } from '../ballots/ballot.service.js';
import type { RequestContext } from '../context.js';
import { withinLength } from '../errors.js';
import { readingLanguages } from '../frameworks/reading-language.js';
import { localize, LocalizedString } from '../i18n/localized-text.js';
import { IndicatorVersion } from '../indicators/indicator.entity.js';
import { indicatorVersionById } from '../indicators/indicator.loaders.js';
import { organizationById } from '../certification/certification.loaders.js';
import { Organization } from '../organizations/organization.entity.js';
import { Role } from '../users/user.entity.js';
import { AgendaFile } from './agenda-file.entity.js';
import { agendaFilePath } from './agenda-file.service.js';
import { actionItemsOfMeeting, agendaItemById, agendaOfMeeting, decisionsOfMeeting, filesOfAgendaItem } from './meeting.loaders.js';
import { ActionItem, AgendaItem, AgendaMove, Attendance, Decision, Meeting, MinutesSignOff, Registration, RegistrationStatus } from './meeting.entity.js';
import { AddActionItemInput, AddAgendaItemInput, RecordAttendanceInput, RecordDecisionInput, ScheduleMeetingInput } from './meeting.inputs.js';
import * as meetings from './meeting.service.js';
import * as minutes from './minutes.service.js';
import { MeetingActivityResolver } from './meeting-activity.resolver.js';

@ObjectType({ description: 'How many people were present in one organization or country.' })
export class AttendanceCount {
  @Field(() => String, { description: 'The organization’s name, or the country’s code.' }) label!: string;
  @Field(() => Int, { description: 'People present.' }) count!: number;
}

@ObjectType({ description: 'Who was present, counted.' })
export class AttendanceSummary {
  @Field(() => Int, { description: 'Everyone present.' }) total!: number;
  @Field(() => [AttendanceCount], { description: 'Per organization, most first.' }) byOrganization!: AttendanceCount[];
  @Field(() => [AttendanceCount], { description: 'Per country, most first.' }) byCountry!: AttendanceCount[];
}

@ObjectType({ description: 'A registration as the facilitator sees it in the list.' })
export class RegistrationLine {
  @Field(() => ID, { description: 'The registration.' }) id!: string;
  @Field(() => RegistrationStatus, { description: 'Confirmed or on the waiting list.' }) status!: RegistrationStatus;
  @Field(() => String, { description: 'The person.' }) name!: string;
  @Field(() => String, { nullable: true, description: 'Their organization.' }) organizationName!: string | null;
  @Field(() => String, { nullable: true, description: 'Their organization’s country.' }) country!: string | null;
  @Field(() => Date, { description: 'When they registered.' }) registeredAt!: Date;
}

@ObjectType({ description: 'A link an agenda item lists as material.' })
export class MaterialLink {
  @Field(() => String, { description: 'What it is.' }) label!: string;
  @Field(() => String, { description: 'Where it is.' }) url!: string;
}

const languageArg = () => Arg('language', () => String, { nullable: true, description: 'The language to read it in (es, en, pt, fr); by default the reader’s own.' });

@Resolver(() => Meeting)
export class MeetingResolver {
  @Query(() => [Meeting], { description: 'The meetings the viewer may see (signed out: the public ones), upcoming first, then past ones, latest first.' })
  meetings(@Ctx() ctx: RequestContext) {
    return meetings.listMeetings(ctx.em, ctx.viewer);
  }

  @Query(() => Meeting, { description: 'One meeting; NOT_FOUND when the viewer may not see it (a public meeting is seen signed out).' })
  meeting(@Arg('id', () => ID, { description: 'The meeting.' }) id: string, @Ctx() ctx: RequestContext) {
    return meetings.findMeeting(ctx.em, ctx.viewer, id);
  }

  @Authorized()
  @Query(() => String, { description: 'The path of the viewer’s own calendar feed (every meeting they are registered for), signed so that a calendar app reads it without a session.' })
  async myCalendarFeedPath(@Ctx() ctx: RequestContext) {
    return `/exports/meetings/feed/${await meetings.feedToken(ctx.em, ctx.app.config, requireViewer(ctx.viewer).id)}.ics`;
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Meeting, { description: 'Schedules a meeting. BAD_USER_INPUT for a title missing in the meeting’s language, times out of order, an unknown time zone (`MEETING_TIME_ZONE`) or neither place nor link (`MEETING_PLACE_REQUIRED`).' })
  scheduleMeeting(@Arg('input', () => ScheduleMeetingInput, { description: 'The meeting.' }) input: ScheduleMeetingInput, @Ctx() ctx: RequestContext) {
    return meetings.scheduleMeeting(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized()
  @Mutation(() => Registration, { description: 'Registers the viewer: a place while there is one, else the waiting list; registering again returns the standing registration. CONFLICT `MEETING_OVER` after it ended.' })
  registerForMeeting(@Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string, @Ctx() ctx: RequestContext) {
    return meetings.register(ctx.em, requireViewer(ctx.viewer), meetingId);
  }

  @Authorized()
  @Mutation(() => Meeting, { description: 'Cancels the viewer’s registration; a freed place goes to the first on the waiting list. CONFLICT `NOT_REGISTERED`.' })
  cancelMeetingRegistration(@Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string, @Ctx() ctx: RequestContext) {
    return meetings.cancelRegistration(ctx.em, requireViewer(ctx.viewer), meetingId);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Attendance, { description: 'Records someone present, by organization and country.' })
  recordAttendance(@Arg('input', () => RecordAttendanceInput, { description: 'Who was present.' }) input: RecordAttendanceInput, @Ctx() ctx: RequestContext) {
    return meetings.recordAttendance(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => AgendaItem, { description: 'Adds an item at the end of the agenda, optionally linked to an indicator in a round, a revision, a ballot or a round’s dispositions. CONFLICT `MINUTES_APPROVED` once the minutes are approved.' })
  addAgendaItem(@Arg('input', () => AddAgendaItemInput, { description: 'The item.' }) input: AddAgendaItemInput, @Ctx() ctx: RequestContext) {
    return minutes.addAgendaItem(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Meeting, { description: 'Moves an agenda item one place up or down, swapping it with its neighbour; at the top (or bottom) already, nothing changes. CONFLICT `MINUTES_APPROVED` once the minutes are approved.' })
  moveAgendaItem(
    @Arg('agendaItemId', () => ID, { description: 'The agenda item.' }) agendaItemId: string,
    @Arg('direction', () => AgendaMove, { description: 'Up or down.' }) direction: AgendaMove,
    @Ctx() ctx: RequestContext,
  ) {
    return minutes.moveAgendaItem(ctx.em, requireViewer(ctx.viewer), agendaItemId, direction);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => AgendaItem, { description: 'Saves an agenda item’s minutes (Markdown). CONFLICT `MINUTES_APPROVED` once approved.' })
  saveItemMinutes(
    @Arg('agendaItemId', () => ID, { description: 'The agenda item.' }) agendaItemId: string,
    @Arg('minutes', () => String, { description: 'The minutes, 50,000 characters at most.' }) text: string,
    @Ctx() ctx: RequestContext,
  ) {
    return minutes.saveItemMinutes(ctx.em, requireViewer(ctx.viewer), agendaItemId, withinLength('minutes', text, 50_000));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Decision, { description: 'Records a decision under an agenda item, with the ballot or disposition behind it. CONFLICT `MINUTES_APPROVED` once approved.' })
  recordDecision(@Arg('input', () => RecordDecisionInput, { description: 'The decision.' }) input: RecordDecisionInput, @Ctx() ctx: RequestContext) {
    return minutes.recordDecision(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ActionItem, { description: 'Gives an action item (responsible organization and person, due date) from an agenda item. CONFLICT `MINUTES_APPROVED` once approved.' })
  addActionItem(@Arg('input', () => AddActionItemInput, { description: 'The action item.' }) input: AddActionItemInput, @Ctx() ctx: RequestContext) {
    return minutes.addActionItem(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ActionItem, { description: 'Marks an action item done, or not done again; allowed after the minutes are approved.' })
  markActionItem(
    @Arg('id', () => ID, { description: 'The action item.' }) id: string,
    @Arg('done', () => Boolean, { description: 'Done or not.' }) done: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return minutes.markActionItem(ctx.em, requireViewer(ctx.viewer), id, done);
  }

  @Authorized(Role.MEMBER)
  @Mutation(() => Meeting, { description: 'A working-group member present signs the minutes off; when every member present has, they are approved, immutable and published. FORBIDDEN `NOT_PRESENT`; CONFLICT `MINUTES_APPROVED`.' })
  signOffMinutes(@Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string, @Ctx() ctx: RequestContext) {
    return minutes.signOffMinutes(ctx.em, requireViewer(ctx.viewer), meetingId);
  }

  @FieldResolver(() => LocalizedString, { description: 'Its title.' })
  title(@Root() meeting: Meeting, @Ctx() ctx: RequestContext, @languageArg() language?: string | null) {
    return localize(meeting.title, readingLanguages(ctx, language as never, meeting.language), meeting.language);
  }

  @FieldResolver(() => [AgendaItem], { description: 'The agenda, in order.' })
  agenda(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return ctx.loader(agendaOfMeeting).load(meeting.id);
  }

  @FieldResolver(() => AgendaItem, { nullable: true, description: 'The item the meeting is on now (live meeting mode); null before the facilitator starts.' })
  async currentItem(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return meeting.currentItemId ? ctx.loader(agendaItemById).load(meeting.currentItemId) : null;
  }

  @FieldResolver(() => Registration, { nullable: true, description: 'The viewer’s own standing registration; null when not registered or signed out.' })
  myRegistration(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return ctx.viewer ? meetings.standingRegistration(ctx.em, meeting.id, ctx.viewer.id) : null;
  }

  @FieldResolver(() => [RegistrationLine], { nullable: true, description: 'Who registered, confirmed first, then the waiting list in order; facilitators only (null for others).' })
  async registrations(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    if (!ctx.viewer?.isFacilitator) return null;
    return (await meetings.registrationsOf(ctx.em, meeting.id)).map((r) => ({ id: r.id, status: r.status, name: r.name, organizationName: r.organization_name, country: r.country, registeredAt: new Date(r.registered_at) }));
  }

  @FieldResolver(() => AttendanceSummary, { description: 'Who was present, per organization and per country.' })
  attendance(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return meetings.attendanceCounts(ctx.em, meeting.id);
  }

  @FieldResolver(() => [Decision], { description: 'The decisions taken, in order.' })
  decisions(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return ctx.loader(decisionsOfMeeting).load(meeting.id);
  }

  @FieldResolver(() => [ActionItem], { description: 'Its action items, soonest due first.' })
  actionItems(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return ctx.loader(actionItemsOfMeeting).load(meeting.id);
  }

  @FieldResolver(() => Int, { description: 'Members present who signed the minutes off.' })
  async signOffCount(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return ctx.em.count(MinutesSignOff, { meeting: meeting.id });
  }

  @FieldResolver(() => Int, { description: 'Working-group members recorded present: all of them sign the minutes off to approve them.' })
  async membersPresent(@Root() meeting: Meeting, @Ctx() ctx: RequestContext) {
    return (await minutes.membersPresent(ctx.em, meeting.id)).length;
  }

  @FieldResolver(() => String, { description: 'The path of its calendar file (.ics).' })
  calendarPath(@Root() meeting: Meeting) {
    return `/exports/meetings/${meeting.id}.ics`;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The path of its approved minutes as PDF; null until approved.' })
  minutesPdfPath(@Root() meeting: Meeting) {
    return meeting.minutesApprovedAt ? `/exports/meetings/${meeting.id}/minutes.pdf` : null;
  }
}

@Resolver(() => AgendaItem)
export class AgendaItemResolver {
  @FieldResolver(() => LocalizedString, { description: 'Its title.' })
  async title(@Root() item: AgendaItem, @Ctx() ctx: RequestContext, @languageArg() language?: string | null) {
    const meeting = await ctx.em.findOneOrFail(Meeting, { id: item.meeting.id });
    return localize(item.title, readingLanguages(ctx, language as never, meeting.language), meeting.language);
  }

  @FieldResolver(() => [MaterialLink], { description: 'Links to its materials.' })
  materials(@Root() item: AgendaItem) {
    return item.materials;
  }

  @FieldResolver(() => [AgendaFile], { description: 'Files among its materials, in the order added.' })
  files(@Root() item: AgendaItem, @Ctx() ctx: RequestContext) {
    return ctx.loader(filesOfAgendaItem).load(item.id);
  }

  @FieldResolver(() => IndicatorVersion, { nullable: true, description: 'The indicator version it is about (as consulted, or the revision); null for signed-out readers.' })
  async indicatorVersion(@Root() item: AgendaItem, @Ctx() ctx: RequestContext) {
    return item.indicatorVersionId && ctx.viewer ? ctx.loader(indicatorVersionById).load(item.indicatorVersionId) : null;
  }

  @FieldResolver(() => Ballot, { nullable: true, description: 'The ballot it is about, when the viewer may see it.' })
  async ballot(@Root() item: AgendaItem, @Ctx() ctx: RequestContext) {
    if (!item.ballotId || !ctx.viewer) return null;
    return findBallot(ctx.em, ctx.viewer, item.ballotId).catch(() => null);
  }
}

@Resolver(() => AgendaFile)
export class AgendaFileResolver {
  @FieldResolver(() => String, { description: 'Where to download it (for whoever may see the meeting), as an attachment.' })
  downloadPath(@Root() file: AgendaFile) {
    return agendaFilePath(file.id);
  }
}

@Resolver(() => ActionItem)
export class ActionItemResolver {
  @FieldResolver(() => Boolean, { description: 'Past its due date and not done, by the server clock at the time of the request.' })
  overdue(@Root() action: ActionItem) {
    return minutes.isOverdue(action);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization responsible.' })
  async responsibleOrganization(@Root() action: ActionItem, @Ctx() ctx: RequestContext) {
    return action.responsibleOrganizationId ? ctx.loader(organizationById).load(action.responsibleOrganizationId) : null;
  }
}

export const meetingResolvers = [MeetingResolver, MeetingActivityResolver, AgendaItemResolver, AgendaFileResolver, ActionItemResolver] as const;
