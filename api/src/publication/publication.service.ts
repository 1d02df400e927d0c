import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { reads } from '../db/reads.js';
import { badInput, notFound } from '../errors.js';
import { summaryOfRound } from '../exports/published-summary.service.js';
import { Framework } from '../frameworks/framework.entity.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import { releaseDocument } from '../releases/release-document.js';
import { findRelease } from '../releases/release.service.js';
import { ConsultationRound, PublicAuthors, RoundStatus, roundStatus } from '../rounds/round.entity.js';
import { Role, type Locale } from '../users/user.entity.js';
import type {
  PublicAuthor,
  PublicComment,
  PublicCommentPage,
  PublicFramework,
  PublicIndicator,
  PublicRelease,
  PublicRound,
  PublicRoundPage,
  RoundPublicationInput,
} from './publication.types.js';

/** Rounds the public may know of: published ones, except those held for the working group alone. */
export function isPublicRound(round: Pick<ConsultationRound, 'draft' | 'audienceWorkingGroup'>): boolean {
  return !round.draft && !round.audienceWorkingGroup;
}

/** A round's comments are public only after it closes, and only when its setting says so. */
export function commentsArePublic(round: ConsultationRound, now = new Date()): boolean {
  const status = roundStatus(round, now);
  return isPublicRound(round) && round.commentsPublic && (status === RoundStatus.CLOSED || status === RoundStatus.RESOLVED);
}

/** The author as the round's setting lets the public see them: this is the one place that decides it. */
export function publicAuthor(setting: PublicAuthors, row: { author_name: string; author_organization_name: string | null; author_country: string | null }): PublicAuthor {
  if (setting === PublicAuthors.HIDDEN) return { name: null, organization: null, country: null };
  return {
    name: setting === PublicAuthors.NAME ? row.author_name : null,
    organization: row.author_organization_name,
    country: row.author_country,
  };
}

const text = (t: LocalizedText | null | undefined, language: Locale, source: Locale) => localize(t, [language], source);

/** Frameworks with at least one release, with their releases newest first. */
export async function publicFrameworks(em: EntityManager, language: Locale): Promise<PublicFramework[]> {
  const rows = await reads(em)
    .selectFrom('framework_release as r')
    .innerJoin('framework as f', 'f.id', 'r.framework_id')
    .select(['f.slug', 'f.name', 'f.description', 'f.source_language', 'r.id', 'r.number', 'r.final_at', 'r.created_at', 'r.sequence'])
    .orderBy('f.slug')
    .orderBy('r.sequence', 'desc')
    .execute();
  const bySlug = new Map<string, PublicFramework>();
  for (const r of rows) {
    let framework = bySlug.get(r.slug);
    if (!framework) {
      framework = { slug: r.slug, name: text(r.name, language, r.source_language) ?? { value: r.slug, language: r.source_language, fallback: true }, description: text(r.description, language, r.source_language), releases: [] };
      bySlug.set(r.slug, framework);
    }
    framework.releases.push({ id: r.id, number: r.number, final: Boolean(r.final_at), finalAt: r.final_at ? new Date(r.final_at) : null, createdAt: new Date(r.created_at) });
  }
  return [...bySlug.values()];
}

/** A release's text in one language; no comment is shown (the changelog's comments belong to their rounds). */
export async function publicRelease(em: EntityManager, frameworkSlug: string, number: string, language: Locale): Promise<PublicRelease | null> {
  const release = await findRelease(em, frameworkSlug, number).catch(() => null);
  if (!release) return null;
  const doc = await releaseDocument(em, null, release, language);
  return {
    id: doc.release.id,
    number: doc.release.number,
    frameworkSlug: doc.framework.slug,
    frameworkName: doc.framework.name,
    final: doc.release.final,
    finalAt: doc.release.finalAt ? new Date(doc.release.finalAt) : null,
    createdAt: new Date(doc.release.createdAt),
    supersededBy: doc.release.supersededBy,
    notes: doc.release.notes,
    indicators: doc.indicators.map((i) => ({ code: i.code, area: i.area, versionNumber: i.versionNumber, fields: i.fields })),
  };
}

