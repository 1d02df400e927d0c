import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../context.js';
import { withinLength } from '../errors.js';
import { requireViewer } from '../auth/viewer.js';
import { CommentAuthor } from '../comments/comment.entity.js';
import { PublicAuthor } from '../publication/publication.types.js';
import { User } from '../users/user.entity.js';
import { readerLocale, shownName } from './former-participant.js';
import { CommentsOnDeletion, deleteAccount, personalData } from './privacy.service.js';

/** A person's own data: all of it to take away, and the account to delete. */
@Resolver()
export class PrivacyResolver {
  @Authorized()
  @Query(() => GraphQLJSONObject, { description: 'Everything Consulta holds about me (profile, memberships, comments, votes, ratings, sessions, audit entries, notifications and their settings, mails sent me); also a download at `/exports/me.json`.' })
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

/** A deleted account's name, wherever it shows: “former participant” in the reader's language. */
@Resolver(() => User)
export class FormerParticipantUserResolver {
  @FieldResolver(() => String, { description: 'The name shown with their comments and votes; “former participant”, in the reader’s language, once they deleted their account.' })
  name(@Root() user: User, @Ctx() ctx: RequestContext) {
    return shownName(user.name, readerLocale(ctx));
  }
}

@Resolver(() => CommentAuthor)
export class FormerParticipantAuthorResolver {
  @FieldResolver(() => String, { description: 'Their name when they wrote; “former participant”, in the reader’s language, once they deleted their account.' })
  name(@Root() author: CommentAuthor, @Ctx() ctx: RequestContext) {
    return shownName(author.name, readerLocale(ctx));
  }
}

@Resolver(() => PublicAuthor)
export class FormerParticipantPublicAuthorResolver {
  @FieldResolver(() => String, { nullable: true, description: 'The person’s name (“former participant”, in the reader’s language, once they deleted their account); null unless the round shows names.' })
  name(@Root() author: PublicAuthor, @Ctx() ctx: RequestContext) {
    return author.name === null ? null : shownName(author.name, readerLocale(ctx));
  }
}

export const privacyResolvers = [PrivacyResolver, FormerParticipantUserResolver, FormerParticipantAuthorResolver, FormerParticipantPublicAuthorResolver];
