import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { CommentConnection } from '../comments/comment-list.js';
import { FacetCount } from '../comments/comment-facets.js';
import { Comment } from '../comments/comment.entity.js';
import type { CommentRecord } from '../comments/comment-record.js';
import { commentById } from '../comments/comment.loaders.js';
import { loadRound, roundById } from '../rounds/round.loaders.js';
import { Disposition } from '../dispositions/disposition.entity.js';
import { readingLanguages } from '../frameworks/reading-language.js';
import { LocalizedString, localize, Translations } from '../i18n/localized-text.js';
import { LiveEventKind } from '../live/live-event.js';
import { publishCommentEvent, publishDispositionEvents } from '../rounds/round-activity.js';
import { Locale, Role } from '../users/user.entity.js';
import { commentCountByTheme, groupOfComment, memberCountByGroup, membersByGroup, onBehalfByComment, themesByComment } from './analysis.loaders.js';
import { roundDashboard } from './dashboard.service.js';
import { RoundDashboard } from './dashboard.types.js';
import { NearDuplicateGroup, NearDuplicateMember, type NearDuplicateGroupRecord } from './near-duplicate.entity.js';
import { DisposeGroupInput, RemoveFromGroupInput } from './near-duplicate.inputs.js';
import * as nearDuplicates from './near-duplicate.service.js';
import { OnBehalfSource } from './on-behalf-source.entity.js';
import { OnBehalfCommentInput } from './on-behalf.inputs.js';
import { enterOnBehalf } from './on-behalf.service.js';
import { countOnBehalf, themeFacets } from './analysis-facets.js';
import { Theme, type ThemeRecord } from './theme.entity.js';
import { CreateThemeInput, TagCommentsInput, UpdateThemeInput } from './theme.inputs.js';
import * as themes from './theme.service.js';

async function sourceLanguage(ctx: RequestContext, theme: ThemeRecord): Promise<Locale> {
  const round = (await ctx.loader(roundById).load(theme.round.id))!;
  return (await round.framework.loadOrFail()).sourceLanguage as Locale;
}

