import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { Locale, Role } from '../users/user.entity.js';
import { ImportRoundResult, RoundDispositionSummary } from './export.types.js';
import { dispositionSummary, publishRoundSummary } from './published-summary.service.js';
import { loadRound } from '../rounds/round.loaders.js';
import { publishRoundStatusEvent } from '../rounds/round-activity.js';
import { importRound } from './round-import.js';
import { previewRoundImport } from './round-import-preview.js';

/** The GraphQL side of exports; the files themselves download over plain HTTP at `/exports/rounds/:id`. */
@Resolver()
export class ExportResolver {
  @Authorized()
  @Query(() => RoundDispositionSummary, { description: 'Counts of what was done with the round’s comments: facilitators always, others once published.' })
  async roundDispositionSummary(
    @Arg('roundId', () => ID, { description: 'The round; FORBIDDEN `NOT_IN_AUDIENCE` outside its audience.' }) roundId: string,
    @Arg('language', () => Locale, { nullable: true, description: 'The language of area titles; by default the reader’s own.' }) language: Locale | null,
    @Ctx() ctx: RequestContext,
  ) {
    await loadRound(ctx, roundId);
    return dispositionSummary(ctx.em, requireViewer(ctx.viewer), roundId, language);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ConsultationRound, { description: 'Publishes a resolved round’s disposition summary to stakeholders (CONFLICT `ROUND_NOT_RESOLVED` before).' })
  async publishRoundSummary(@Arg('roundId', () => ID, { description: 'The resolved round.' }) roundId: string, @Ctx() ctx: RequestContext) {
    return publishRoundStatusEvent(ctx, await publishRoundSummary(ctx.em, requireViewer(ctx.viewer), roundId));
  }

  @Authorized(Role.ADMIN)
  @Query(() => ImportRoundResult, { description: 'What `importRound` would load from this document, with the same checks and refusals; nothing is written.' })
  async roundImportPreview(@Arg('document', () => GraphQLJSONObject, { description: 'A `consulta-round` JSON export, as downloaded.' }) document: Record<string, unknown>, @Ctx() ctx: RequestContext) {
    return ImportRoundResult.of(await previewRoundImport(ctx.em, document, requireViewer(ctx.viewer).id));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ImportRoundResult, { description: 'Loads a `consulta-round` JSON export (docs/export-format.md) with its ids, all or nothing.' })
  async importRound(@Arg('document', () => GraphQLJSONObject, { description: 'A `consulta-round` JSON export, as downloaded.' }) document: Record<string, unknown>, @Ctx() ctx: RequestContext) {
    return ImportRoundResult.of(await importRound(ctx.em, document, requireViewer(ctx.viewer).id));
  }
}
