import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { Comment } from '../comments/comment.entity.js';
import { Framework } from '../frameworks/framework.entity.js';
import { readingLanguages } from '../frameworks/reading-language.js';
import { LocalizedString, Translations, localize } from '../i18n/localized-text.js';
import { IndicatorVersion, Indicator } from '../indicators/indicator.entity.js';
import { frameworkById } from '../indicators/indicator.loaders.js';
import { FieldDiff, diffTexts } from '../indicators/version-diff.js';
import { readableRoundIds } from '../rounds/round.loaders.js';
import { Locale, Role } from '../users/user.entity.js';
import { BallotQuestionLink, ReleaseChange, ReleaseChangeStep } from './changelog.js';
import { Release, ReleaseIndicator } from './release.entity.js';
import { ReleaseFrameworkInput } from './release.inputs.js';
import * as releases from './release.service.js';

@ObjectType({ description: 'One indicator of a release, at the version it was released with.' })
export class ReleaseEntry {
  @Field(() => String, { description: 'The indicator’s code.' }) code!: string;
  @Field(() => Int, { description: 'Order in the release (the framework’s tree order when released), from 0.' }) position!: number;
  @Field(() => Indicator, { description: 'The indicator.' }) indicator!: Indicator;
  @Field(() => IndicatorVersion, { description: 'The version it was released with.' }) version!: IndicatorVersion;
}

@Resolver(() => Release)
export class ReleaseResolver {
  @Authorized()
  @Query(() => [Release], { description: 'A framework’s releases, newest first.' })
  releases(@Arg('frameworkSlug', () => String, { description: 'The framework’s slug.' }) frameworkSlug: string, @Ctx() ctx: RequestContext) {
    return releases.listReleases(ctx.em, frameworkSlug);
  }

  @Authorized()
  @Query(() => Release, { nullable: true, description: 'One release by its number, e.g. (`spwg-lac-certification`, `2026.1`).' })
  release(@Arg('frameworkSlug', () => String, { description: 'The framework’s slug.' }) frameworkSlug: string, @Arg('number', () => String, { description: 'The release number, e.g. `2026.1`.' }) number: string, @Ctx() ctx: RequestContext) {
    return releases.findRelease(ctx.em, frameworkSlug, number);
  }

  @Authorized(Role.FACILITATOR)
  @Query(() => [ReleaseChange], { description: 'What a release made now would change since the latest release: the changelog it would get.' })
  async releasePreview(@Arg('frameworkSlug', () => String, { description: 'The framework’s slug.' }) frameworkSlug: string, @Ctx() ctx: RequestContext) {
    const framework = await releases.findFrameworkBySlug(ctx.em, frameworkSlug);
    return releases.previewChangelog(ctx.em, framework.id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Release, { description: 'Releases the framework: every indicator in force at its current version, with a changelog since the previous release. Refused (BAD_USER_INPUT) when the number is malformed or taken or nothing changed.' })
  releaseFramework(@Arg('input', () => ReleaseFrameworkInput, { description: 'The framework, the number and the notes.' }) input: ReleaseFrameworkInput, @Ctx() ctx: RequestContext) {
    return releases.releaseFramework(ctx.em, requireViewer(ctx.viewer).id, input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Release, { description: 'Marks a release final: the standard certification uses, and the framework becomes FINAL. Once (CONFLICT `RELEASE_ALREADY_FINAL`), and not for a release a later final one supersedes (CONFLICT `RELEASE_SUPERSEDED`).' })
  markReleaseFinal(@Arg('id', () => ID, { description: 'The release.' }) id: string, @Ctx() ctx: RequestContext) {
    return releases.markReleaseFinal(ctx.em, requireViewer(ctx.viewer).id, id);
  }

  @FieldResolver(() => Framework, { description: 'The framework released.' })
  async framework(@Root() release: Release, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(frameworkById).load(release.framework.id))!;
  }

  @FieldResolver(() => Boolean, { description: 'Whether it is final: never changes again, and is the standard until a later final release supersedes it.' })
  final(@Root() release: Release) {
    return Boolean(release.finalAt);
  }

  @FieldResolver(() => LocalizedString, { nullable: true, description: 'The release notes in `language`, with the fallback `LocalizedString` describes.' })
  async notes(@Root() release: Release, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) language?: Locale | null) {
    const framework = (await ctx.loader(frameworkById).load(release.framework.id))!;
    return localize(release.notes, readingLanguages(ctx, language, framework.sourceLanguage), framework.sourceLanguage);
  }

