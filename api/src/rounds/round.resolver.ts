import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Framework } from '../frameworks/framework.entity.js';
import { readingLanguages } from '../frameworks/reading-language.js';
import { LocalizedString, localize, Translations, type LocalizedText } from '../i18n/localized-text.js';
import { IndicatorVersion } from '../indicators/indicator.entity.js';
import { PracticeRating } from '../ratings/practice-rating.entity.js';
import { myRatings, ratingDistributions } from '../ratings/rating.loaders.js';
import { Locale, Role } from '../users/user.entity.js';
import { ConsultationRound, RoundStatus, roundStatus } from './round.entity.js';
import { CreateRoundInput, UpdateRoundDraftInput } from './round.inputs.js';
import * as setup from './round-setup.service.js';
import { loadRound, myCommentedIndicators, pinnedIndicator, roundById, roundIndicators } from './round.loaders.js';
import { indicatorVersionById } from '../indicators/indicator.loaders.js';
import { RoundIndicator } from './round-indicator.js';
import * as rounds from './round.service.js';
import { mayReadRound } from './round-readers.js';
import { publishRoundStatusEvent } from './round-activity.js';

@ObjectType({ description: 'Who may comment in a round; facilitators take part in every round.' })
export class RoundAudience {
  @Field(() => Boolean, { description: 'Every stakeholder; when true, the lists do not apply.' }) all!: boolean;
  @Field(() => Boolean, { description: 'Only the working group (people holding the member role).' }) workingGroup!: boolean;
  @Field(() => [ID], { description: 'Organizations whose people may comment.' }) organizationIds!: string[];
  @Field(() => [String], { description: 'Countries (ISO 3166-1 alpha-2) whose organizations’ people may comment.' }) countries!: string[];
}

@ObjectType({ description: 'How far the viewer has got in a round.' })
export class RoundProgress {
  @Field(() => Int, { description: 'Indicators pinned in the round.' }) indicatorCount!: number;
  @Field(() => Int, { description: 'Of those, the ones the viewer has a standing comment on.' }) commentedCount!: number;
  @Field(() => [ID], { description: 'Indicators the viewer has a standing comment on.' }) commentedIndicatorIds!: string[];
}

@ObjectType({ description: 'How respondents rated a practice.' })
export class RatingDistribution {
  @Field(() => Int, { description: 'Ratings of ESSENTIAL.' }) essential!: number;
  @Field(() => Int, { description: 'Ratings of USEFUL (useful but not essential).' }) useful!: number;
  @Field(() => Int, { description: 'Ratings of NOT_RELEVANT.' }) notRelevant!: number;
  @Field(() => Int, { description: 'Ratings of NO_OPINION.' }) noOpinion!: number;
  @Field(() => Int, { description: 'All ratings of the practice in the round.' }) total!: number;
}

async function localized(round: ConsultationRound, text: LocalizedText, ctx: RequestContext, asked?: Locale | null) {
  const source = (await round.framework.loadOrFail()).sourceLanguage;
  return localize(text, readingLanguages(ctx, asked, source), source);
}

@Resolver(() => ConsultationRound)
export class RoundResolver {
  @Authorized()
  @Query(() => ConsultationRound, { description: 'FORBIDDEN `NOT_IN_AUDIENCE` when the round is for other organizations or countries (facilitators read every round).' })
  round(@Arg('id', () => ID, { description: 'The round’s id.' }) id: string, @Ctx() ctx: RequestContext) {
    return loadRound(ctx, id);
  }

  @Authorized()
  @Query(() => [ConsultationRound], { description: 'The rounds the viewer may read, newest opening first; of one framework when its slug is given.' })
  rounds(@Arg('frameworkSlug', () => String, { nullable: true, description: 'Only this framework’s rounds; all when omitted.' }) frameworkSlug: string | null, @Ctx() ctx: RequestContext) {
    return rounds.listRounds(ctx.em, requireViewer(ctx.viewer), frameworkSlug);
  }

