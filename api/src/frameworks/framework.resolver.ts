import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { LocalizedString, Translations, localize } from '../i18n/localized-text.js';
import { Locale, Role } from '../users/user.entity.js';
import { Framework } from './framework.entity.js';
import { CreateFrameworkInput, UpdateFrameworkInput } from './framework.inputs.js';
import { indicatorsOfFramework, sectionsOfFramework } from './framework.loaders.js';
import * as frameworks from './framework.service.js';
import { readingLanguages } from './reading-language.js';
import { Section } from './section.entity.js';

@Resolver(() => Framework)
export class FrameworkResolver {
  @Authorized()
  @Query(() => [Framework], { description: 'Every framework, oldest first.' })
  frameworks(@Ctx() ctx: RequestContext) {
    return frameworks.listFrameworks(ctx.em);
  }

  @Authorized()
  @Query(() => Framework, { nullable: true, description: 'One framework by its slug; null when there is none.' })
  framework(@Arg('slug', () => String, { description: 'The framework’s slug.' }) slug: string, @Ctx() ctx: RequestContext) {
    return frameworks.findFramework(ctx.em, slug);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Framework, { description: 'Creates an empty framework in DRAFT; CONFLICT `DUPLICATE_SLUG` when the slug is taken.' })
  createFramework(@Arg('input', () => CreateFrameworkInput, { description: 'The framework.' }) input: CreateFrameworkInput, @Ctx() ctx: RequestContext) {
    return frameworks.createFramework(ctx.em, requireViewer(ctx.viewer).id, input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Framework, { description: 'Renames a framework or rewrites its description; its slug, kind and source language stay.' })
  updateFramework(@Arg('id', () => ID, { description: 'The framework.' }) id: string, @Arg('input', () => UpdateFrameworkInput, { description: 'What changes.' }) input: UpdateFrameworkInput, @Ctx() ctx: RequestContext) {
    return frameworks.updateFramework(ctx.em, requireViewer(ctx.viewer).id, id, input);
  }

  @FieldResolver(() => LocalizedString, { description: 'In `language` (default: the viewer’s), with the fallback `LocalizedString` describes.' })
  name(@Root() framework: Framework, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) language?: Locale | null) {
    return localize(framework.name, readingLanguages(ctx, language, framework.sourceLanguage), framework.sourceLanguage);
  }

  @FieldResolver(() => Translations, { description: 'The name in every language it has, for editing.' })
  nameTranslations(@Root() framework: Framework) {
    return framework.name;
  }

  @FieldResolver(() => LocalizedString, { nullable: true, description: 'What the framework is for; null when it has none.' })
  description(@Root() framework: Framework, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) language?: Locale | null) {
    return localize(framework.description, readingLanguages(ctx, language, framework.sourceLanguage), framework.sourceLanguage);
  }

  @FieldResolver(() => Translations, { description: 'The description in every language it has, for editing.' })
  descriptionTranslations(@Root() framework: Framework) {
    return framework.description;
  }

  @FieldResolver(() => [Section], { description: 'The top-level sections (areas, dimensions), in order; each has its `children`.' })
  async sections(@Root() framework: Framework, @Ctx() ctx: RequestContext) {
    const all = await ctx.loader(sectionsOfFramework).load(framework.id);
    return all.filter((s) => !s.parent);
  }

  @FieldResolver(() => [Section], { description: 'Every section at any depth, parents before children.' })
  allSections(@Root() framework: Framework, @Ctx() ctx: RequestContext) {
    return ctx.loader(sectionsOfFramework).load(framework.id);
  }

  @FieldResolver(() => Int, { description: 'Its indicators (or essential practices), in every section, drafts and retired ones included.' })
  async indicatorCount(@Root() framework: Framework, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(indicatorsOfFramework).load(framework.id)).length;
  }
}