  @FieldResolver(() => Translations, { description: 'The notes in every language they have.' })
  notesTranslations(@Root() release: Release) {
    return release.notes;
  }

  @FieldResolver(() => [ReleaseEntry], { description: 'Every indicator of the release at its version, in order.' })
  async indicators(@Root() release: Release, @Ctx() ctx: RequestContext): Promise<ReleaseEntry[]> {
    const rows = await ctx.em.find(ReleaseIndicator, { release: release.id }, { populate: ['indicator', 'version'], orderBy: { position: 'asc' } });
    return rows.map((r) => ({ code: r.code, position: r.position, indicator: r.indicator.getEntity(), version: r.version.getEntity() }));
  }

  @FieldResolver(() => [ReleaseChange], { description: 'What changed since the previous release, per indicator, in the release’s order (retired ones last).' })
  changelog(@Root() release: Release, @Ctx() ctx: RequestContext) {
    return releases.releaseChangelog(ctx.em, release);
  }

  @FieldResolver(() => Release, { nullable: true, description: 'The release before this one.' })
  previous(@Root() release: Release, @Ctx() ctx: RequestContext) {
    return releases.previousRelease(ctx.em, release);
  }

  @FieldResolver(() => Release, { nullable: true, description: 'The first later final release: the standard that replaced this one.' })
  supersededBy(@Root() release: Release, @Ctx() ctx: RequestContext) {
    return releases.supersedingRelease(ctx.em, release);
  }
}

@Resolver(() => ReleaseChange)
export class ReleaseChangeResolver {
  @FieldResolver(() => Indicator, { description: 'The indicator that changed.' })
  indicator(@Root() change: ReleaseChange) {
    return change.indicator;
  }

  @FieldResolver(() => [FieldDiff], { description: 'The text from `from` to `to`, word by word, only the fields that changed; only `languages` when given.' })
  diff(@Root() change: ReleaseChange, @Arg('languages', () => [Locale], { nullable: true, description: 'Only these languages; all when omitted.' }) languages?: Locale[] | null) {
    return diffTexts(change.from?.texts ?? {}, change.to?.texts ?? {}, languages ?? undefined).filter((d) => d.changed);
  }
}

@Resolver(() => ReleaseChangeStep)
export class ReleaseChangeStepResolver {
  @FieldResolver(() => [Comment], { description: 'The comments this version answered, of the rounds the viewer may read.' })
  async answeredComments(@Root() step: ReleaseChangeStep, @Ctx() ctx: RequestContext) {
    const readable = await readableRoundIds(ctx, step.comments.map((c) => c.round.id));
    return step.comments.filter((c) => readable.has(c.round.id));
  }
}

@Resolver(() => BallotQuestionLink)
export class BallotQuestionLinkResolver {
  @FieldResolver(() => Ballot, { description: 'The ballot the question was in.' })
  ballot(@Root() link: BallotQuestionLink) {
    return link.ballot;
  }
}

@Resolver(() => Framework)
export class FrameworkReleaseResolver {
  @FieldResolver(() => Release, { nullable: true, description: 'The latest final release: the standard institutions are certified against.' })
  finalRelease(@Root() framework: Framework, @Ctx() ctx: RequestContext) {
    return releases.finalRelease(ctx.em, framework.id);
  }
}
