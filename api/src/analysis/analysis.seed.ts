import type { EntityManager } from '@mikro-orm/postgresql';
import { Viewer } from '../auth/viewer.js';
import type { AddCommentInput, AnchorInput } from '../comments/comment.inputs.js';
import { addComment } from '../comments/comment.service.js';
import { Comment, CommentTargetKind, type CommentType } from '../comments/comment.entity.js';
import { Section } from '../frameworks/section.entity.js';
import { reads } from '../db/reads.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import type { OrganizationKind } from '../organizations/organization.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { readSeed, type SeedState, type SeedStep } from '../seed/seed.service.js';
import { NearDuplicateMember } from './near-duplicate.entity.js';
import { placeComment } from './near-duplicate.service.js';
import { OnBehalfSource, type FeedbackSourceKind } from './on-behalf-source.entity.js';
import { enterOnBehalf } from './on-behalf.service.js';
import { createTheme, tagComments } from './theme.service.js';

interface SourceSeed {
  kind: FeedbackSourceKind;
  eventName?: string;
  place?: string;
  /** When it was given; when absent, the day of each comment. */
  daysAgo?: number;
}

interface CommentSeed {
  key: string;
  /** A demo account that wrote it in Consulta… */
  author?: string;
  /** …or the person or organization the facilitator entered it for, and where it was given. */
  onBehalf?: { source: string; personName?: string; organization?: string; organizationName?: string; organizationKind?: OrganizationKind; country?: string };
  daysAgo: number;
  target?: string;
  section?: string;
  type: CommentType;
  body: string;
  proposedChange?: string;
  anchor?: AnchorInput;
}

interface AnalysisSeed {
  /** The round's key in consultation.json, whose comment keys (c1, …) the themes may name. */
  round: string;
  framework: string;
  enteredBy: string;
  sources: Record<string, SourceSeed>;
  comments: CommentSeed[];
  themes: { label: LocalizedText; comments: string[] }[];
}

const DAY = 86_400_000;

function fail(message: string): never {
  throw new Error(`analysis.json: ${message}`);
}

const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Feedback analysis in the demo SPWG round, through the services a facilitator uses: workshop
 * feedback entered on behalf of its participants, a campaign letter sent by a dozen MFIs (grouped as
 * near-duplicates as each copy arrives), and themes tagging the round's comments.
 */
export const analysisStep: SeedStep = async (em, state) => {
  const now = Date.now();
  const seed = readSeed<AnalysisSeed>('analysis.json');
  const facilitator = new Viewer(state.users.get(seed.enteredBy) ?? fail(`unknown user ${seed.enteredBy}`), 'seed');
  const round = (await em.findOne(ConsultationRound, { framework: { slug: seed.framework } }, { populate: ['framework'] })) ?? fail(`no round on ${seed.framework}`);
  // The versions the round pins, by indicator code.
  const pinned = await reads(em)
    .selectFrom('round_version as rv')
    .innerJoin('indicator as i', 'i.id', 'rv.indicator_id')
    .select(['i.code', 'rv.indicator_version_id as version_id'])
    .where('rv.round_id', '=', round.id)
    .execute();
  const versions = new Map(pinned.map((p) => [p.code, p.version_id]));

  const byKey = await consultationComments(em, round, seed.round);
  let onBehalf = 0;
  for (const c of seed.comments) {
    const at = now - c.daysAgo * DAY;
    const input: AddCommentInput = {
      roundId: round.id,
      ...(await target(em, round, c, versions)),
      type: c.type,
      body: c.body,
      proposedChange: c.proposedChange,
      anchor: c.anchor,
    };
    let comment: Comment;
    if (c.onBehalf) {
      const { source: sourceKey, organization, ...who } = c.onBehalf;
      const source = seed.sources[sourceKey] ?? fail(`unknown source ${sourceKey}`);
      const organizationId = organization ? (state.organizations.get(organization) ?? fail(`unknown organization ${organization}`)).id : null;
      comment = await enterOnBehalf(em, facilitator, {
        comment: input,
        source: { kind: source.kind, eventName: source.eventName, place: source.place, givenOn: isoDay(source.daysAgo != null ? now - source.daysAgo * DAY : at), organizationId, ...who },
      });
      const entered = await em.findOneOrFail(OnBehalfSource, { comment });
      entered.enteredAt = new Date(at);
      onBehalf++;
    } else {
      comment = await addComment(em, asUser(state, c.author ?? fail(`${c.key} needs an author or onBehalf`)), input);
    }
    // Read as written on its day; the near-duplicate group keeps the first copy as its representative.
    comment.createdAt = new Date(at);
    byKey.set(c.key, comment.id);
  }
  await em.flush();
  // What the placement jobs would do once the seed commits, done now in arrival order: the demo opens with its groups.
  for (const id of byKey.values()) await placeComment(em, round.id, id);

  let tags = 0;
  for (const t of seed.themes) {
    const theme = await createTheme(em, facilitator, { roundId: round.id, label: t.label });
    const commentIds = t.comments.map((key) => byKey.get(key) ?? fail(`unknown comment ${key}`));
    tags += await tagComments(em, facilitator, { roundId: round.id, themeIds: [theme.id], commentIds });
  }
  const grouped = await em.count(NearDuplicateMember, { group: { round } });
  return { themes: seed.themes.length, themeTags: tags, onBehalfComments: onBehalf, nearDuplicateMembers: grouped };
};

function asUser(state: SeedState, email: string) {
  return new Viewer(state.users.get(email) ?? fail(`unknown user ${email}`), 'seed');
}

/** The demo round's comments by their key in consultation.json (each body is unique there). */
async function consultationComments(em: EntityManager, round: ConsultationRound, key: string): Promise<Map<string, string>> {
  const { rounds } = readSeed<{ rounds: { key: string; comments: { key: string; body: string }[] }[] }>('consultation.json');
  const seeded = rounds.find((r) => r.key === key) ?? fail(`consultation.json has no round ${key}`);
  const stored = await em.find(Comment, { round, parentId: null }, { fields: ['id', 'body'] });
  const idByBody = new Map(stored.map((c) => [c.body, c.id]));
  return new Map(seeded.comments.map((c) => [c.key, idByBody.get(c.body) ?? fail(`comment ${c.key} of ${key} is not in the round`)]));
}

async function target(em: EntityManager, round: ConsultationRound, c: CommentSeed, versions: Map<string, string>) {
  if (c.target) return { targetKind: CommentTargetKind.INDICATOR_VERSION, targetId: versions.get(c.target) ?? fail(`${c.target} is not in the round`) };
  if (c.section) {
    const section = (await em.findOne(Section, { framework: round.framework, code: c.section })) ?? fail(`unknown section ${c.section}`);
    return { targetKind: CommentTargetKind.SECTION, targetId: section.id };
  }
  return { targetKind: CommentTargetKind.FRAMEWORK, targetId: null };
}
