import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import type { CommentRecord } from '../comments/comment-record.js';
import { Comment } from '../comments/comment.entity.js';
import { IndicatorVersion } from '../indicators/indicator.entity.js';
import { readableRoundIds } from '../rounds/round.loaders.js';
import { publishTakenUpEvents } from '../rounds/round-activity.js';
import { Role } from '../users/user.entity.js';
import { FieldDiff } from '../indicators/version-diff.js';
import { ProposeRevisionInput, RevisionPreviewInput } from './revision.inputs.js';
import { commentsAnsweredBy, revisionsTakingUp } from './revision.loaders.js';
import * as revisions from './revision.service.js';

@Resolver(() => IndicatorVersion)
export class RevisionResolver {
  @Authorized(Role.FACILITATOR)
  @Mutation(() => IndicatorVersion, { description: 'Proposes a new version built on the consulted one, answering comments; a ballot decides it.' })
  async proposeRevision(@Arg('input', () => ProposeRevisionInput, { description: 'The revision.' }) input: ProposeRevisionInput, @Ctx() ctx: RequestContext) {
    const revision = await revisions.proposeRevision(ctx.em, requireViewer(ctx.viewer).id, input);
    const answered = input.answersCommentIds?.length ? await ctx.em.find(Comment, { id: { $in: input.answersCommentIds } }, { fields: ['round'] }) : [];
    return publishTakenUpEvents(ctx, answered.map((c) => c.round.id), revision);
  }

  @Authorized(Role.FACILITATOR)
  @Query(() => [IndicatorVersion], { description: 'Proposed revisions not yet in a pending ballot, oldest first.' })
  revisionsAwaitingBallot(@Ctx() ctx: RequestContext) {
    return revisions.revisionsAwaitingBallot(ctx.em);
  }

  @Authorized(Role.FACILITATOR)
  @Query(() => [FieldDiff], { description: 'How a revision with these texts would differ from the consulted version, word by word, per field and language; nothing is stored.' })
  revisionPreview(@Arg('input', () => RevisionPreviewInput, { description: 'The texts to compare.' }) input: RevisionPreviewInput, @Ctx() ctx: RequestContext) {
    return revisions.previewRevision(ctx.em, input);
  }

  @FieldResolver(() => [Comment], { description: 'The comments this revision answers (empty for other versions), of the rounds the viewer may read.' })
  async answersComments(@Root() version: IndicatorVersion, @Ctx() ctx: RequestContext) {
    const answered = await ctx.loader(commentsAnsweredBy).load(version.id);
    // A ballot or a search leads here from outside the rounds: each comment stays with its round's audience.
    const readable = await readableRoundIds(ctx, answered.map((c) => c.round.id));
    return answered.filter((c) => readable.has(c.round.id));
  }
}

@Resolver(() => Comment)
export class CommentTakenUpResolver {
  @FieldResolver(() => [IndicatorVersion], { description: 'The revisions that took up this comment, newest first: see each one’s status.' })
  takenUpBy(@Root() comment: CommentRecord, @Ctx() ctx: RequestContext) {
    // A revision takes up top-level comments only (proposeRevision refuses replies): a page's replies need no query.
    return comment.parentId ? [] : ctx.loader(revisionsTakingUp).load(comment.id);
  }
}
