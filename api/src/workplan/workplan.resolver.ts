import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { readingLanguages } from '../frameworks/reading-language.js';
import { localize, LocalizedString, type LocalizedText } from '../i18n/localized-text.js';
import { Organization } from '../organizations/organization.entity.js';
import { Locale, Role } from '../users/user.entity.js';
import { WorkActivity, WorkActivityLink, WorkObjective, WorkPlan } from './workplan.entity.js';
import { AddWorkActivityInput, AddWorkObjectiveInput, CreateWorkPlanInput, LinkWorkActivityInput, UpdateWorkActivityInput, UpdateWorkObjectiveInput } from './workplan.inputs.js';
import { activitiesOfObjective, linksOfActivity, objectivesOfPlan, partnersOfActivity, targetOfLink } from './workplan.loaders.js';
import { labelFor } from './workplan.read.js';
import * as plans from './workplan.service.js';

const languageArg = () => Arg('language', () => String, { nullable: true, description: 'The language to read it in (es, en, pt, fr); by default the reader’s own.' });
/** Plans are written in the working language, Spanish, first: a title falls back to it. */
const readTitle = (text: LocalizedText, ctx: RequestContext, language?: string | null) => localize(text, readingLanguages(ctx, language as Locale | null, Locale.ES), Locale.ES);

@Resolver(() => WorkPlan)
export class WorkPlanResolver {
  @Authorized()
  @Query(() => [WorkPlan], { description: 'Every year’s work plan, latest first. FORBIDDEN `WORKING_GROUP_ONLY` for anyone but working-group members and facilitators.' })
  workPlans(@Ctx() ctx: RequestContext) {
    return plans.listPlans(ctx.em, requireViewer(ctx.viewer));
  }

