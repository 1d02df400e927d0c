import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { ballotById, organizationById } from '../ballots/ballot.loaders.js';
import { Section } from '../frameworks/section.entity.js';
import { sectionById } from '../indicators/indicator.loaders.js';
import { Organization } from '../organizations/organization.entity.js';
import { Release } from '../releases/release.entity.js';
import { findFrameworkBySlug } from '../releases/release.service.js';
import { Locale, Role } from '../users/user.entity.js';
import { canRead, partyOf, readableAssessment } from './assessment-access.js';
import { Answer, Assessment, AssessmentArea, EvidenceKind, EvidenceRequest, ReviewJudgment } from './assessment.entity.js';
import * as assessments from './assessment.service.js';
import {
  ChangeSealInput,
  CreateSchemeInput,
  DecideAreaInput,
  OpenAssessmentInput,
  ProvideEvidenceInput,
  RequestEvidenceInput,
  ReviewJudgmentInput,
  OpenCommitteeBallotInput,
  ReviewVisitInput,
  SaveAnswerInput,
} from './certification.inputs.js';
import * as committeeBallots from './committee-ballot.service.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { BallotQuestion } from '../ballots/ballot-question.entity.js';
import { canSee } from '../ballots/ballot.service.js';
import { publishBallotStatusEvent } from '../ballots/ballot-activity.js';
import { answersOfAssessment, areasOfAssessment, areasOfScheme, committeeQuestionsOfArea, evidenceRequestsOfAssessment, indicatorsOfSchemeArea, releaseById, reviewsOfAssessment, schemeAreaById, schemeById, schemeIndicatorById, sealOfAssessmentArea } from './certification.loaders.js';
import * as reviews from './review.service.js';
import { evidenceResolvers } from './evidence.resolver.js';
import { pilotFlagResolvers } from './pilot-flag.resolver.js';
import { BenchmarkResolver } from './benchmarks.resolver.js';
import { isValid, sealStatus, today, type AreaScore } from './rules.js';
import { Scheme, SchemeArea, SchemeIndicator } from './scheme.entity.js';
import * as schemes from './scheme.service.js';
import { Seal, SealStatus } from './seal.entity.js';
import * as seals from './seal.service.js';
import { once } from '../idempotency/idempotency-key.js';
import type { SealRecord } from './seal.service.js';

@ObjectType({ description: 'An area’s result by the scheme’s rule.' })
export class AreaResult {
  @Field(() => Boolean, { description: 'Every essential indicator met (or not applicable).' }) essentialsMet!: boolean;
  @Field(() => Float, { description: 'Scored points earned (a partially met indicator earns half its points).' }) earnedPoints!: number;
  @Field(() => Int, { description: 'Scored points of the indicators that apply.' }) applicablePoints!: number;
  @Field(() => Float, { nullable: true, description: 'Earned points as a percentage of the applicable ones; null when none apply.' }) percent!: number | null;
  @Field(() => Boolean, { description: 'Whether the rule awards the seal.' }) awarded!: boolean;
}

const result = (s: AreaScore): AreaResult => ({
  essentialsMet: s.essentialsMet,
  earnedPoints: s.earnedHalves / 2,
  applicablePoints: s.applicablePoints,
  percent: s.applicablePoints ? (50 * s.earnedHalves) / s.applicablePoints : null,
  awarded: s.awarded,
});

@ObjectType({ description: 'How far an assessed area is answered.' })
export class AreaProgress {
  @Field(() => Int, { description: 'Indicators answered.' }) answered!: number;
  @Field(() => Int, { description: 'Indicators in the area.' }) total!: number;
}

@ObjectType({ description: 'One line of the control list.' })
export class EvidenceLine {
  @Field(() => EvidenceKind, { description: 'A document, data or an interview.' }) kind!: EvidenceKind;
  @Field(() => String, { description: 'What it is, in words (files are a later step).' }) description!: string;
}

