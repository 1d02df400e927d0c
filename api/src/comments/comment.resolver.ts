import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { selectsField } from '../schema/selection.js';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Section } from '../frameworks/section.entity.js';
import { IndicatorVersion, Indicator } from '../indicators/indicator.entity.js';
import { Disposition } from '../dispositions/disposition.entity.js';
import { dispositionByComment } from '../dispositions/disposition.loaders.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { loadRound, roundById } from '../rounds/round.loaders.js';
import { Role } from '../users/user.entity.js';
import { CommentRevision } from './comment-revision.entity.js';
import { Comment, CommentAuthor } from './comment.entity.js';
import { AddCommentInput, CommentFilter, EditCommentInput, ReplyInput } from './comment.inputs.js';
import { CommentConnection, commentPage } from './comment-list.js';
import { CommentFacets, FacetCount, MAX_ORGANIZATIONS, organizationFacet } from './comment-facets.js';
import { repliesByThread, revisionsByComment } from './comment.loaders.js';
import type { CommentRecord } from './comment-record.js';
import { indicatorById, indicatorVersionById, sectionById } from '../indicators/indicator.loaders.js';
import * as comments from './comment.service.js';
import { LiveEventKind } from '../live/live-event.js';
import { publishCommentEvent } from '../rounds/round-activity.js';
import { once } from '../idempotency/idempotency-key.js';

@Resolver(() => Comment)
export class CommentResolver {
  @Authorized()
  @Query(() => CommentConnection, { description: 'A round’s top-level comments, oldest first, filtered; replies hang under each.' })
  async roundComments(
    @Arg('roundId', () => ID, { description: 'The round; FORBIDDEN `NOT_IN_AUDIENCE` outside its audience.' }) roundId: string,
    @Arg('filter', () => CommentFilter, { nullable: true, description: 'Which comments; all when omitted.' }) filter: CommentFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1 to 200.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; omit for the first page.' }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    await loadRound(ctx, roundId);
    const asks = { facets: selectsField(info, 'facets'), totalCount: selectsField(info, 'totalCount') };
    const withThreads = selectsField(info, 'edges.node.thread') || selectsField(info, 'edges.node.replies');
    const page = await commentPage(ctx.em, roundId, filter ?? {}, first, after, { asks, withThreads });
    const dispositions = ctx.loader(dispositionByComment);
    for (const [id, disposition] of page.dispositions) dispositions.prime(id, disposition);
    const threads = ctx.loader(repliesByThread);
    for (const [id, replies] of page.threads ?? []) threads.prime(id, replies);
    return page;
  }

  @Authorized()
  @Query(() => Comment, { description: 'FORBIDDEN `NOT_IN_AUDIENCE` when its round is for other organizations or countries.' })
  async comment(@Arg('id', () => ID, { description: 'The comment’s id.' }) id: string, @Ctx() ctx: RequestContext) {
    const comment = await comments.getComment(ctx.em, id);
    await loadRound(ctx, comment.round.id);
    return comment;
  }

  @Authorized(Role.STAKEHOLDER)
  @Mutation(() => Comment, {
    description: 'Comments in an open round: CONFLICT `ROUND_NOT_OPEN` / `ROUND_CLOSED` outside its window, FORBIDDEN `NOT_IN_AUDIENCE`, BAD_USER_INPUT on `targetId` or `anchor` (`ANCHOR_MISMATCH`, `ANCHOR_FIELD_EMPTY`); RATE_LIMITED when too many in a short time.',
  })
  async addComment(@Arg('input', () => AddCommentInput, { description: 'The comment.' }) input: AddCommentInput, @Ctx() ctx: RequestContext) {
    const viewer = requireViewer(ctx.viewer);
    const { result, replayed } = await once(ctx.em, viewer.id, input.idempotencyKey, 'addComment', input, async () => {
      await ctx.app.rateLimits.comment.consume(viewer.id);
      return comments.addComment(ctx.em, viewer, input);
    }, (id) => comments.getComment(ctx.em, id));
    return replayed ? result : publishCommentEvent(ctx, LiveEventKind.COMMENT_ADDED, result);
  }

  @Authorized(Role.STAKEHOLDER)
  @Mutation(() => Comment, {
    description: 'Replies in a thread while the round is open; FORBIDDEN `OFFICIAL_REPLY_FACILITATOR_ONLY` for an official reply by a non-facilitator; RATE_LIMITED when too many in a short time.',
  })
  async replyToComment(@Arg('input', () => ReplyInput, { description: 'The reply.' }) input: ReplyInput, @Ctx() ctx: RequestContext) {
    const viewer = requireViewer(ctx.viewer);
    const { result, replayed } = await once(ctx.em, viewer.id, input.idempotencyKey, 'replyToComment', input, async () => {
      await ctx.app.rateLimits.comment.consume(viewer.id);
      return comments.reply(ctx.em, viewer, input);
    }, (id) => comments.getComment(ctx.em, id));
    return replayed ? result : publishCommentEvent(ctx, LiveEventKind.REPLY_ADDED, result);
  }

