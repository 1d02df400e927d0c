import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Framework } from '../frameworks/framework.entity.js';
import { readingLanguages } from '../frameworks/reading-language.js';
import { Section } from '../frameworks/section.entity.js';
import { LanguageArgument } from '../i18n/language-argument.js';
import { LocalizedString, localize } from '../i18n/localized-text.js';
import { Locale, Role } from '../users/user.entity.js';
import { IndicatorDraft } from './indicator-draft.entity.js';
import { IndicatorSearchHit, searchIndicators } from './indicator-search.js';
import { IndicatorVersion, Indicator, type CurrentTitle, type IndicatorRecord } from './indicator.entity.js';
import { CreateIndicatorInput, IndicatorTextsInput } from './indicator.inputs.js';
import { currentTitles, draftOfIndicator, frameworkById, indicatorVersionById, sectionById, versionsOfIndicator } from './indicator.loaders.js';
import * as indicators from './indicator.service.js';

@Resolver(() => Indicator)
export class IndicatorResolver {
  @Authorized()
  @Query(() => Indicator, { nullable: true, description: 'One indicator by id; null when there is none.' })
  indicator(@Arg('id', () => ID, { description: 'The indicator’s id.' }) id: string, @Ctx() ctx: RequestContext) {
    return indicators.findIndicator(ctx.em, id);
  }

  @Authorized()
  @Query(() => Indicator, { nullable: true, description: 'By its stable code within a framework, e.g. (`spwg-lac-certification`, `GEN-03`).' })
  indicatorByCode(@Arg('frameworkSlug', () => String, { description: 'The framework’s slug.' }) frameworkSlug: string, @Arg('code', () => String, { description: 'The indicator’s code.' }) code: string, @Ctx() ctx: RequestContext) {
    return indicators.findIndicatorByCode(ctx.em, frameworkSlug, code);
  }