@ObjectType({ description: 'An institution listed in the public registry, with its seals.' })
export class RegistryEntry {
  @Field(() => Organization, { description: 'The certified institution.' }) organization!: Organization;
  @Field(() => [Seal], { description: 'Its seals, withdrawn ones included (shown as withdrawn).' }) seals!: SealRecord[];
}

@ObjectType({ description: 'What a verification code says today.' })
export class SealVerification {
  @Field(() => Boolean, { description: 'Whether the code names a seal valid today (active or under surveillance).' }) valid!: boolean;
  @Field(() => Seal, { nullable: true, description: 'The seal it names; null for a code that names none.' }) seal!: Seal | null;
}

/** The reader's language for the API's own sentences: the one asked for, else the account's, else the browser's. */
const languageOf = (ctx: RequestContext, language?: Locale | null): Locale => language ?? ctx.viewer?.user.language ?? ctx.languages[0] ?? Locale.ES;
const languageArg = () => Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' });

@Resolver(() => Scheme)
export class SchemeResolver {
  @Authorized()
  @Query(() => [Scheme], { description: 'A framework’s certification schemes, newest release first.' })
  async certificationSchemes(@Arg('frameworkSlug', () => String, { description: 'The framework’s slug.' }) frameworkSlug: string, @Ctx() ctx: RequestContext) {
    return schemes.listSchemes(ctx.em, (await findFrameworkBySlug(ctx.em, frameworkSlug)).id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Scheme, { description: 'Makes the certification scheme of a final release. Refused for a working release (CONFLICT `RELEASE_NOT_FINAL`), a release with a scheme (CONFLICT `SCHEME_EXISTS`), or an area or indicator the release lacks (BAD_USER_INPUT).' })
  createCertificationScheme(@Arg('input', () => CreateSchemeInput, { description: 'The release, the validity and the areas.' }) input: CreateSchemeInput, @Ctx() ctx: RequestContext) {
    return schemes.createScheme(ctx.em, requireViewer(ctx.viewer).id, input);
  }

  @FieldResolver(() => Release, { description: 'The final release it judges.' })
  async release(@Root() scheme: Scheme, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(releaseById).load(scheme.release.id))!;
  }

  @FieldResolver(() => [SchemeArea], { description: 'Its areas, in order.' })
  areas(@Root() scheme: Scheme, @Ctx() ctx: RequestContext) {
    return ctx.loader(areasOfScheme).load(scheme.id);
  }

  @FieldResolver(() => String, { description: 'The seals’ validity in plain words.' })
  validityRule(@Root() scheme: Scheme, @Ctx() ctx: RequestContext, @languageArg() language?: Locale | null) {
    return schemes.validityRule(languageOf(ctx, language), scheme);
  }
}

@Resolver(() => SchemeArea)
export class SchemeAreaResolver {
  @FieldResolver(() => Section, { description: 'The framework’s top-level section the area is.' })
  async section(@Root() area: SchemeArea, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(sectionById).load(area.section.id))!;
  }

  @FieldResolver(() => [SchemeIndicator], { description: 'The indicators it judges, in the release’s order.' })
  indicators(@Root() area: SchemeArea, @Ctx() ctx: RequestContext) {
    return ctx.loader(indicatorsOfSchemeArea).load(area.id);
  }

  @FieldResolver(() => String, { description: 'The rule that awards the area’s seal, in plain words.' })
  async rule(@Root() area: SchemeArea, @Ctx() ctx: RequestContext, @languageArg() language?: Locale | null) {
    return schemes.areaRule(languageOf(ctx, language), area, await ctx.loader(indicatorsOfSchemeArea).load(area.id));
  }
}

@Resolver(() => SchemeIndicator)
export class SchemeIndicatorResolver {
  @FieldResolver(() => String, { description: 'How it is judged, in plain words: essential or its points, and its threshold.' })
  rule(@Root() indicator: SchemeIndicator, @Ctx() ctx: RequestContext, @languageArg() language?: Locale | null) {
    return schemes.indicatorRule(languageOf(ctx, language), indicator);
  }
}

