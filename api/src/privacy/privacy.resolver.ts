import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { OnBehalfSource, type OnBehalfRecord } from '../analysis/on-behalf-source.entity.js';
import { AuditLogEntry } from '../audit/audit-log.js';
import { BallotVote } from '../ballots/ballot-vote.entity.js';
import type { RequestContext } from '../context.js';
import { Disposition, type DispositionRecord } from '../dispositions/disposition.entity.js';
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

/** Where a deleted account's name shows, the reader sees “former participant” in their own language. */
const ONCE_DELETED = '“former participant”, in the reader’s language, once they deleted their account';

@Resolver(() => User)
export class FormerParticipantUserResolver {
  @FieldResolver(() => String, { description: `The name shown with their comments and votes; ${ONCE_DELETED}.` })
  name(@Root() user: User, @Ctx() ctx: RequestContext) {
    return shownName(user.name, readerLocale(ctx));
  }
}

@Resolver(() => CommentAuthor)
export class FormerParticipantAuthorResolver {
  @FieldResolver(() => String, { description: `Their name when they wrote; ${ONCE_DELETED}.` })
  name(@Root() author: CommentAuthor, @Ctx() ctx: RequestContext) {
    return shownName(author.name, readerLocale(ctx));
  }
}

@Resolver(() => PublicAuthor)
export class FormerParticipantPublicAuthorResolver {
  @FieldResolver(() => String, { nullable: true, description: `The person’s name (${ONCE_DELETED}); null unless the round shows names.` })
  name(@Root() author: PublicAuthor, @Ctx() ctx: RequestContext) {
    return author.name === null ? null : shownName(author.name, readerLocale(ctx));
  }
}

@Resolver(() => BallotVote)
export class FormerParticipantVoteResolver {
  @FieldResolver(() => String, { description: `Who cast it, as named then; ${ONCE_DELETED}.` })
  castByName(@Root() vote: BallotVote, @Ctx() ctx: RequestContext) {
    return shownName(vote.castByName, readerLocale(ctx));
  }
}

@Resolver(() => Disposition)
export class FormerParticipantDispositionResolver {
  @FieldResolver(() => String, { description: `The facilitator who decided, as named then; ${ONCE_DELETED}.` })
  decidedByName(@Root() disposition: DispositionRecord, @Ctx() ctx: RequestContext) {
    return shownName(disposition.decidedByName, readerLocale(ctx));
  }
}

@Resolver(() => OnBehalfSource)
export class FormerParticipantSourceResolver {
  @FieldResolver(() => String, { description: `The facilitator who entered it, as named then; ${ONCE_DELETED}.` })
  enteredByName(@Root() source: OnBehalfRecord, @Ctx() ctx: RequestContext) {
    return shownName(source.enteredByName, readerLocale(ctx));
  }
}

@Resolver(() => AuditLogEntry)
export class FormerParticipantActorResolver {
  @FieldResolver(() => String, { nullable: true, description: `The actor’s name today (${ONCE_DELETED}); null for the system.` })
  actorName(@Root() entry: AuditLogEntry, @Ctx() ctx: RequestContext) {
    return entry.actorName === null ? null : shownName(entry.actorName, readerLocale(ctx));
  }
}

export const privacyResolvers = [
  PrivacyResolver,
  FormerParticipantUserResolver,
  FormerParticipantAuthorResolver,
  FormerParticipantPublicAuthorResolver,
  FormerParticipantVoteResolver,
  FormerParticipantDispositionResolver,
  FormerParticipantSourceResolver,
  FormerParticipantActorResolver,
];