  @Authorized(Role.STAKEHOLDER)
  @Mutation(() => Comment, { description: 'The author only, while the round is open; the earlier text is kept in `revisions`.' })
  async editComment(@Arg('id', () => ID, { description: 'The comment to edit; FORBIDDEN `NOT_AUTHOR` for anyone else’s.' }) id: string, @Arg('input', () => EditCommentInput, { description: 'The new text.' }) input: EditCommentInput, @Ctx() ctx: RequestContext) {
    return publishCommentEvent(ctx, LiveEventKind.COMMENT_EDITED, await comments.editComment(ctx.em, requireViewer(ctx.viewer), id, input));
  }

  @Authorized(Role.STAKEHOLDER)
  @Mutation(() => Comment, { description: 'The author only, while the round is open; the comment stays in the record, marked.' })
  async withdrawComment(@Arg('id', () => ID, { description: 'The comment to withdraw; FORBIDDEN `NOT_AUTHOR` for anyone else’s.' }) id: string, @Ctx() ctx: RequestContext) {
    return publishCommentEvent(ctx, LiveEventKind.COMMENT_WITHDRAWN, await comments.withdrawComment(ctx.em, requireViewer(ctx.viewer), id));
  }

  @FieldResolver(() => CommentAuthor, { description: 'As they were when they wrote.' })
  author(@Root() c: CommentRecord): CommentAuthor {
    return { userId: c.authorId, name: c.authorName, organizationId: c.authorOrganizationId, organizationName: c.authorOrganizationName, organizationKind: c.authorOrganizationKind, country: c.authorCountry };
  }

  @FieldResolver(() => Boolean, { description: 'Written by the viewer.' })
  mine(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.authorId === ctx.viewer?.id;
  }

  @FieldResolver(() => [Comment], { description: 'Direct replies, oldest first; each has its own.' })
  async replies(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(repliesByThread).load(c.threadId)).filter((r) => r.parentId === c.id);
  }

  @FieldResolver(() => [Comment], { description: 'Every reply under a top-level comment, oldest first, flat (each has `parentId`): a whole tree in one shallow query. Empty on replies.' })
  async thread(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.parentId ? [] : ctx.loader(repliesByThread).load(c.id);
  }

  @FieldResolver(() => Disposition, { nullable: true, description: 'The facilitator’s decision on it; null until one is given (and always on replies).' })
  disposition(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.parentId ? null : ctx.loader(dispositionByComment).load(c.id);
  }

  @FieldResolver(() => [CommentRevision], { description: 'Earlier texts, oldest first; empty when never edited.' })
  revisions(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.editedAt ? ctx.loader(revisionsByComment).load(c.id) : [];
  }

  @FieldResolver(() => ConsultationRound, { description: 'The round it was written in.' })
  round(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return ctx.loader(roundById).load(c.round.id);
  }

  @FieldResolver(() => IndicatorVersion, { nullable: true, description: 'The version commented on; null unless `targetKind` is INDICATOR_VERSION.' })
  indicatorVersion(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.indicatorVersion ? ctx.loader(indicatorVersionById).load(c.indicatorVersion.id) : null;
  }

  @FieldResolver(() => Indicator, { nullable: true, description: 'The indicator of that version; null unless `targetKind` is INDICATOR_VERSION.' })
  indicator(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.indicator ? ctx.loader(indicatorById).load(c.indicator.id) : null;
  }

  @FieldResolver(() => Section, { nullable: true, description: 'The section commented on, or the indicator’s section.' })
  section(@Root() c: CommentRecord, @Ctx() ctx: RequestContext) {
    return c.section ? ctx.loader(sectionById).load(c.section.id) : null;
  }
}

@Resolver(() => CommentConnection)
export class CommentConnectionResolver {
  @FieldResolver(() => Int, { description: 'All comments matching the filter, not only this page.' })
  totalCount(@Root() page: CommentConnection, @Ctx() ctx: RequestContext) {
    return page.matchingTotal(ctx.em);
  }

  @FieldResolver(() => CommentFacets, { description: 'Counts per filter value, each facet within every criterion of the filter but its own.' })
  facets(@Root() page: CommentConnection, @Ctx() ctx: RequestContext) {
    return page.facetCounts(ctx.em);
  }
}

@Resolver(() => CommentFacets)
export class CommentFacetsResolver {
  @FieldResolver(() => [FacetCount], {
    description: 'Per author’s organization (ids, labelled with the name), the most commenting first: the top `first`, and always those the filter names.',
  })
  organizations(
    @Root() facets: CommentFacets,
    @Arg('first', () => Int, { defaultValue: 20, description: `How many, 0 to ${MAX_ORGANIZATIONS}; those the filter names come on top of these.` }) first: number,
    @Arg('search', () => String, { nullable: true, description: 'Only organizations whose name contains this (any case).' }) search: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return organizationFacet(ctx.em, facets.roundId, facets.filter, { first, search });
  }
}
