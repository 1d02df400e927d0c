import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { LocalizedString, Translations, localize } from '../i18n/localized-text.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { Locale, Role } from '../users/user.entity.js';
import { Framework } from './framework.entity.js';
import { CreateSectionInput, UpdateSectionInput } from './framework.inputs.js';
import { indicatorsOfFramework, sectionsOfFramework } from './framework.loaders.js';
import * as frameworks from './framework.service.js';
import { readingLanguages } from './reading-language.js';
import { Section, type SectionRecord } from './section.entity.js';
import { frameworkById, sectionById } from '../indicators/indicator.loaders.js';

@Resolver(() => Section)
export class SectionResolver {
  @Authorized(Role.FACILITATOR)
  @Mutation(() => Section, { description: 'Adds a section to a framework’s tree; CONFLICT `DUPLICATE_CODE` when the code is taken in the framework.' })
  createSection(@Arg('input', () => CreateSectionInput, { description: 'The section.' }) input: CreateSectionInput, @Ctx() ctx: RequestContext) {
    return frameworks.createSection(ctx.em, requireViewer(ctx.viewer).id, input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Section, { description: 'Renames, recodes or reorders a section among its siblings.' })
  updateSection(
    @Arg('id', () => ID, { description: 'The section.' }) id: string,
    @Arg('input', () => UpdateSectionInput, { description: 'What changes.' }) input: UpdateSectionInput,
    @Ctx() ctx: RequestContext,
  ) {
    return frameworks.updateSection(ctx.em, requireViewer(ctx.viewer).id, id, input);
  }

  @FieldResolver(() => Framework, { description: 'The framework whose tree it is in.' })
  framework(@Root() section: SectionRecord, @Ctx() ctx: RequestContext) {
    return this.frameworkOf(section, ctx);
  }

  @FieldResolver(() => Section, { nullable: true, description: 'The section it is in; null for a top-level area or dimension.' })
  parent(@Root() section: SectionRecord, @Ctx() ctx: RequestContext) {
    return section.parent ? ctx.loader(sectionById).load(section.parent.id) : null;
  }

  @FieldResolver(() => LocalizedString, { description: 'In `language` (default: the viewer’s), with the fallback `LocalizedString` describes.' })
  async title(@Root() section: SectionRecord, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) language?: Locale | null) {
    const { sourceLanguage } = await this.frameworkOf(section, ctx);
    return localize(section.title, readingLanguages(ctx, language, sourceLanguage), sourceLanguage);
  }

  @FieldResolver(() => Translations, { description: 'The title in every language it has, for editing.' })
  titleTranslations(@Root() section: SectionRecord) {
    return section.title;
  }

  @FieldResolver(() => [Section], { description: 'Sub-sections in order (an area’s sub-areas, a dimension’s standards).' })
  async children(@Root() section: SectionRecord, @Ctx() ctx: RequestContext) {
    const all = await ctx.loader(sectionsOfFramework).load(section.framework.id);
    return all.filter((s) => s.parent?.id === section.id);
  }

  @FieldResolver(() => [Indicator], { description: 'The indicators (or essential practices) directly in this section, in order.' })
  async indicators(@Root() section: SectionRecord, @Ctx() ctx: RequestContext) {
    const all = await ctx.loader(indicatorsOfFramework).load(section.framework.id);
    return all.filter((i) => i.section.id === section.id);
  }

  private async frameworkOf(section: SectionRecord, ctx: RequestContext) {
    return (await ctx.loader(frameworkById).load(section.framework.id))!;
  }
}
