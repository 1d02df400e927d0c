import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import type { Ref } from '@mikro-orm/core';
import { readingLanguages } from '../frameworks/reading-language.js';
import { LocalizedString, localize } from '../i18n/localized-text.js';
import { Locale, User } from '../users/user.entity.js';
import { IndicatorFieldText, fieldTexts } from './field-text.js';
import { IndicatorDraft } from './indicator-draft.entity.js';
import { IndicatorField } from './indicator-field.js';
import { IndicatorVersion, Indicator } from './indicator.entity.js';
import * as indicators from './indicator.service.js';
import { VersionDiff } from './version-diff.js';

/** The source language of an indicator's framework; both are usually in the identity map already. */
export async function sourceLanguageOf(indicator: Ref<Indicator>): Promise<Locale> {
  const loaded = await indicator.loadOrFail();
  return (await loaded.framework.loadOrFail()).sourceLanguage;
}

@Resolver(() => IndicatorVersion)
export class IndicatorVersionResolver {
  @Authorized()
  @Query(() => IndicatorVersion, { nullable: true, description: 'One version by id; null when there is none.' })
  indicatorVersion(@Arg('id', () => ID, { description: 'The version’s id.' }) id: string, @Ctx() ctx: RequestContext) {
    return indicators.findVersion(ctx.em, id);
  }

  @Authorized()
  @Query(() => VersionDiff, { description: 'Word-level changes from one version to another of the same indicator, per field and language.' })
  versionDiff(
    @Arg('from', () => ID, { description: 'The older version.' }) from: string,
    @Arg('to', () => ID, { description: 'The newer version, of the same indicator.' }) to: string,
    @Arg('languages', () => [Locale], { nullable: true, description: 'Only these languages; all when omitted.' }) languages: Locale[] | null,
    @Ctx() ctx: RequestContext,
  ) {
    return indicators.versionDiff(ctx.em, from, to, languages);
  }

  @FieldResolver(() => Indicator, { description: 'The indicator it is a version of.' })
  indicator(@Root() version: IndicatorVersion) {
    return version.indicator.load();
  }

  @FieldResolver(() => IndicatorVersion, { nullable: true, description: 'The version this one was made from.' })
  parent(@Root() version: IndicatorVersion) {
    return version.parent?.load() ?? null;
  }

  @FieldResolver(() => User, { description: 'Who published or proposed it.' })
  author(@Root() version: IndicatorVersion) {
    return version.author.load();
  }

  @FieldResolver(() => [IndicatorFieldText], { description: 'Every field in order, in `language` (default: the viewer’s), with the fallback `LocalizedString` describes.' })
  async fields(@Root() version: IndicatorVersion, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) language?: Locale | null) {
    const source = await sourceLanguageOf(version.indicator);
    return fieldTexts(version.texts, readingLanguages(ctx, language, source), source);
  }

  @FieldResolver(() => LocalizedString, { nullable: true, description: 'One field in `language`, with the fallback `LocalizedString` describes.' })
  async text(
    @Root() version: IndicatorVersion,
    @Arg('field', () => IndicatorField, { description: 'Which part of the text.' }) field: IndicatorField,
    @Ctx() ctx: RequestContext,
    @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) language?: Locale | null,
  ) {
    const source = await sourceLanguageOf(version.indicator);
    return localize(version.texts[field], readingLanguages(ctx, language, source), source);
  }
}

@Resolver(() => IndicatorDraft)
export class IndicatorDraftResolver {
  @FieldResolver(() => [IndicatorFieldText], { description: 'Every field in order, in `language`, with the fallback `LocalizedString` describes; `translations` hold what editors edit.' })
  async fields(@Root() draft: IndicatorDraft, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) language?: Locale | null) {
    const source = await sourceLanguageOf(draft.indicator);
    return fieldTexts(draft.texts, readingLanguages(ctx, language, source), source);
  }

  @FieldResolver(() => IndicatorVersion, { nullable: true, description: 'The version this draft was last saved over.' })
  baseVersion(@Root() draft: IndicatorDraft) {
    return draft.baseVersion?.load() ?? null;
  }

  @FieldResolver(() => User, { description: 'Who saved it last.' })
  updatedBy(@Root() draft: IndicatorDraft) {
    return draft.updatedBy.load();
  }
}
