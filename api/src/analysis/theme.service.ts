import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { commentsMatching } from '../comments/filter-criteria.js';
import { countInt, reads } from '../db/reads.js';
import { badInput, forbidden, notFound } from '../errors.js';
import { toLocalizedText, type LocalizedText, type LocalizedTextInput } from '../i18n/localized-text.js';
import type { ConsultationRound } from '../rounds/round.entity.js';
import { getRound } from '../rounds/round.service.js';
import type { Locale } from '../users/user.entity.js';
import { Theme } from './theme.entity.js';
import type { CreateThemeInput, TagCommentsInput, UpdateThemeInput } from './theme.inputs.js';

/** A short list: themes are for grouping feedback at a glance, not a taxonomy. */
export const MAX_THEMES = 40;
const MAX_LABEL = 80;

export async function getTheme(em: EntityManager, id: string): Promise<Theme> {
  const theme = await em.findOne(Theme, { id });
  if (!theme) throw notFound('Theme', id);
  return theme;
}

/** Facilitators always; everyone else once the round's summary is published (FORBIDDEN `SUMMARY_NOT_PUBLISHED` before). */
export async function listThemes(em: EntityManager, viewer: Viewer, roundId: string): Promise<Theme[]> {
  const round = await getRound(em, roundId);
  if (!viewer.isFacilitator && !round.publishedSummaryAt) throw forbidden('The themes of this round are shown with its published summary', 'SUMMARY_NOT_PUBLISHED');
  return em.find(Theme, { round }, { orderBy: { position: 'asc', id: 'asc' } });
}

async function checkedLabel(em: EntityManager, round: ConsultationRound, input: LocalizedTextInput): Promise<LocalizedText> {
  const label = toLocalizedText(input);
  const source = (await round.framework.loadOrFail()).sourceLanguage as Locale;
  if (!label[source]) throw badInput('label', `The label needs the framework’s source language (${source})`);
  if (Object.values(label).some((v) => v.length > MAX_LABEL)) throw badInput('label', `At most ${MAX_LABEL} characters`);
  return label;
}

export async function createTheme(em: EntityManager, viewer: Viewer, input: CreateThemeInput): Promise<Theme> {
  const round = await getRound(em, input.roundId);
  const label = await checkedLabel(em, round, input.label);
  const count = await em.count(Theme, { round });
  if (count >= MAX_THEMES) throw badInput('roundId', `A round has at most ${MAX_THEMES} themes`);
  const theme = em.create(Theme, { round, label, position: count });
  audit(em, { actorId: viewer.id, action: 'theme.created', subjectType: 'Theme', subjectId: theme.id, scopeId: round.id, data: { label } });
  await em.flush();
  return theme;
}

export async function updateTheme(em: EntityManager, viewer: Viewer, id: string, input: UpdateThemeInput): Promise<Theme> {
  const theme = await getTheme(em, id);
  const round = await getRound(em, theme.round.id);
  const previous = { label: theme.label, position: theme.position };
  if (input.label) theme.label = await checkedLabel(em, round, input.label);
  if (input.position != null && input.position !== theme.position) {
    const siblings = (await em.find(Theme, { round }, { orderBy: { position: 'asc', id: 'asc' } })).filter((t) => t.id !== theme.id);
    siblings.splice(Math.min(input.position, siblings.length), 0, theme);
    siblings.forEach((t, i) => (t.position = i));
  }
  audit(em, { actorId: viewer.id, action: 'theme.updated', subjectType: 'Theme', subjectId: theme.id, scopeId: round.id, data: { previous, label: theme.label, position: theme.position } });
  await em.flush();
  return theme;
}

/** Removes the theme and its tags; the comments stay as they are. */
export async function deleteTheme(em: EntityManager, viewer: Viewer, id: string): Promise<boolean> {
  const theme = await getTheme(em, id);
  const roundId = theme.round.id;
  const [{ n }] = await em.execute<{ n: number }[]>('with gone as (delete from comment_theme where theme_id = ? returning 1) select count(*)::int as n from gone', [id]);
  audit(em, { actorId: viewer.id, action: 'theme.deleted', subjectType: 'Theme', subjectId: id, scopeId: roundId, data: { label: theme.label, untagged: n } });
  em.remove(theme);
  const rest = await em.find(Theme, { round: roundId, id: { $ne: id } }, { orderBy: { position: 'asc', id: 'asc' } });
  rest.forEach((t, i) => (t.position = i));
  await em.flush();
  return true;
}

/** The top-level comments of the round a tagging names: the ids given (each checked), or those matching the filter. */
async function chosenComments(em: EntityManager, input: TagCommentsInput) {
  if (!input.commentIds?.length === !input.filter) throw badInput('commentIds', 'Give either comment ids or a filter');
  const db = reads(em);
  if (input.filter) return db.selectFrom('comment as c').select('c.id').where(commentsMatching(db, input.roundId, input.filter));
  const ids = [...new Set(input.commentIds!)];
  const { n } = await db.selectFrom('comment').select(countInt).where('id', 'in', ids).where('round_id', '=', input.roundId).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  if (n !== ids.length) throw badInput('commentIds', 'Every comment must be a top-level comment of the round');
  return db.selectFrom('comment as c').select('c.id').where('c.id', 'in', ids);
}

async function checkedThemes(em: EntityManager, input: TagCommentsInput): Promise<string[]> {
  const ids = [...new Set(input.themeIds)];
  if ((await em.count(Theme, { id: { $in: ids }, round: input.roundId })) !== ids.length) throw badInput('themeIds', 'Every theme must be one of the round’s');
  return ids;
}

/** Tags the chosen comments with each theme, in one statement whatever their number; returns the tags added. */
export async function tagComments(em: EntityManager, viewer: Viewer, input: TagCommentsInput): Promise<number> {
  await getRound(em, input.roundId);
  const themeIds = await checkedThemes(em, input);
  const chosen = await chosenComments(em, input);
  // One statement on the ORM's connection, the chosen comments' query within it.
  const { rows } = await sql<{ n: number }>`with added as (
       insert into comment_theme (id, comment_id, theme_id, tagged_by_id, tagged_at)
       select gen_random_uuid(), x.id, t.id, ${viewer.id}, now() from ${chosen} x cross join unnest(${themeIds}::uuid[]) as t(id)
       on conflict (comment_id, theme_id) do nothing returning 1)
     select count(*)::int as n from added`.execute(reads(em));
  const { n } = rows[0];
  audit(em, { actorId: viewer.id, action: 'theme.tagged', subjectType: 'ConsultationRound', subjectId: input.roundId, scopeId: input.roundId, data: { themeIds, commentIds: input.commentIds ?? null, filter: input.filter ?? null, added: n } });
  await em.flush();
  return n;
}

export async function untagComments(em: EntityManager, viewer: Viewer, input: TagCommentsInput): Promise<number> {
  await getRound(em, input.roundId);
  const themeIds = await checkedThemes(em, input);
  const chosen = await chosenComments(em, input);
  const { rows } = await sql<{ n: number }>`with removed as (delete from comment_theme where theme_id = any(${themeIds}::uuid[]) and comment_id in ${chosen} returning 1)
     select count(*)::int as n from removed`.execute(reads(em));
  const { n } = rows[0];
  audit(em, { actorId: viewer.id, action: 'theme.untagged', subjectType: 'ConsultationRound', subjectId: input.roundId, scopeId: input.roundId, data: { themeIds, commentIds: input.commentIds ?? null, filter: input.filter ?? null, removed: n } });
  await em.flush();
  return n;
}