async function toPublicRound(em: EntityManager, round: ConsultationRound, language: Locale): Promise<PublicRound> {
  const framework = await em.findOneOrFail(Framework, { id: round.framework.id });
  const source = framework.sourceLanguage;
  return {
    id: round.id,
    title: text(round.title, language, source)!,
    frameworkSlug: framework.slug,
    frameworkName: text(framework.name, language, source)!,
    status: roundStatus(round),
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    resolvedAt: round.resolvedAt ?? null,
    summaryPublishedAt: round.publishedSummaryAt ?? null,
    commentsPublic: round.commentsPublic,
    publicAuthors: round.publicAuthors,
    commentCount: round.commentCount,
  };
}

/** The public rounds, newest opening first. */
export async function publicRounds(em: EntityManager, language: Locale): Promise<PublicRound[]> {
  const rounds = await em.find(ConsultationRound, { draft: false, audienceWorkingGroup: false }, { orderBy: { opensAt: 'desc' }, populate: ['framework'] });
  return Promise.all(rounds.map((r) => toPublicRound(em, r, language)));
}

async function publicRoundOrFail(em: EntityManager, id: string): Promise<ConsultationRound> {
  const round = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(ConsultationRound, { id }) : null;
  // Drafts and working-group rounds are not there for the public: the same answer as an unknown id.
  if (!round || !isPublicRound(round)) throw notFound('Round', id);
  return round;
}

/** The indicator texts a round put to consultation, in its order; none before it opens. */
async function pinnedTexts(em: EntityManager, round: ConsultationRound, language: Locale, source: Locale): Promise<PublicIndicator[]> {
  if (roundStatus(round) === RoundStatus.SCHEDULED) return [];
  const db = reads(em);
  const sections = await db.selectFrom('section').select(['id', 'parent_id', 'code', 'title']).where('framework_id', '=', round.framework.id).execute();
  const byId = new Map(sections.map((s) => [s.id, s]));
  const areaOf = (sectionId: string) => {
    let s = byId.get(sectionId);
    for (let hops = 0; s?.parent_id && hops < 100; hops++) s = byId.get(s.parent_id);
    return s ? `${s.code} ${text(s.title, language, source)?.value ?? ''}`.trim() : null;
  };
  const rows = await db
    .selectFrom('round_version as rv')
    .innerJoin('indicator as i', 'i.id', 'rv.indicator_id')
    .innerJoin('indicator_version as v', 'v.id', 'rv.indicator_version_id')
    .select(['i.code', 'i.section_id', 'v.number', 'v.texts'])
    .where('rv.round_id', '=', round.id)
    .orderBy('rv.position')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    area: areaOf(r.section_id),
    versionNumber: r.number,
    fields: Object.entries(r.texts).flatMap(([field, t]) => {
      const shown = text(t, language, source);
      return shown ? [{ field: field as PublicIndicator['fields'][number]['field'], text: shown.value, language: shown.language }] : [];
    }),
  }));
}

/** What the public reads of a round: its dates and state, its texts once open, its summary once published. */
export async function publicRoundPage(em: EntityManager, id: string, language: Locale): Promise<PublicRoundPage> {
  const round = await publicRoundOrFail(em, id);
  const publicRound = await toPublicRound(em, round, language);
  const source = (await em.findOneOrFail(Framework, { id: round.framework.id })).sourceLanguage;
  return {
    round: publicRound,
    indicators: await pinnedTexts(em, round, language, source),
    summary: round.publishedSummaryAt ? await summaryOfRound(em, round, language) : null,
  };
}

export const MAX_PUBLIC_COMMENT_PAGE = 200;

function decodeCursor(after: string): { at: string; id: string } {
  const [at, id] = Buffer.from(after, 'base64url').toString('utf8').split('|');
  if (!at || !id || !/^\d{4}-\d\d-\d\d[ T][\d:.]+(Z|[+-]\d\d(:?\d\d)?)?$/.test(at) || !/^[0-9a-f-]{36}$/i.test(id)) throw badInput('after', 'Not a cursor of this list');
  return { at, id };
}