@Resolver(() => Assessment)
export class AssessmentResolver {
  @Authorized()
  @Query(() => [Assessment], { description: 'The assessments the viewer may read: their institution’s, those they review, or all for the committee and facilitators.' })
  certificationAssessments(@Ctx() ctx: RequestContext) {
    return assessments.visibleAssessments(ctx.em, requireViewer(ctx.viewer));
  }

  @Authorized()
  @Query(() => Assessment, { description: 'One assessment; NOT_FOUND unless the viewer is of the institution, an assigned reviewer, on the committee or a facilitator.' })
  certificationAssessment(@Arg('id', () => ID, { description: 'The assessment.' }) id: string, @Ctx() ctx: RequestContext) {
    return readableAssessment(ctx.em, ctx.viewer, id);
  }

  @Authorized()
  @Mutation(() => Assessment, { description: 'Opens an assessment of the viewer’s own institution; FORBIDDEN `NOT_AN_INSTITUTION` unless it is a microfinance institution.' })
  openAssessment(@Arg('input', () => OpenAssessmentInput, { description: 'The scheme, the areas and the kind.' }) input: OpenAssessmentInput, @Ctx() ctx: RequestContext) {
    return assessments.openAssessment(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized()
  @Mutation(() => Answer, { description: 'Saves an answer (the institution’s people only). CONFLICT `STALE_ANSWER` when it was saved since the revision given; the same save sent twice is taken once.' })
  async saveAnswer(@Arg('input', () => SaveAnswerInput, { description: 'The answer and the revision it was based on.' }) input: SaveAnswerInput, @Ctx() ctx: RequestContext) {
    const viewer = requireViewer(ctx.viewer);
    return (await once(ctx.em, viewer.id, input.idempotencyKey, 'saveAnswer', input, () => assessments.saveAnswer(ctx.em, viewer, input), (id) => ctx.em.findOneOrFail(Answer, { id }))).result;
  }

  @Authorized()
  @Mutation(() => Assessment, { description: 'Submits the assessment (the institution’s people only): its answers freeze and each area gets its self-score. BAD_USER_INPUT `ANSWERS_MISSING` until every indicator is answered.' })
  submitAssessment(@Arg('id', () => ID, { description: 'The assessment.' }) id: string, @Ctx() ctx: RequestContext) {
    return assessments.submitAssessment(ctx.em, requireViewer(ctx.viewer), id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Assessment, { description: 'Assigns a reviewer from an accredited certification body; FORBIDDEN `CONFLICT_OF_INTEREST` for a person of the assessed institution.' })
  assignReviewer(
    @Arg('assessmentId', () => ID, { description: 'The assessment.' }) assessmentId: string,
    @Arg('userId', () => ID, { description: 'The reviewer.' }) userId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return reviews.assignReviewer(ctx.em, requireViewer(ctx.viewer).id, assessmentId, userId);
  }

  @Authorized()
  @Mutation(() => Assessment, { description: 'Records the days of the desk review and the on-site visit (an assigned reviewer only).' })
  recordReviewVisit(@Arg('input', () => ReviewVisitInput, { description: 'The days.' }) input: ReviewVisitInput, @Ctx() ctx: RequestContext) {
    return reviews.recordReviewVisit(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized()
  @Mutation(() => ReviewJudgment, { description: 'Confirms or changes the institution’s judgment on an indicator (an assigned reviewer only); a change needs a reason (BAD_USER_INPUT `CHANGE_REASON_REQUIRED`).' })
  reviewJudgment(@Arg('input', () => ReviewJudgmentInput, { description: 'The judgment and why.' }) input: ReviewJudgmentInput, @Ctx() ctx: RequestContext) {
    return reviews.reviewJudgment(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized()
  @Mutation(() => EvidenceRequest, { description: 'Asks the institution for more evidence on an indicator (an assigned reviewer only).' })
  requestEvidence(@Arg('input', () => RequestEvidenceInput, { description: 'The indicator and what is asked for.' }) input: RequestEvidenceInput, @Ctx() ctx: RequestContext) {
    return reviews.requestEvidence(ctx.em, requireViewer(ctx.viewer), input, ctx.app.config.PUBLIC_URL);
  }

  @Authorized()
  @Mutation(() => EvidenceRequest, { description: 'Answers an evidence request (the institution’s people only); CONFLICT `EVIDENCE_ANSWERED` when answered already.' })
  provideEvidence(@Arg('input', () => ProvideEvidenceInput, { description: 'The response.' }) input: ProvideEvidenceInput, @Ctx() ctx: RequestContext) {
    return reviews.provideEvidence(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.CERTIFICATION_COMMITTEE)
  @Mutation(() => AssessmentArea, { description: 'The committee awards or refuses an area’s seal; against the scheme’s result only with a reason (BAD_USER_INPUT `CHANGE_REASON_REQUIRED`); CONFLICT `EVIDENCE_PENDING` while evidence is outstanding.' })
  decideCertificationArea(@Arg('input', () => DecideAreaInput, { description: 'The area, the decision and why.' }) input: DecideAreaInput, @Ctx() ctx: RequestContext) {
    return reviews.decideArea(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Ballot, {
    description:
      'Opens a ballot of the committee on an assessed area whose scheme area is decided by COMMITTEE_BALLOT: approve awards the seal, reject refuses it, at the close. Its voters are the committee without the assessed institution’s people and the assessment’s reviewers; only the committee and facilitators see it. CONFLICT `AREA_DECIDED_DIRECTLY`, `COMMITTEE_BALLOT_PENDING`, `AREA_DECIDED`, `EVIDENCE_PENDING`, `NO_ELIGIBLE_VOTERS`.',
  })
  async openCommitteeBallot(@Arg('input', () => OpenCommitteeBallotInput, { description: 'The area and the ballot’s terms.' }) input: OpenCommitteeBallotInput, @Ctx() ctx: RequestContext) {
    return publishBallotStatusEvent(ctx, await committeeBallots.openCommitteeBallot(ctx.em, requireViewer(ctx.viewer).id, input));
  }

  @FieldResolver(() => Scheme, { description: 'The scheme it is assessed against.' })
  async scheme(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeById).load(assessment.scheme.id))!;
  }

  @FieldResolver(() => Organization, { description: 'The institution assessed.' })
  async organization(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(organizationById).load(assessment.organization.id))!;
  }

  @FieldResolver(() => [AssessmentArea], { description: 'The areas it covers.' })
  areas(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return ctx.loader(areasOfAssessment).load(assessment.id);
  }

  @FieldResolver(() => [Answer], { description: 'The institution’s answers.' })
  answers(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return ctx.loader(answersOfAssessment).load(assessment.id);
  }

  @FieldResolver(() => [ReviewJudgment], { description: 'The reviewers’ judgments so far.' })
  reviewJudgments(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return ctx.loader(reviewsOfAssessment).load(assessment.id);
  }

  @FieldResolver(() => [EvidenceRequest], { description: 'The reviewers’ requests for more evidence, oldest first.' })
  evidenceRequests(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return ctx.loader(evidenceRequestsOfAssessment).load(assessment.id);
  }
}

@Resolver(() => AssessmentArea)
export class AssessmentAreaResolver {
  @FieldResolver(() => SchemeArea, { description: 'The scheme’s area.' })
  async schemeArea(@Root() area: AssessmentArea, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeAreaById).load(area.schemeArea.id))!;
  }

  @FieldResolver(() => AreaProgress, { description: 'How many of its indicators are answered.' })
  async progress(@Root() area: AssessmentArea, @Ctx() ctx: RequestContext): Promise<AreaProgress> {
    const [indicators, answers] = await Promise.all([ctx.loader(indicatorsOfSchemeArea).load(area.schemeArea.id), ctx.loader(answersOfAssessment).load(area.assessment.id)]);
    const answered = new Set(answers.map((a) => a.schemeIndicator.id));
    return { answered: indicators.filter((i) => answered.has(i.id)).length, total: indicators.length };
  }

  @FieldResolver(() => AreaResult, { nullable: true, description: 'The self-score computed when it was submitted; null before.' })
  selfResult(@Root() area: AssessmentArea): AreaResult | null {
    if (area.selfAwarded == null) return null;
    return result({ essentialsMet: area.selfEssentialsMet!, earnedHalves: area.selfEarnedHalves!, applicablePoints: area.selfApplicablePoints!, awarded: area.selfAwarded });
  }

  @FieldResolver(() => AreaResult, { nullable: true, description: 'The result with the reviewers’ judgments where given: what the committee is shown. Null before submission.' })
  async reviewedResult(@Root() area: AssessmentArea, @Ctx() ctx: RequestContext) {
    return area.selfAwarded == null ? null : result(await reviews.reviewedScore(ctx.em, area));
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'The committee’s decision: true awarded, false refused, null not decided.' })
  awarded(@Root() area: AssessmentArea) {
    return area.decision == null ? null : area.decision === 'AWARD';
  }

  @FieldResolver(() => Seal, { nullable: true, description: 'The seal awarded, if any.' })
  async seal(@Root() area: AssessmentArea, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(sealOfAssessmentArea).load(area.id))[0] ?? null;
  }

  @FieldResolver(() => Assessment, { description: 'The assessment the area belongs to.' })
  assessment(@Root() area: AssessmentArea, @Ctx() ctx: RequestContext) {
    return readableAssessment(ctx.em, ctx.viewer, area.assessment.id);
  }

  @FieldResolver(() => Ballot, { nullable: true, description: 'The latest ballot of the committee on the area, if any; null for anyone outside the committee and facilitators.' })
  async committeeBallot(@Root() area: AssessmentArea, @Ctx() ctx: RequestContext) {
    const viewer = ctx.viewer;
    const [latest] = await ctx.loader(committeeQuestionsOfArea).load(area.id);
    const ballot = latest ? await ctx.loader(ballotById).load(latest.ballot.id) : null;
    return ballot && viewer && canSee(ballot, viewer) ? ballot : null;
  }
}

@Resolver(() => BallotQuestion)
export class CommitteeBallotQuestionResolver {
  @FieldResolver(() => AssessmentArea, { nullable: true, description: 'The assessed area whose seal a committee ballot decides (approve awards it); null for a revision.' })
  assessmentArea(@Root() question: BallotQuestion) {
    return question.assessmentArea?.load() ?? null;
  }
}

@Resolver(() => Answer)
export class AnswerResolver {
  @FieldResolver(() => SchemeIndicator, { description: 'The indicator answered.' })
  async schemeIndicator(@Root() answer: Answer, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeIndicatorById).load(answer.schemeIndicator.id))!;
  }