  @Authorized()
  @Query(() => WorkPlan, { description: 'The work plan of a year; NOT_FOUND when there is none. FORBIDDEN `WORKING_GROUP_ONLY` for anyone but working-group members and facilitators.' })
  workPlan(@Arg('year', () => Int, { description: 'The year.' }) year: number, @Ctx() ctx: RequestContext) {
    return plans.planOfYear(ctx.em, requireViewer(ctx.viewer), year);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => WorkPlan, { description: 'Starts a year’s work plan. CONFLICT `WORK_PLAN_EXISTS` when the year has one.' })
  createWorkPlan(@Arg('input', () => CreateWorkPlanInput, { description: 'The plan.' }) input: CreateWorkPlanInput, @Ctx() ctx: RequestContext) {
    return plans.createPlan(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => WorkObjective, { description: 'Adds an objective at the end of a plan.' })
  addWorkObjective(@Arg('input', () => AddWorkObjectiveInput, { description: 'The objective.' }) input: AddWorkObjectiveInput, @Ctx() ctx: RequestContext) {
    return plans.addObjective(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => WorkObjective, { description: 'Renames an objective.' })
  updateWorkObjective(@Arg('input', () => UpdateWorkObjectiveInput, { description: 'The objective and its title.' }) input: UpdateWorkObjectiveInput, @Ctx() ctx: RequestContext) {
    return plans.updateObjective(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => WorkActivity, { description: 'Adds an activity at the end of an objective. BAD_USER_INPUT for dates out of order (`DATES_OUT_OF_ORDER`), a done activity short of 100 (`ACTIVITY_DONE_PROGRESS`) or an unknown partner (`UNKNOWN_ORGANIZATION`).' })
  addWorkActivity(@Arg('input', () => AddWorkActivityInput, { description: 'The activity.' }) input: AddWorkActivityInput, @Ctx() ctx: RequestContext) {
    return plans.addActivity(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => WorkActivity, { description: 'Changes an activity: its title, partners, person, dates, status and progress; refused as `addWorkActivity` is.' })
  updateWorkActivity(@Arg('input', () => UpdateWorkActivityInput, { description: 'The activity as it is to be.' }) input: UpdateWorkActivityInput, @Ctx() ctx: RequestContext) {
    return plans.updateActivity(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => WorkActivityLink, { description: 'Links an activity to a meeting, round, ballot or action item; linking again returns the link there is. BAD_USER_INPUT `ACTIVITY_LINK_INVALID` when the target is not one of its kind.' })
  linkWorkActivity(@Arg('input', () => LinkWorkActivityInput, { description: 'The activity and what it links to.' }) input: LinkWorkActivityInput, @Ctx() ctx: RequestContext) {
    return plans.linkActivity(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => WorkActivity, { description: 'Removes a link of an activity; returns the activity.' })
  unlinkWorkActivity(@Arg('linkId', () => ID, { description: 'The link.' }) linkId: string, @Ctx() ctx: RequestContext) {
    return plans.unlinkActivity(ctx.em, requireViewer(ctx.viewer), linkId);
  }

  @FieldResolver(() => LocalizedString, { description: 'Its title.' })
  title(@Root() plan: WorkPlan, @Ctx() ctx: RequestContext, @languageArg() language?: string | null) {
    return readTitle(plan.title, ctx, language);
  }

  @FieldResolver(() => [WorkObjective], { description: 'Its objectives, in order.' })
  objectives(@Root() plan: WorkPlan, @Ctx() ctx: RequestContext) {
    return ctx.loader(objectivesOfPlan).load(plan.id);
  }

  @FieldResolver(() => String, { description: 'The path of the plan as a spreadsheet (XLSX); add `?language=` for another language than the reader’s.' })
  xlsxPath(@Root() plan: WorkPlan) {
    return `/exports/workplan/${plan.year}.xlsx`;
  }
}

@Resolver(() => WorkObjective)
export class WorkObjectiveResolver {
  @FieldResolver(() => LocalizedString, { description: 'Its title.' })
  title(@Root() objective: WorkObjective, @Ctx() ctx: RequestContext, @languageArg() language?: string | null) {
    return readTitle(objective.title, ctx, language);
  }

  @FieldResolver(() => [WorkActivity], { description: 'Its activities, in order.' })
  activities(@Root() objective: WorkObjective, @Ctx() ctx: RequestContext) {
    return ctx.loader(activitiesOfObjective).load(objective.id);
  }
}

@Resolver(() => WorkActivity)
export class WorkActivityResolver {
  @FieldResolver(() => LocalizedString, { description: 'Its title.' })
  title(@Root() activity: WorkActivity, @Ctx() ctx: RequestContext, @languageArg() language?: string | null) {
    return readTitle(activity.title, ctx, language);
  }

  @FieldResolver(() => Boolean, { description: 'Past its end and neither done nor cancelled, by the server clock at the time of the request (computed, never stored).' })
  overdue(@Root() activity: WorkActivity) {
    return plans.isOverdue(activity);
  }

  @FieldResolver(() => [Organization], { description: 'The organizations responsible, by name.' })
  partners(@Root() activity: WorkActivity, @Ctx() ctx: RequestContext) {
    return ctx.loader(partnersOfActivity).load(activity.id);
  }

  @FieldResolver(() => [WorkActivityLink], { description: 'The meetings, rounds, ballots and action items it links to, in the order linked.' })
  links(@Root() activity: WorkActivity, @Ctx() ctx: RequestContext) {
    return ctx.loader(linksOfActivity).load(activity.id);
  }
}

@Resolver(() => WorkActivityLink)
export class WorkActivityLinkResolver {
  @FieldResolver(() => ID, { description: 'The meeting, round, ballot or action item.' })
  targetId(@Root() link: WorkActivityLink) {
    return link.meetingId ?? link.roundId ?? link.ballotId ?? link.actionItemId;
  }

  @FieldResolver(() => String, { description: 'What it names: the meeting’s, round’s or ballot’s title, or the action item’s description; a neutral “restricted” for a reader who may not open it.' })
  async label(@Root() link: WorkActivityLink, @Ctx() ctx: RequestContext, @languageArg() language?: string | null) {
    const target = await ctx.loader(targetOfLink).load(link);
    return target ? labelFor(target, requireViewer(ctx.viewer), readingLanguages(ctx, language as Locale | null, Locale.ES)) : '';
  }

  @FieldResolver(() => String, { description: 'The path of its page (an action item’s is its meeting’s).' })
  async path(@Root() link: WorkActivityLink, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(targetOfLink).load(link))?.path ?? '';
  }
}

export const workPlanResolvers = [WorkPlanResolver, WorkObjectiveResolver, WorkActivityResolver, WorkActivityLinkResolver] as const;