/**
 * A page of a closed round's comments for the public, oldest first, each with its disposition and
 * replies, authors shown as the round's setting says. An empty page when its comments are not public:
 * the page and the public download both read through here, so neither can show more than the setting.
 */
export async function publicComments(em: EntityManager, roundId: string, first: number, after: string | null): Promise<PublicCommentPage> {
  if (first < 1 || first > MAX_PUBLIC_COMMENT_PAGE) throw badInput('first', `Between 1 and ${MAX_PUBLIC_COMMENT_PAGE}`);
  const round = await publicRoundOrFail(em, roundId);
  if (!commentsArePublic(round)) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const db = reads(em);
  let query = db
    .selectFrom('comment as c')
    .leftJoin('indicator as i', 'i.id', 'c.indicator_id')
    .leftJoin('disposition as d', 'd.comment_id', 'c.id')
    .select(['c.id', 'i.code', 'c.type', 'c.body', 'c.body_html', 'c.proposed_change', 'c.author_name', 'c.author_organization_name', 'c.author_country', 'c.created_at', 'd.status', 'd.response', 'd.response_html'])
    .where('c.round_id', '=', round.id)
    .where('c.parent_id', 'is', null)
    .where('c.withdrawn_at', 'is', null)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(first + 1);
  if (after) {
    const cursor = decodeCursor(after);
    query = query.where((eb) => eb.or([eb('c.created_at', '>', cursor.at), eb.and([eb('c.created_at', '=', cursor.at), eb('c.id', '>', cursor.id)])]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, first);
  const replies = page.length
    ? await db
        .selectFrom('comment')
        .select(['id', 'thread_id', 'body_html', 'author_name', 'author_organization_name', 'author_country', 'official', 'created_at'])
        .where('round_id', '=', round.id)
        .where('thread_id', 'in', page.map((r) => r.id))
        .where('parent_id', 'is not', null)
        .where('withdrawn_at', 'is', null)
        .orderBy('created_at')
        .execute()
    : [];
  const nodes: PublicComment[] = page.map((r) => ({
    id: r.id,
    indicatorCode: r.code,
    type: r.type,
    body: r.body,
    bodyHtml: r.body_html,
    proposedChange: r.proposed_change,
    author: publicAuthor(round.publicAuthors, r),
    createdAt: new Date(r.created_at),
    disposition: r.status,
    response: r.response,
    responseHtml: r.response_html,
    replies: replies
      .filter((reply) => reply.thread_id === r.id)
      .map((reply) => ({ id: reply.id, bodyHtml: reply.body_html, official: reply.official, createdAt: new Date(reply.created_at), author: publicAuthor(round.publicAuthors, reply) })),
  }));
  const last = page.at(-1);
  const endCursor = last ? Buffer.from(`${last.created_at}|${last.id}`).toString('base64url') : null;
  return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor } };
}

/** Every public comment of a round, a page at a time (for the public download). */
export async function* publicCommentPages(em: EntityManager, roundId: string, size = 200): AsyncGenerator<PublicComment[]> {
  let after: string | null = null;
  for (;;) {
    const page: PublicCommentPage = await publicComments(em, roundId, size, after);
    if (page.nodes.length) yield page.nodes;
    if (!page.pageInfo.hasNextPage) return;
    after = page.pageInfo.endCursor;
  }
}

/** A facilitator sets what a round shows the public (audit-logged with the old and new settings). */
export async function setRoundPublication(em: EntityManager, viewer: Viewer, roundId: string, input: RoundPublicationInput): Promise<ConsultationRound> {
  viewer.require(Role.FACILITATOR);
  const round = await em.findOne(ConsultationRound, { id: roundId });
  if (!round) throw notFound('Round', roundId);
  const before = { commentsPublic: round.commentsPublic, publicAuthors: round.publicAuthors };
  round.commentsPublic = input.commentsPublic;
  round.publicAuthors = input.publicAuthors;
  audit(em, { actorId: viewer.id, action: 'round.publication_changed', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: { before, after: { ...input } } });
  await em.flush();
  return round;
}