  @FieldResolver(() => [EvidenceLine], { description: 'The control list.' })
  evidence(@Root() answer: Answer) {
    return answer.evidence;
  }
}

@Resolver(() => ReviewJudgment)
export class ReviewJudgmentResolver {
  @FieldResolver(() => SchemeIndicator, { description: 'The indicator judged.' })
  async schemeIndicator(@Root() review: ReviewJudgment, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeIndicatorById).load(review.schemeIndicator.id))!;
  }
}

@Resolver(() => EvidenceRequest)
export class EvidenceRequestResolver {
  @FieldResolver(() => SchemeIndicator, { description: 'The indicator it is about.' })
  async schemeIndicator(@Root() request: EvidenceRequest, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeIndicatorById).load(request.schemeIndicator.id))!;
  }

  @FieldResolver(() => [EvidenceLine], { description: 'The control list lines given with the response.' })
  responseEvidence(@Root() request: EvidenceRequest) {
    return request.responseEvidence;
  }
}

@Resolver(() => Seal)
export class SealResolver {
  @Query(() => [RegistryEntry], { description: 'The public registry (signed out too): every certified institution with its seals, by country and name; withdrawn seals show as withdrawn; institutions under assessment never appear.' })
  certificationRegistry(
    @Ctx() ctx: RequestContext,
    @Arg('area', () => String, { nullable: true, description: 'Only seals of this area, by its code (e.g. `GEN`).' }) area?: string | null,
    @Arg('country', () => String, { nullable: true, description: 'Only institutions of this country (ISO 3166-1 alpha-2).' }) country?: string | null,
  ) {
    return seals.registry(ctx.em, { area, country });
  }