  @Authorized()
  @Query(() => [IndicatorSearchHit], { description: 'Full-text search (accent-free, stemmed) over current texts in one language, and over codes.' })
  searchIndicators(
    @Arg('query', () => String, { description: 'Words to find (any order, accents ignored), or a code.' }) query: string,
    @Arg('language', () => Locale, { description: 'The language whose texts are searched and stemmed.' }) language: Locale,
    @Arg('frameworkSlug', () => String, { nullable: true, description: 'Only this framework; every framework when omitted.' }) frameworkSlug: string | null,
    @Arg('limit', () => Int, { defaultValue: 20, description: 'At most this many hits, 1 to 100.' }) limit: number,
    @Ctx() ctx: RequestContext,
  ) {
    return searchIndicators(ctx.em, query, language, frameworkSlug, Math.max(1, Math.min(limit, 100)));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Indicator, { description: 'A new indicator with its first draft; publish the draft to make version 1.' })
  createIndicator(@Arg('input', () => CreateIndicatorInput, { description: 'The indicator; CONFLICT `DUPLICATE_CODE` when its code is taken in the framework.' }) input: CreateIndicatorInput, @Ctx() ctx: RequestContext) {
    return indicators.createIndicator(ctx.em, requireViewer(ctx.viewer).id, input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => IndicatorDraft, {
    description:
      'Changes the draft’s text: fields and languages left out of `texts` (or null) keep the draft’s words; an empty string clears one. `expectedRevision` is the draft revision you edited; if someone saved since, CONFLICT carries their text in `extensions.current`.',
  })
  saveIndicatorDraft(
    @Arg('indicatorId', () => ID, { description: 'The indicator whose draft is saved.' }) indicatorId: string,
    @Arg('expectedRevision', () => Int, { description: 'The draft’s `revision` when you started editing; CONFLICT `STALE_DRAFT` when someone saved since.' }) expectedRevision: number,
    @Arg('texts', () => IndicatorTextsInput, { description: 'The changes to the draft’s text.' }) texts: IndicatorTextsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return indicators.saveDraft(ctx.em, requireViewer(ctx.viewer).id, indicatorId, expectedRevision, texts);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => IndicatorVersion, { description: 'Freezes the draft as the next immutable version and makes it current.' })
  publishIndicatorDraft(
    @Arg('indicatorId', () => ID, { description: 'The indicator whose draft is published; CONFLICT `NOTHING_TO_PUBLISH` when it equals the current version.' }) indicatorId: string,
    @Arg('changeSummary', () => String, { nullable: true, description: 'What changed, in your words; kept with the version.' }) changeSummary: string | null,
    @Arg('expectedRevision', () => Int, { nullable: true, description: 'The draft revision you reviewed; CONFLICT if it changed.' }) expectedRevision: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return indicators.publishDraft(ctx.em, requireViewer(ctx.viewer).id, indicatorId, changeSummary, expectedRevision);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Indicator, { description: 'Moves an indicator within its section or to another; its code and history stay.' })
  moveIndicator(
    @Arg('indicatorId', () => ID, { description: 'The indicator to move.' }) indicatorId: string,
    @Arg('sectionId', () => ID, { description: 'The section it goes to, in the same framework.' }) sectionId: string,
    @Arg('position', () => Int, { description: 'Its place there, from 0; the others move.' }) position: number,
    @Ctx() ctx: RequestContext,
  ) {
    return indicators.moveIndicator(ctx.em, requireViewer(ctx.viewer).id, indicatorId, sectionId, position);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Indicator, {
    description: 'Retires an indicator: its versions stay readable in the rounds and releases that hold them; new rounds leave it out unless chosen. Its code stays taken.',
  })
  retireIndicator(@Arg('indicatorId', () => ID, { description: 'The indicator to retire; CONFLICT `ALREADY_RETIRED` when it is.' }) indicatorId: string, @Ctx() ctx: RequestContext) {
    return indicators.retireIndicator(ctx.em, requireViewer(ctx.viewer).id, indicatorId);
  }

  @FieldResolver(() => Framework, { description: 'The framework it belongs to.' })
  framework(@Root() indicator: IndicatorRecord, @Ctx() ctx: RequestContext) {
    return ctx.loader(frameworkById).load(indicator.framework.id);
  }

  @FieldResolver(() => Section, { description: 'The section it is in now.' })
  section(@Root() indicator: IndicatorRecord, @Ctx() ctx: RequestContext) {
    return 'code' in indicator.section ? indicator.section : ctx.loader(sectionById).load(indicator.section.id);
  }

  @FieldResolver(() => IndicatorVersion, { nullable: true, description: 'The text in force; null until the first draft is published.' })
  currentVersion(@Root() indicator: IndicatorRecord, @Ctx() ctx: RequestContext) {
    return indicator.currentVersion ? ctx.loader(indicatorVersionById).load(indicator.currentVersion.id) : null;
  }

  @FieldResolver(() => LocalizedString, { nullable: true, description: 'The current version’s title in `language` (default: the viewer’s), with the fallback `LocalizedString` describes.' })
  title(@Root() indicator: IndicatorRecord, @Ctx() ctx: RequestContext, @LanguageArgument() language: Locale | null) {
    const localized = (current: CurrentTitle | null) =>
      current?.title ? localize(current.title, readingLanguages(ctx, language, current.sourceLanguage), current.sourceLanguage) : null;
    // Rows read with their title answer at once: a round page shows hundreds.
    return indicator.currentTitle !== undefined ? localized(indicator.currentTitle) : ctx.loader(currentTitles).load(indicator.id).then(localized);
  }

  @FieldResolver(() => [IndicatorVersion], { description: 'Every version, newest first.' })
  versions(@Root() indicator: IndicatorRecord, @Ctx() ctx: RequestContext) {
    return ctx.loader(versionsOfIndicator).load(indicator.id);
  }

  @Authorized(Role.FACILITATOR)
  @FieldResolver(() => IndicatorDraft, { nullable: true, description: 'The working draft (facilitators only).' })
  draft(@Root() indicator: IndicatorRecord, @Ctx() ctx: RequestContext) {
    return ctx.loader(draftOfIndicator).load(indicator.id);
  }
}
