import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Comment } from '../comments/comment.entity.js';
import { Role } from '../users/user.entity.js';
import { Disposition, type DispositionRecord } from './disposition.entity.js';
import { commentById } from '../comments/comment.loaders.js';
import { DispositionInput } from './disposition.inputs.js';
import * as dispositions from './disposition.service.js';
import { publishDispositionEvents } from '../rounds/round-activity.js';

@Resolver(() => Disposition)
export class DispositionResolver {
  @Authorized(Role.FACILITATOR)
  @Mutation(() => [Disposition], { description: 'Sets or changes the disposition of one or many top-level comments of a round.' })
  async setDispositions(@Arg('input', () => DispositionInput, { description: 'The comments and the decision.' }) input: DispositionInput, @Ctx() ctx: RequestContext) {
    return publishDispositionEvents(ctx, await dispositions.setDispositions(ctx.em, requireViewer(ctx.viewer), input));
  }

  @FieldResolver(() => Comment, { description: 'The comment decided on.' })
  async comment(@Root() d: DispositionRecord, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(commentById).load(d.comment.id))!;
  }
}
