import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../context.js';
import { withinLength } from '../errors.js';
import { requireViewer } from '../auth/viewer.js';
import { CommentsOnDeletion, deleteAccount, personalData } from './privacy.service.js';

/** A person's own data: all of it to take away, and the account to delete. */
@Resolver()
export class PrivacyResolver {
  @Authorized()
  @Query(() => GraphQLJSONObject, { description: 'Everything Consulta holds about me (profile, memberships, comments, votes, ratings, sessions, audit entries); also a download at `/exports/me.json`.' })
  myPersonalData(@Ctx() ctx: RequestContext) {
    return personalData(ctx.em, requireViewer(ctx.viewer));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Deletes my account (BAD_USER_INPUT `WRONG_PASSWORD` without my password): my comments stay as a former participant’s or are withdrawn, as I choose; every session ends; name, e-mail and password are erased.' })
  async deleteMyAccount(
    @Arg('password', () => String, { description: 'My password, to confirm.' }) password: string,
    @Arg('comments', () => CommentsOnDeletion, { description: 'What happens to my comments.' }) comments: CommentsOnDeletion,
    @Ctx() ctx: RequestContext,
  ) {
    await deleteAccount(ctx.em, ctx.app.hasher, requireViewer(ctx.viewer), withinLength('password', password, 1000), comments);
    ctx.cookie.clear();
    return true;
  }
}
