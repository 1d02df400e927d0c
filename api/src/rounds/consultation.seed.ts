import type { EntityManager } from '@mikro-orm/postgresql';
import { Viewer } from '../auth/viewer.js';
import { addComment, reply, withdrawComment } from '../comments/comment.service.js';
import { Comment, CommentTargetKind, type CommentType } from '../comments/comment.entity.js';
import type { AnchorInput } from '../comments/comment.inputs.js';
import { setDispositions } from '../dispositions/disposition.service.js';
import type { DispositionStatus } from '../dispositions/disposition.entity.js';
import { Framework } from '../frameworks/framework.entity.js';
import { Section } from '../frameworks/section.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import type { RatingValue } from '../ratings/practice-rating.entity.js';
import { ratePractice } from '../ratings/rating.service.js';
import { readSeed, type SeedStep } from '../seed/seed.service.js';
import { createRound } from './round-setup.service.js';
import type { PublicAuthors } from './round.entity.js';
import { resolveRound } from './round.service.js';
import { setRoundPublication } from '../publication/publication.service.js';
import { publishRoundSummary } from '../exports/published-summary.service.js';

interface CommentSeed {
  key: string;
  author: string;
  daysAgo: number;
  target?: string;
  section?: string;
  framework?: boolean;
  type: CommentType;
  body: string;
  proposedChange?: string;
  anchor?: AnchorInput;
  replies?: { author: string; body: string; official?: boolean }[];
  disposition?: { status: DispositionStatus; response: string; duplicateOf?: string };
  withdrawn?: boolean;
}

interface RoundSeed {
  key: string;
  framework: string;
  title: LocalizedText;
  instructions: LocalizedText;
  openedDaysAgo: number;
  closesInDays: number;
  ratingsEnabled: boolean;
  comments: CommentSeed[];
  ratings: { author: string; values: Record<string, RatingValue>; comments?: Record<string, string> }[];
  /** A past round: closed this many days ago, once its comments are in, then resolved. */
  closedDaysAgo?: number;
  /** What it shows the public, and whether its disposition summary is published (a resolved round only). */
  publication?: { commentsPublic: boolean; publicAuthors: PublicAuthors; publishSummary: boolean };
}

const DAY = 86_400_000;

/**
 * The demo rounds, written through the same services people use (so the rules and counters hold),
 * timed from the moment of seeding: the SPWG round opened a week ago and closes in 30 days.
 */
export const consultationStep: SeedStep = async (em, state) => {
  const now = Date.now();
  const { rounds } = readSeed<{ rounds: RoundSeed[] }>('consultation.json');
  const facilitator = state.users.get('facilitadora@consulta.demo');
  if (!facilitator) throw new Error('consultation.json needs the demo facilitator');
  const as = (email: string) => {
    const user = state.users.get(email);
    if (!user) throw new Error(`consultation.json: unknown user ${email}`);
    return new Viewer(user, 'seed');
  };
  let comments = 0;
  let ratings = 0;
  for (const seed of rounds) {
    const framework = await em.findOneOrFail(Framework, { slug: seed.framework });
    const round = await createRound(em, new Viewer(facilitator, 'seed'), {
      frameworkId: framework.id,
      title: seed.title,
      instructions: seed.instructions,
      opensAt: new Date(now - seed.openedDaysAgo * DAY),
      closesAt: new Date(now + seed.closesInDays * DAY),
      ratingsEnabled: seed.ratingsEnabled,
    });
    const indicators = new Map((await em.find(Indicator, { framework }, { populate: ['currentVersion'] })).map((i) => [i.code, i]));
    const indicator = (code: string) => indicators.get(code) ?? fail(`unknown indicator ${code}`);
    const byKey = new Map<string, Comment>();
    for (const c of seed.comments) {
      const comment = await addComment(em, as(c.author), {
        roundId: round.id,
        ...(await target(em, framework, c, indicator)),
        type: c.type,
        body: c.body,
        proposedChange: c.proposedChange,
        anchor: c.anchor,
      });
      backdate(comment, now - c.daysAgo * DAY);
      byKey.set(c.key, comment);
      let parentId = comment.id;
      for (const [i, r] of (c.replies ?? []).entries()) {
        const answer = await reply(em, as(r.author), { parentId, body: r.body, official: r.official ?? false });
        backdate(answer, now - c.daysAgo * DAY + (i + 1) * 3 * 3600_000);
        parentId = answer.id;
      }
      comments++;
    }
    for (const c of seed.comments) {
      const comment = byKey.get(c.key)!;
      if (c.withdrawn) await withdrawComment(em, as(c.author), comment.id);
      if (c.disposition) {
        const duplicateOfId = c.disposition.duplicateOf ? byKey.get(c.disposition.duplicateOf)?.id : null;
        await setDispositions(em, new Viewer(facilitator, 'seed'), { commentIds: [comment.id], status: c.disposition.status, response: c.disposition.response, duplicateOfId });
      }
    }
    for (const r of seed.ratings) {
      for (const [code, value] of Object.entries(r.values)) {
        await ratePractice(em, as(r.author), { roundId: round.id, indicatorId: indicator(code).id, value, comment: r.comments?.[code] });
        ratings++;
      }
    }
    await em.flush();
    if (seed.closedDaysAgo !== undefined) {
      round.closesAt = new Date(now - seed.closedDaysAgo * DAY);
      await em.flush();
      await resolveRound(em, new Viewer(facilitator, 'seed'), round.id);
    }
    if (seed.publication) {
      await setRoundPublication(em, new Viewer(facilitator, 'seed'), round.id, seed.publication);
      if (seed.publication.publishSummary) await publishRoundSummary(em, new Viewer(facilitator, 'seed'), round.id);
    }
  }
  return { rounds: rounds.length, comments, ratings };
};

function fail(message: string): never {
  throw new Error(`consultation.json: ${message}`);
}

/** A seeded comment reads as written on its day, not at seeding time. */
function backdate(comment: Comment, at: number) {
  comment.createdAt = new Date(at);
}

async function target(em: EntityManager, framework: Framework, c: CommentSeed, indicator: (code: string) => Indicator) {
  if (c.target) return { targetKind: CommentTargetKind.INDICATOR_VERSION, targetId: indicator(c.target).currentVersion?.id ?? fail(`${c.target} has no version`) };
  if (c.section) {
    const section = (await em.findOne(Section, { framework, code: c.section })) ?? fail(`unknown section ${c.section}`);
    return { targetKind: CommentTargetKind.SECTION, targetId: section.id };
  }
  return { targetKind: CommentTargetKind.FRAMEWORK, targetId: null };
}

