import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { readingLanguages } from '../frameworks/reading-language.js';
import { LocalizedString, localize } from '../i18n/localized-text.js';
import { IndicatorVersion, Indicator } from '../indicators/indicator.entity.js';
import { VersionDiff, diffTexts } from '../indicators/version-diff.js';
import { Organization } from '../organizations/organization.entity.js';
import { readerLocale, shownName } from '../privacy/former-participant.js';
import { Locale, Role } from '../users/user.entity.js';
import { Ballot, BallotEligibility, BallotStatus, ShareValue, ballotStatus } from './ballot.entity.js';
import { CastVoteInput, CreateBallotInput } from './ballot.inputs.js';
import { myVoteOn, myVoterIn, organizationById, questionsOfBallot, votesOn } from './ballot.loaders.js';
import { BallotQuestion } from './ballot-question.entity.js';
import { BallotOutcome, PassingRule, decide, quorumReached } from './ballot-rules.js';
import { BallotVote } from './ballot-vote.entity.js';
import * as ballots from './ballot.service.js';
import { castVote } from './vote.service.js';
import { publishBallotStatusEvent } from './ballot-activity.js';
import { OneStatement } from '../db/transaction.js';
import { once } from '../idempotency/idempotency-key.js';

@ObjectType({ description: 'The standing votes on a question, with turnout against the quorum.' })
export class BallotTally {
  @Field(() => Int, { description: 'Standing APPROVE votes.' }) approve!: number;
  @Field(() => Int, { description: 'Standing REJECT votes.' }) reject!: number;
  @Field(() => Int, { description: 'Standing ABSTAIN votes.' }) abstain!: number;
  @Field(() => Int, { description: 'Voters who took part, abstentions included.' }) participants!: number;
  @Field(() => Int, { description: 'Eligible voters, frozen when the ballot opened.' }) eligible!: number;
  @Field(() => Int, { description: 'The fewest participants that make the quorum.' }) quorumNeeded!: number;
  @Field(() => Boolean, { description: 'Whether `participants` reaches `quorumNeeded`.' }) quorumReached!: boolean;
}

/** When the ballot was decided: its record, or its closing time once the clock has passed it. */
function decidedAt(ballot: Ballot): Date | null {
  return ballot.closedAt ?? (ballotStatus(ballot) === BallotStatus.CLOSED ? ballot.closesAt : null);
}

@Resolver(() => Ballot)
export class BallotResolver {
  @Authorized()
  @Query(() => [Ballot], { description: 'Newest first; drafts only for facilitators.' })
  ballots(@Ctx() ctx: RequestContext) {
    return ballots.listBallots(ctx.em, requireViewer(ctx.viewer));
  }

