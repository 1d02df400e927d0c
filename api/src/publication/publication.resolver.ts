import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { Locale, Role } from '../users/user.entity.js';
import * as publication from './publication.service.js';
import { PublicCommentPage, PublicFramework, PublicRelease, PublicRound, PublicRoundPage, RoundPublicationInput } from './publication.types.js';

const languageArg = { description: 'The language to read it in (a text not yet translated shows in its source language, marked).' };

/** What anyone reads signed out: released standards, the rounds, open rounds' texts, published summaries and public comments. */
@Resolver()
export class PublicationResolver {
  @Query(() => [PublicFramework], { description: 'Public (signed out too): the frameworks with at least one release, with their releases.' })
  publicFrameworks(@Arg('language', () => Locale, languageArg) language: Locale, @Ctx() ctx: RequestContext) {
    return publication.publicFrameworks(ctx.em, language);
  }

  @Query(() => PublicRelease, { nullable: true, description: 'Public (signed out too): a release’s indicators in one language; null when there is no such release.' })
  publicRelease(
    @Arg('frameworkSlug', () => String, { description: 'The framework’s slug.' }) frameworkSlug: string,
    @Arg('number', () => String, { description: 'The release number, e.g. `2026.1`.' }) number: string,
    @Arg('language', () => Locale, languageArg) language: Locale,
    @Ctx() ctx: RequestContext,
  ) {
    return publication.publicRelease(ctx.em, frameworkSlug, number, language);
  }

  @Query(() => [PublicRound], { description: 'Public (signed out too): the published rounds (not those for the working group alone), newest opening first.' })
  publicRounds(@Arg('language', () => Locale, languageArg) language: Locale, @Ctx() ctx: RequestContext) {
    return publication.publicRounds(ctx.em, language);
  }

  @Query(() => PublicRoundPage, { description: 'Public (signed out too): a round with its texts once open and its summary once published; NOT_FOUND for drafts and working-group rounds.' })
  publicRound(@Arg('id', () => ID, { description: 'The round.' }) id: string, @Arg('language', () => Locale, languageArg) language: Locale, @Ctx() ctx: RequestContext) {
    return publication.publicRoundPage(ctx.em, id, language);
  }

  @Query(() => PublicCommentPage, { description: 'Public (signed out too): a closed round’s comments when its setting makes them public (an empty page otherwise), authors as the setting shows them.' })
  publicComments(
    @Arg('roundId', () => ID, { description: 'The round.' }) roundId: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 200.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the page before.' }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return publication.publicComments(ctx.em, roundId, first, after ?? null);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Sets what a round shows the public: whether its comments are public once it closes, and how their authors appear (audit-logged).' })
  setRoundPublication(
    @Arg('roundId', () => ID, { description: 'The round.' }) roundId: string,
    @Arg('input', () => RoundPublicationInput, { description: 'The settings.' }) input: RoundPublicationInput,
    @Ctx() ctx: RequestContext,
  ) {
    return publication.setRoundPublication(ctx.em, requireViewer(ctx.viewer), roundId, input);
  }
}