  @Authorized()
  @Query(() => RoundProgress, { description: 'How far the viewer has got in a round; FORBIDDEN `NOT_IN_AUDIENCE` outside its audience.' })
  async myRoundProgress(@Arg('roundId', () => ID, { description: 'The round.' }) roundId: string, @Ctx() ctx: RequestContext) {
    return this.myProgress(await loadRound(ctx, roundId), ctx);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Creates a round, published (SCHEDULED or OPEN by its times) or as a draft; BAD_USER_INPUT names every field at fault with its `reason`.' })
  async createRound(@Arg('input', () => CreateRoundInput, { description: 'The round.' }) input: CreateRoundInput, @Ctx() ctx: RequestContext) {
    const round = await setup.createRound(ctx.em, requireViewer(ctx.viewer), input);
    // Published at once (scheduled, or open now): announced as publishing a draft is, so its audience hears when it opens.
    return round.draft ? round : publishRoundStatusEvent(ctx, round);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Replaces the settings and pinned versions of a round still in draft (CONFLICT `ROUND_<STATUS>` once published); refused like a new draft.' })
  updateRoundDraft(@Arg('id', () => ID, { description: 'The draft round.' }) id: string, @Arg('input', () => UpdateRoundDraftInput, { description: 'Its new settings, all of them.' }) input: UpdateRoundDraftInput, @Ctx() ctx: RequestContext) {
    return setup.updateRoundDraft(ctx.em, requireViewer(ctx.viewer), id, input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Publishes a draft to open at its opening time; BAD_USER_INPUT when it has no indicator or its opening or closing time has passed.' })
  async scheduleRound(@Arg('id', () => ID, { description: 'The draft round.' }) id: string, @Ctx() ctx: RequestContext) {
    return publishRoundStatusEvent(ctx, await setup.scheduleRound(ctx.em, requireViewer(ctx.viewer), id));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Opens a scheduled round now, or publishes a draft open now (BAD_USER_INPUT when it has no indicator or its closing time has passed).' })
  async openRoundNow(@Arg('id', () => ID, { description: 'The scheduled or draft round.' }) id: string, @Ctx() ctx: RequestContext) {
    return publishRoundStatusEvent(ctx, await setup.openRoundNow(ctx.em, requireViewer(ctx.viewer), id));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Moves the closing time later (also reopens a closed round).' })
  async extendRound(@Arg('id', () => ID, { description: 'The round.' }) id: string, @Arg('closesAt', () => Date, { description: 'The new closing time, later than the current one and in the future.' }) closesAt: Date, @Ctx() ctx: RequestContext) {
    return publishRoundStatusEvent(ctx, await rounds.extendRound(ctx.em, requireViewer(ctx.viewer), id, closesAt));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Closes an open round now.' })
  async closeRoundNow(@Arg('id', () => ID, { description: 'The open round.' }) id: string, @Ctx() ctx: RequestContext) {
    return publishRoundStatusEvent(ctx, await rounds.closeRoundNow(ctx.em, requireViewer(ctx.viewer), id));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Refused with CONFLICT and `extensions.missing` while comments lack a disposition.' })
  async resolveRound(@Arg('id', () => ID, { description: 'The closed round.' }) id: string, @Ctx() ctx: RequestContext) {
    return publishRoundStatusEvent(ctx, await rounds.resolveRound(ctx.em, requireViewer(ctx.viewer), id));
  }

  @FieldResolver(() => LocalizedString, { description: 'The round’s title.' })
  title(@Root() round: ConsultationRound, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) asked?: Locale | null) {
    return localized(round, round.title, ctx, asked);
  }

  @FieldResolver(() => LocalizedString, { nullable: true, description: 'What respondents should know before commenting (Markdown); null when none.' })
  instructions(@Root() round: ConsultationRound, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) asked?: Locale | null) {
    return localized(round, round.instructions, ctx, asked);
  }

  @FieldResolver(() => Translations, { description: 'The title in every language it has, for editing.' })
  titleTranslations(@Root() round: ConsultationRound): Translations {
    return round.title;
  }

  @FieldResolver(() => Translations, { description: 'The instructions in every language they have, for editing.' })
  instructionsTranslations(@Root() round: ConsultationRound): Translations {
    return round.instructions;
  }

  @FieldResolver(() => RoundStatus, { description: 'From the server clock at the time of the request.' })
  status(@Root() round: ConsultationRound) {
    return roundStatus(round);
  }

  @FieldResolver(() => Date, { description: 'The server’s clock, to count down against.' })
  serverTime() {
    return new Date();
  }

  @FieldResolver(() => Framework, { description: 'The framework consulted on.' })
  framework(@Root() round: ConsultationRound) {
    return round.framework.load();
  }

  @FieldResolver(() => RoundAudience, { description: 'Who may comment.' })
  audience(@Root() round: ConsultationRound): RoundAudience {
    return { all: round.audienceAll, workingGroup: round.audienceWorkingGroup, organizationIds: round.audienceOrganizationIds, countries: round.audienceCountries };
  }

  @FieldResolver(() => [RoundIndicator], { description: 'The pinned indicator versions, in framework order, with their comment counts.' })
  indicators(@Root() round: ConsultationRound, @Ctx() ctx: RequestContext) {
    return ctx.loader(roundIndicators).load(round.id);
  }

  @FieldResolver(() => RoundIndicator, { nullable: true, description: 'One pinned indicator, by the indicator’s id.' })
  indicator(@Root() round: ConsultationRound, @Arg('indicatorId', () => ID, { description: 'The indicator’s id.' }) indicatorId: string, @Ctx() ctx: RequestContext) {
    return ctx.loader(pinnedIndicator).load(`${round.id}/${indicatorId}`);
  }

  @FieldResolver(() => RoundProgress, { description: 'How far the viewer has got.' })
  async myProgress(@Root() round: ConsultationRound, @Ctx() ctx: RequestContext): Promise<RoundProgress> {
    const [pinned, commented] = await Promise.all([ctx.loader(roundIndicators).load(round.id), ctx.loader(myCommentedIndicators).load(round.id)]);
    return { indicatorCount: pinned.length, commentedCount: commented.length, commentedIndicatorIds: commented };
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer may comment, reply and rate right now.' })
  async viewerMayTakePart(@Root() round: ConsultationRound, @Ctx() ctx: RequestContext) {
    const viewer = ctx.viewer;
    if (!viewer?.has(Role.STAKEHOLDER) || roundStatus(round) !== RoundStatus.OPEN) return false;
    return mayReadRound(viewer, round);
  }
}

@Resolver(() => RoundIndicator)
export class RoundIndicatorResolver {
  @FieldResolver(() => IndicatorVersion, { description: 'The version under consultation.' })
  indicatorVersion(@Root() pinned: RoundIndicator, @Ctx() ctx: RequestContext) {
    return ctx.loader(indicatorVersionById).load(pinned.indicatorVersionId);
  }

  @FieldResolver(() => RatingDistribution, { nullable: true, description: 'Null unless the round takes practice ratings.' })
  async ratings(@Root() pinned: RoundIndicator, @Ctx() ctx: RequestContext): Promise<RatingDistribution | null> {
    const round = await ctx.loader(roundById).load(pinned.roundId);
    if (!round?.ratingsEnabled) return null;
    const d = (await ctx.loader(ratingDistributions).load(round.id)).get(pinned.indicator.id);
    const essential = d?.ESSENTIAL ?? 0;
    const useful = d?.USEFUL ?? 0;
    const notRelevant = d?.NOT_RELEVANT ?? 0;
    const noOpinion = d?.NO_OPINION ?? 0;
    return { essential, useful, notRelevant, noOpinion, total: essential + useful + notRelevant + noOpinion };
  }

  @FieldResolver(() => PracticeRating, { nullable: true, description: 'The viewer’s rating of this practice in the round; null when none.' })
  async myRating(@Root() pinned: RoundIndicator, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(myRatings).load(pinned.roundId)).find((r) => r.indicator.id === pinned.indicator.id) ?? null;
  }
}