@Resolver(() => Theme)
export class ThemeResolver {
  @Authorized()
  @Query(() => [Theme], { description: 'A round’s themes in order: facilitators always, others once the round’s summary is published.' })
  async roundThemes(@Arg('roundId', () => ID, { description: 'The round.' }) roundId: string, @Ctx() ctx: RequestContext) {
    await loadRound(ctx, roundId);
    return themes.listThemes(ctx.em, requireViewer(ctx.viewer), roundId);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Theme, { description: 'Adds a theme at the end of the round’s list.' })
  createTheme(@Arg('input', () => CreateThemeInput, { description: 'The round and the label.' }) input: CreateThemeInput, @Ctx() ctx: RequestContext) {
    return themes.createTheme(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Theme, { description: 'Relabels or moves a theme.' })
  updateTheme(@Arg('id', () => ID, { description: 'The theme.' }) id: string, @Arg('input', () => UpdateThemeInput, { description: 'What changes.' }) input: UpdateThemeInput, @Ctx() ctx: RequestContext) {
    return themes.updateTheme(ctx.em, requireViewer(ctx.viewer), id, input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Boolean, { description: 'Deletes a theme and its tags; the comments stay.' })
  deleteTheme(@Arg('id', () => ID, { description: 'The theme.' }) id: string, @Ctx() ctx: RequestContext) {
    return themes.deleteTheme(ctx.em, requireViewer(ctx.viewer), id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Int, { description: 'Tags the listed comments, or every comment the filter matches, with each theme; returns the tags added.' })
  tagComments(@Arg('input', () => TagCommentsInput, { description: 'The themes and the comments.' }) input: TagCommentsInput, @Ctx() ctx: RequestContext) {
    return themes.tagComments(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Int, { description: 'Removes those themes from the listed or filtered comments; returns the tags removed.' })
  untagComments(@Arg('input', () => TagCommentsInput, { description: 'The themes and the comments.' }) input: TagCommentsInput, @Ctx() ctx: RequestContext) {
    return themes.untagComments(ctx.em, requireViewer(ctx.viewer), input);
  }

  @FieldResolver(() => LocalizedString, { description: 'What the theme names.' })
  async label(@Root() theme: ThemeRecord, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) asked?: Locale | null) {
    const source = await sourceLanguage(ctx, theme);
    return localize(theme.label, readingLanguages(ctx, asked, source), source);
  }

  @FieldResolver(() => Translations, { description: 'The label in every language it has, for editing.' })
  translations(@Root() theme: ThemeRecord): Translations {
    return theme.label;
  }

  @FieldResolver(() => Int, { description: 'Standing comments tagged with it.' })
  commentCount(@Root() theme: ThemeRecord, @Ctx() ctx: RequestContext) {
    return ctx.loader(commentCountByTheme).load(theme.id);
  }
}

@Resolver(() => NearDuplicateGroup)
export class NearDuplicateResolver {
  @Authorized(Role.FACILITATOR)
  @Query(() => [NearDuplicateGroup], { description: 'The round’s groups of two or more near-identical comments, largest first.' })
  async nearDuplicateGroups(@Arg('roundId', () => ID, { description: 'The round.' }) roundId: string, @Ctx() ctx: RequestContext) {
    await loadRound(ctx, roundId);
    const groups = await nearDuplicates.listGroups(ctx.em, roundId);
    return groups.map(({ group, size }) => Object.assign(group, { size }));
  }

  @Authorized(Role.FACILITATOR)
  @Query(() => NearDuplicateGroup, { description: 'One near-duplicate group, with its members; NOT_FOUND when it does not exist.' })
  nearDuplicateGroup(@Arg('id', () => ID, { description: 'The group.' }) id: string, @Ctx() ctx: RequestContext) {
    return nearDuplicates.getGroup(ctx.em, id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Int, { description: 'Groups the round again (after edits, imports); what facilitators confirmed or took out stays. Returns the number of groups.' })
  regroupRound(@Arg('roundId', () => ID, { description: 'The round.' }) roundId: string, @Ctx() ctx: RequestContext) {
    return nearDuplicates.regroupRound(ctx.em, requireViewer(ctx.viewer), roundId);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => NearDuplicateGroup, { description: 'Confirms a suggested group: its members are handled together.' })
  confirmNearDuplicateGroup(@Arg('id', () => ID, { description: 'The group.' }) id: string, @Ctx() ctx: RequestContext) {
    return nearDuplicates.confirmGroup(ctx.em, requireViewer(ctx.viewer), id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => NearDuplicateGroup, { description: 'Takes comments out of a group (a split); regrouping never puts them back.' })
  removeFromNearDuplicateGroup(@Arg('input', () => RemoveFromGroupInput, { description: 'The group and the comments.' }) input: RemoveFromGroupInput, @Ctx() ctx: RequestContext) {
    return nearDuplicates.removeFromGroup(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => [Disposition], { description: 'Gives every standing member of the group the same disposition; each keeps its own record.' })
  async disposeNearDuplicateGroup(@Arg('input', () => DisposeGroupInput, { description: 'The group and the decision.' }) input: DisposeGroupInput, @Ctx() ctx: RequestContext) {
    return publishDispositionEvents(ctx, await nearDuplicates.disposeGroup(ctx.em, requireViewer(ctx.viewer), input));
  }

  @FieldResolver(() => Int, { description: 'Members not taken out.' })
  size(@Root() group: NearDuplicateGroupRecord, @Ctx() ctx: RequestContext) {
    return group.size ?? ctx.loader(memberCountByGroup).load(group.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether a facilitator confirmed it (`confirmedAt` set).' })
  confirmed(@Root() group: NearDuplicateGroupRecord) {
    return group.confirmedAt != null;
  }

  @FieldResolver(() => Comment, { description: 'The earliest standing member, shown for all.' })
  representative(@Root() group: NearDuplicateGroupRecord, @Ctx() ctx: RequestContext) {
    return ctx.loader(commentById).load(group.representative.id);
  }

  @FieldResolver(() => [NearDuplicateMember], { description: 'Every member, oldest first; those taken out are marked REMOVED.' })
  members(@Root() group: NearDuplicateGroupRecord, @Ctx() ctx: RequestContext) {
    return ctx.loader(membersByGroup).load(group.id);
  }
}

@Resolver(() => NearDuplicateMember)
export class NearDuplicateMemberResolver {
  @FieldResolver(() => Comment, { description: 'The comment in the group.' })
  comment(@Root() member: NearDuplicateMember) {
    return member.comment.load();
  }
}

@Resolver(() => Comment)
export class CommentAnalysisResolver {
  @Authorized(Role.FACILITATOR)
  @Mutation(() => Comment, { description: 'Enters feedback given at a workshop, a meeting, by e-mail or on paper, on behalf of a person or organization.' })
  async enterOnBehalf(@Arg('input', () => OnBehalfCommentInput, { description: 'The comment and its source.' }) input: OnBehalfCommentInput, @Ctx() ctx: RequestContext) {
    return publishCommentEvent(ctx, LiveEventKind.COMMENT_ADDED, await enterOnBehalf(ctx.em, requireViewer(ctx.viewer), input));
  }

  @FieldResolver(() => [Theme], { description: 'Facilitators always; others once the round’s summary is published (empty before).' })
  async themes(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    if (c.parentId) return [];
    if (!ctx.viewer?.isFacilitator && !(await ctx.loader(roundById).load(c.round.id))?.publishedSummaryAt) return [];
    return ctx.loader(themesByComment).load(c.id);
  }

  @FieldResolver(() => NearDuplicateGroup, { nullable: true, description: 'The near-duplicate group it is in; facilitators only (null for others).' })
  nearDuplicateGroup(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    if (c.parentId || !ctx.viewer?.isFacilitator) return null;
    return ctx.loader(groupOfComment).load(c.id);
  }

  @FieldResolver(() => OnBehalfSource, { nullable: true, description: 'Set when a facilitator entered it on someone’s behalf: where it was given.' })
  onBehalf(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.parentId ? null : ctx.loader(onBehalfByComment).load(c.id);
  }
}

@Resolver(() => CommentConnection)
export class CommentConnectionAnalysisResolver {
  @Authorized(Role.FACILITATOR)
  @FieldResolver(() => [FacetCount], { description: 'Comments per theme within every criterion of the filter but its themes (a comment counts under each of its themes; value null: no theme). Facilitators only.' })
  async themeFacets(@Root() page: CommentConnection, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language of the theme labels; by default the reader’s own.' }) asked?: Locale | null) {
    // With no theme ticked, the comments the themes split are the list's total, when the query counts it anyway.
    const matching = page.filter.themeIds?.length ? undefined : page.countedTotal(ctx.em);
    return themeFacets(ctx.em, page.roundId, page.filter, asked ?? ctx.viewer?.user.language ?? null, matching);
  }

  @Authorized(Role.FACILITATOR)
  @FieldResolver(() => Int, { description: 'Of the comments matching every criterion of the filter but onBehalf, those entered on someone’s behalf. Facilitators only.' })
  onBehalfCount(@Root() page: CommentConnection, @Ctx() ctx: RequestContext) {
    return countOnBehalf(ctx.em, page.roundId, page.filter);
  }
}

@Resolver(() => RoundDashboard)
export class DashboardResolver {
  @Authorized(Role.FACILITATOR)
  @Query(() => RoundDashboard, { description: 'A round’s feedback in figures, for its facilitators (it names organizations’ kinds and countries, and who took part).' })
  async roundDashboard(@Arg('roundId', () => ID, { description: 'The round.' }) roundId: string, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language of titles and labels; by default the reader’s own.' }) asked?: Locale | null) {
    await loadRound(ctx, roundId);
    return roundDashboard(ctx.em, roundId, asked ?? requireViewer(ctx.viewer).user.language);
  }
}