  @Authorized()
  @Query(() => Ballot, { description: 'One ballot; NOT_FOUND when it does not exist or is a draft the viewer may not see.' })
  ballot(@Arg('id', () => ID, { description: 'The ballot’s id.' }) id: string, @Ctx() ctx: RequestContext) {
    return ballots.findBallot(ctx.em, requireViewer(ctx.viewer), id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Ballot, { description: 'A ballot in draft on proposed revisions, one question each; open it to fix its terms.' })
  createBallot(@Arg('input', () => CreateBallotInput, { description: 'The ballot’s terms and questions.' }) input: CreateBallotInput, @Ctx() ctx: RequestContext) {
    return ballots.createBallot(ctx.em, requireViewer(ctx.viewer).id, input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Ballot, { description: 'Freezes the quorum, the rule and the eligible voters; voting runs from `opensAt` to `closesAt`.' })
  async openBallot(@Arg('id', () => ID, { description: 'The draft ballot to open.' }) id: string, @Ctx() ctx: RequestContext) {
    return publishBallotStatusEvent(ctx, await ballots.openBallot(ctx.em, requireViewer(ctx.viewer).id, id));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => ID, { description: 'Deletes a ballot still in draft, freeing its revisions for another ballot; an opened ballot stays (CONFLICT `BALLOT_ALREADY_OPENED`). Returns its id.' })
  deleteBallot(@Arg('id', () => ID, { description: 'The draft ballot to delete.' }) id: string, @Ctx() ctx: RequestContext) {
    return ballots.deleteDraftBallot(ctx.em, requireViewer(ctx.viewer).id, id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => Ballot, { description: 'Closes early and decides every question; a closed ballot never changes (CONFLICT `BALLOT_CLOSED`).' })
  async closeBallot(@Arg('id', () => ID, { description: 'The ballot to close now.' }) id: string, @Ctx() ctx: RequestContext) {
    return publishBallotStatusEvent(ctx, await ballots.closeBallot(ctx.em, requireViewer(ctx.viewer).id, id));
  }

  @Authorized()
  @Mutation(() => BallotVote, {
    description: 'Casts or changes your vote: members in the working group’s ballots, the committee’s eligible members in a committee ballot. CONFLICT `BALLOT_NOT_OPEN` / `BALLOT_CLOSED` outside the voting window; FORBIDDEN `NOT_ELIGIBLE`; NOT_FOUND for a committee ballot to anyone outside the committee and facilitators; REJECT needs a `reason`.',
  })
  @OneStatement()
  async castVote(@Arg('input', () => CastVoteInput, { description: 'The question and the choice.' }) input: CastVoteInput, @Ctx() ctx: RequestContext) {
    const viewer = requireViewer(ctx.viewer);
    if (!input.idempotencyKey) return castVote(ctx.em, viewer, input);
    // With a key, the key's row and the vote commit together: a transaction of its own, unlike the single statement.
    const { result } = await ctx.em.transactional((em) => once(em, viewer.id, input.idempotencyKey, 'castVote', input, () => castVote(em, viewer, input), (id) => em.findOneOrFail(BallotVote, { id })));
    return result;
  }

  @FieldResolver(() => LocalizedString, { description: 'What is being decided.' })
  title(@Root() ballot: Ballot, @Ctx() ctx: RequestContext, @Arg('language', () => Locale, { nullable: true, description: 'The language to read it in; by default the reader’s own.' }) asked?: Locale | null) {
    return localize(ballot.title, readingLanguages(ctx, asked, Locale.ES), Locale.ES);
  }

  @FieldResolver(() => BallotStatus, { description: 'From the server clock at the time of the request.' })
  status(@Root() ballot: Ballot) {
    return ballotStatus(ballot);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When it was decided (at `closesAt`, or earlier by a facilitator).' })
  closedAt(@Root() ballot: Ballot) {
    return decidedAt(ballot);
  }

  @FieldResolver(() => Date, { description: 'The server’s clock, to count down against.' })
  serverTime() {
    return new Date();
  }

  @FieldResolver(() => ShareValue, { description: 'The share of eligible voters who must take part.' })
  quorum(@Root() ballot: Ballot) {
    return ballot.quorum;
  }

  @FieldResolver(() => ShareValue, { nullable: true, description: 'The share of non-abstaining votes QUALIFIED_MAJORITY needs; null for the other rules.' })
  share(@Root() ballot: Ballot) {
    return ballot.rule === PassingRule.QUALIFIED_MAJORITY ? ballot.share : null;
  }

  @FieldResolver(() => [Organization], { description: 'The organizations that vote, in an ORGANIZATIONS ballot.' })
  async organizations(@Root() ballot: Ballot, @Ctx() ctx: RequestContext) {
    if (ballot.eligibility !== BallotEligibility.ORGANIZATIONS) return [];
    const found = await ctx.loader(organizationById).loadMany(ballot.organizationIds);
    return found.filter((o): o is Organization => o instanceof Organization);
  }

  @FieldResolver(() => [BallotQuestion], { description: 'The revisions put to the vote, in ballot order.' })
  questions(@Root() ballot: Ballot, @Ctx() ctx: RequestContext) {
    return ctx.loader(questionsOfBallot).load(ballot.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer (or their organization) is among the frozen eligible voters.' })
  async eligible(@Root() ballot: Ballot, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(myVoterIn).load(ballot.id)) !== null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer may see the tally and others’ votes now.' })
  tallyVisible(@Root() ballot: Ballot, @Ctx() ctx: RequestContext) {
    return ballots.tallyVisible(ballot, requireViewer(ctx.viewer));
  }
}

@Resolver(() => BallotQuestion)
export class BallotQuestionResolver {
  @FieldResolver(() => IndicatorVersion, { nullable: true, description: 'The revision put to the vote; null for an assessed area’s seal in a committee ballot.' })
  revision(@Root() question: BallotQuestion) {
    return question.revision?.load() ?? null;
  }

  @FieldResolver(() => IndicatorVersion, { nullable: true, description: 'The consulted version the revision is built on.' })
  async basedOn(@Root() question: BallotQuestion) {
    const revision = await question.revision?.loadOrFail();
    return revision?.parent?.load() ?? null;
  }

  @FieldResolver(() => Indicator, { nullable: true, description: 'The indicator the revision belongs to; null in a committee ballot.' })
  indicator(@Root() question: BallotQuestion) {
    return question.indicator?.load() ?? null;
  }

  @FieldResolver(() => VersionDiff, { nullable: true, description: 'The revision against the consulted version, word by word; only `languages` when given.' })
  async diff(@Root() question: BallotQuestion, @Arg('languages', () => [Locale], { nullable: true, description: 'Only these languages; all when omitted.' }) languages?: Locale[] | null) {
    const revision = await question.revision?.loadOrFail();
    const from = await revision?.parent?.load();
    if (!revision || !from) return null;
    return { from, to: revision, fields: diffTexts(from.texts, revision.texts, languages?.length ? languages : undefined) };
  }

  @FieldResolver(() => BallotOutcome, { nullable: true, description: 'How it was decided; null until the ballot closes.' })
  async outcome(@Root() question: BallotQuestion) {
    if (question.outcome) return question.outcome;
    const ballot = await question.ballot.loadOrFail();
    // Closed by the clock, its close job not yet run: the votes are final, so is the decision.
    return decidedAt(ballot) ? decide(ballot.rule, ballot.share, ballot.quorum, ballot.eligibleCount ?? 0, question.counts) : null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When it was decided; null until the ballot closes.' })
  async decidedAt(@Root() question: BallotQuestion) {
    return question.decidedAt ?? decidedAt(await question.ballot.loadOrFail());
  }

  @FieldResolver(() => BallotTally, { nullable: true, description: 'Null while a secret ballot is open, except for facilitators.' })
  async tally(@Root() question: BallotQuestion, @Ctx() ctx: RequestContext): Promise<BallotTally | null> {
    const ballot = await question.ballot.loadOrFail();
    if (!ballots.tallyVisible(ballot, requireViewer(ctx.viewer))) return null;
    const counts = question.counts;
    const eligible = ballot.eligibleCount ?? 0;
    const { numerator, denominator } = ballot.quorum;
    return {
      ...counts,
      participants: counts.approve + counts.reject + counts.abstain,
      eligible,
      quorumNeeded: Math.ceil((numerator * eligible) / denominator),
      quorumReached: quorumReached(counts, eligible, ballot.quorum),
    };
  }

  @FieldResolver(() => BallotVote, { nullable: true, description: 'The viewer’s (or their organization’s) standing vote.' })
  myVote(@Root() question: BallotQuestion, @Ctx() ctx: RequestContext) {
    return ctx.loader(myVoteOn).load(question.id);
  }

  @FieldResolver(() => [BallotVote], { nullable: true, description: 'Every standing vote with its reason; null while a secret ballot is open, except for facilitators.' })
  async votes(@Root() question: BallotQuestion, @Ctx() ctx: RequestContext) {
    const ballot = await question.ballot.loadOrFail();
    if (!ballots.tallyVisible(ballot, requireViewer(ctx.viewer))) return null;
    return ctx.loader(votesOn).load(question.id);
  }
}

@Resolver(() => BallotVote)
export class BallotVoteResolver {
  @FieldResolver(() => String, { description: 'The member or organization the vote belongs to; “former participant”, in the reader’s language, for a member who deleted their account.' })
  async voter(@Root() vote: BallotVote, @Ctx() ctx: RequestContext) {
    return shownName((await vote.voter.loadOrFail()).name, readerLocale(ctx));
  }

  @FieldResolver(() => ID, { description: 'The question the vote is on.' })
  questionId(@Root() vote: BallotVote) {
    return vote.question.id;
  }
}