  @Query(() => SealVerification, { description: 'What a certificate’s verification code says today (signed out too): whether the seal is valid, and which it is. RATE_LIMITED (`retryAfterSeconds`) past RATE_LIMIT_SEAL_VERIFICATION_IP lookups per network.' })
  async verifySeal(@Arg('code', () => String, { description: 'The code as printed, e.g. `7KQ2M-XW4HC`; case, spaces and dashes do not matter.' }) code: string, @Ctx() ctx: RequestContext): Promise<SealVerification> {
    await ctx.app.rateLimits.sealVerificationIp.consume(ctx.ip);
    const seal = await seals.sealByCode(ctx.em, code.slice(0, 40));
    return { valid: Boolean(seal) && isValid(sealStatus(seal!, today())), seal };
  }

  @Authorized(Role.CERTIFICATION_COMMITTEE)
  @Mutation(() => Seal, { description: 'The committee suspends, withdraws or reinstates a seal, with a reason (audit-logged); CONFLICT `SEAL_STATUS_UNCHANGED` when the seal cannot go there.' })
  changeSealStatus(@Arg('input', () => ChangeSealInput, { description: 'The seal, the change and why.' }) input: ChangeSealInput, @Ctx() ctx: RequestContext) {
    return seals.changeSeal(ctx.em, requireViewer(ctx.viewer), input);
  }

