import { Viewer } from '../auth/viewer.js';
import { Comment } from '../comments/comment.entity.js';
import { Framework } from '../frameworks/framework.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import type { IndicatorField } from '../indicators/indicator-field.js';
import type { IndicatorTextsInput } from '../indicators/indicator.inputs.js';
import { inputFieldName } from '../indicators/indicator.inputs.js';
import { Indicator, type IndicatorVersion } from '../indicators/indicator.entity.js';
import { proposeRevision } from '../revisions/revision.service.js';
import { readSeed, type SeedStep } from '../seed/seed.service.js';
import type { User } from '../users/user.entity.js';
import type { BallotEligibility, BallotSecrecy } from './ballot.entity.js';
import type { PassingRule, Share } from './ballot-rules.js';
import type { VoteChoice } from './ballot-vote.entity.js';
import { BallotQuestion } from './ballot-question.entity.js';
import { closeBallot, createBallot, openBallot } from './ballot.service.js';
import { castVote } from './vote.service.js';

interface RevisionSeed {
  key: string;
  indicator: string;
  /** The revision answers these people's top-level comments on the indicator. */
  answersCommentsBy: string[];
  changeSummary: string;
  /** Fields that change, over the current version's text. */
  changes: Partial<Record<IndicatorField, LocalizedText>>;
}

interface BallotSeed {
  title: LocalizedText;
  revisions: string[];
  eligibility: BallotEligibility;
  openedDaysAgo: number;
  closesInDays: number;
  quorum: Share;
  rule: PassingRule;
  share?: Share;
  secrecy: BallotSecrecy;
  votes: { voter: string; revision: string; choice: VoteChoice; reason?: string }[];
  close: boolean;
}

const DAY = 86_400_000;

/** Revisions of SPWG indicators answering demo comments, an open ballot on two of them and a closed one on the third. */
export const ballotsStep: SeedStep = async (em, state) => {
  const now = Date.now();
  const seed = readSeed<{ revisions: RevisionSeed[]; ballots: BallotSeed[] }>('ballots.json');
  const user = (email: string): User => state.users.get(email) ?? fail(`unknown user ${email}`);
  const facilitator = user('facilitadora@consulta.demo');
  const framework = await em.findOneOrFail(Framework, { slug: 'spwg-lac-certification' });

  const revisions = new Map<string, IndicatorVersion>();
  for (const r of seed.revisions) {
    const indicator = await em.findOne(Indicator, { framework, code: r.indicator }, { populate: ['currentVersion'] });
    const current = indicator?.currentVersion?.getEntity() ?? fail(`${r.indicator} has no current version`);
    const texts = { ...current.texts, ...r.changes };
    const input: IndicatorTextsInput = Object.fromEntries(Object.entries(texts).map(([field, text]) => [inputFieldName(field as IndicatorField), text]));
    const authors = r.answersCommentsBy.map((email) => user(email).id);
    const answered = await em.find(Comment, { indicator, parentId: null, authorId: { $in: authors } });
    const revision = await proposeRevision(em, facilitator.id, {
      indicatorId: indicator!.id,
      basedOnVersionId: current.id,
      texts: input,
      changeSummary: r.changeSummary,
      answersCommentIds: answered.map((c) => c.id),
    });
    revisions.set(r.key, revision);
  }

  let votes = 0;
  for (const b of seed.ballots) {
    const revision = (key: string) => revisions.get(key) ?? fail(`unknown revision ${key}`);
    const opensAt = new Date(now - b.openedDaysAgo * DAY);
    const ballot = await createBallot(em, facilitator.id, {
      title: b.title,
      revisionIds: b.revisions.map((key) => revision(key).id),
      eligibility: b.eligibility,
      opensAt,
      closesAt: new Date(now + b.closesInDays * DAY),
      quorum: b.quorum,
      rule: b.rule,
      share: b.share,
      secrecy: b.secrecy,
    });
    await openBallot(em, facilitator.id, ballot.id);
    // As if the facilitator had opened it the day before voting began.
    ballot.frozenAt = new Date(opensAt.getTime() - DAY);
    await em.flush();
    const questions = await em.find(BallotQuestion, { ballot });
    for (const v of b.votes) {
      const question = questions.find((q) => q.revision?.id === revision(v.revision).id) ?? fail(`no question on ${v.revision}`);
      await castVote(em, new Viewer(user(v.voter), 'seed'), { questionId: question.id, choice: v.choice, reason: v.reason });
      votes++;
    }
    if (b.close) await closeBallot(em, facilitator.id, ballot.id);
  }
  await em.flush();
  return { revisions: revisions.size, ballots: seed.ballots.length, votes };
};

function fail(message: string): never {
  throw new Error(`ballots.json: ${message}`);
}