  @FieldResolver(() => SealStatus, { description: 'Where it stands today by the server’s clock (computed on read, never stored).' })
  status(@Root() seal: SealRecord) {
    return sealStatus(seal, today());
  }

  @FieldResolver(() => Boolean, { description: 'Whether it is valid today: active or under surveillance.' })
  valid(@Root() seal: SealRecord) {
    return isValid(sealStatus(seal, today()));
  }

  @FieldResolver(() => Organization, { description: 'The certified institution.' })
  async organization(@Root() seal: SealRecord, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(organizationById).load(seal.organization.id))!;
  }

  @FieldResolver(() => SchemeArea, { description: 'The area it certifies.' })
  async area(@Root() seal: SealRecord, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeAreaById).load(seal.schemeArea.id))!;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The verification code printed on its certificate; null unless the viewer may read the assessment behind it.' })
  async verificationCode(@Root() seal: SealRecord, @Ctx() ctx: RequestContext) {
    const area = await ctx.em.findOneOrFail(AssessmentArea, { id: seal.assessmentArea.id }, { populate: ['assessment'] });
    return canRead(await partyOf(ctx.em, ctx.viewer, area.assessment.getEntity())) ? seal.code : null;
  }
}

export const certificationResolvers = [SchemeResolver, SchemeAreaResolver, SchemeIndicatorResolver, AssessmentResolver, AssessmentAreaResolver, CommitteeBallotQuestionResolver, AnswerResolver, ReviewJudgmentResolver, EvidenceRequestResolver, SealResolver, ...evidenceResolvers, ...pilotFlagResolvers, BenchmarkResolver] as const;
