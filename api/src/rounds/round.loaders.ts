import DataLoader from 'dataloader';
import type { EntityData } from '@mikro-orm/core';
import { Section } from '../frameworks/section.entity.js';
import type { LoaderFactory, RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { IndicatorStatus } from '../indicators/indicator.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';
import { RoundIndicator } from './round-indicator.js';
import { entityById } from '../db/entity-loader.js';
import { ConsultationRound } from './round.entity.js';

/** With its framework: a round's texts are localized against the framework's source language. */
export const roundById = entityById(ConsultationRound, ['framework']);

/**
 * The round a query starts from, shared by the request's root fields (a page asks for the round and
 * its comments, themes or dashboard at once). Read-side root fields call it before their service,
 * whose `getRound` then finds the round in the request's identity map instead of querying again.
 */
export async function loadRound(ctx: RequestContext, id: string): Promise<ConsultationRound> {
  const round = await ctx.loader(roundById).load(id);
  if (!round) throw notFound('Round', id);
  return round;
}

interface PinnedRow {
  id: string;
  round_id: string;
  indicator_version_id: string;
  position: number;
  comment_count: number;
  undisposed_count: number;
  indicator_id: string;
  code: string;
  indicator_position: number;
  status: IndicatorStatus;
  created_at: Date | string;
  framework_id: string;
  section_id: string;
  current_version_id: string | null;
  title: LocalizedText | null;
  source_language: Locale;
}

const PINNED = `select rv.id, rv.round_id, rv.indicator_version_id, rv.position, rv.comment_count, rv.undisposed_count,
         i.id as indicator_id, i.code, i.position as indicator_position, i.status, i.created_at, i.framework_id, i.section_id, i.current_version_id,
         cv.texts -> 'TITLE' as title, f.source_language
  from round_version rv join indicator i on i.id = rv.indicator_id join framework f on f.id = i.framework_id
  left join indicator_version cv on cv.id = i.current_version_id`;

function roundIndicator(r: PinnedRow, sections: Map<string, Section>): RoundIndicator {
  return Object.assign(new RoundIndicator(), {
    id: r.id,
    roundId: r.round_id,
    indicatorVersionId: r.indicator_version_id,
    position: r.position,
    commentCount: r.comment_count,
    undisposedCount: r.undisposed_count,
    indicator: {
      id: r.indicator_id,
      code: r.code,
      position: r.indicator_position,
      status: r.status,
      createdAt: new Date(r.created_at),
      framework: { id: r.framework_id },
      section: sections.get(r.section_id) ?? { id: r.section_id },
      currentVersion: r.current_version_id ? { id: r.current_version_id } : null,
      currentTitle: { title: r.title, sourceLanguage: r.source_language },
    },
  });
}

/**
 * The pinned versions of each round, in framework order, with their counters and indicators, as
 * plain rows. Every list of a round shows the indicators' titles and sections, so they come in the
 * same round trip, on the rows.
 */
export const roundIndicators: LoaderFactory<string, RoundIndicator[]> = (em) =>
  new DataLoader(async (roundIds) => {
    const [rows, sectionRows] = await Promise.all([
      em.execute<PinnedRow[]>(`${PINNED} where rv.round_id in (?) order by rv.position`, [[...roundIds]]),
      em.execute<EntityData<Section>[]>(
        'select s.* from section s where s.id in (select i.section_id from round_version rv join indicator i on i.id = rv.indicator_id where rv.round_id in (?))',
        [[...roundIds]],
      ),
    ]);
    const sections = new Map(sectionRows.map((row) => [row.id as string, em.map(Section, row)]));
    const byRound = new Map<string, RoundIndicator[]>(roundIds.map((id) => [id, []]));
    for (const r of rows) byRound.get(r.round_id)!.push(roundIndicator(r, sections));
    return roundIds.map((id) => byRound.get(id)!);
  });

/** One pinned indicator of a round, keyed `roundId/indicatorId`: an indicator's page needs its own row, not the round's 200. */
export const pinnedIndicator: LoaderFactory<string, RoundIndicator | null> = (em) =>
  new DataLoader(async (keys) => {
    // The round's id comes first and never holds a slash; whatever follows the first one is the indicator's id.
    const pairs = keys.map((key) => [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]);
    const rows = await em.execute<PinnedRow[]>(`${PINNED} where (rv.round_id, rv.indicator_id) in (${pairs.map(() => '(?, ?)').join(', ')})`, pairs.flat());
    const found = new Map(rows.map((r) => [`${r.round_id}/${r.indicator_id}`, roundIndicator(r, new Map())]));
    return keys.map((key) => found.get(key) ?? null);
  });

/** For the viewer: the indicators of each round they have commented on (standing top-level comments). */
export const myCommentedIndicators: LoaderFactory<string, string[]> = (em, ctx) =>
  new DataLoader(async (roundIds) => {
    if (!ctx.viewer) return roundIds.map(() => []);
    const rows = await em.execute<{ round_id: string; indicator_id: string }[]>(
      'select distinct round_id, indicator_id from comment where round_id in (?) and author_id = ? and parent_id is null and withdrawn_at is null and indicator_id is not null',
      [[...roundIds], ctx.viewer.id],
    );
    return roundIds.map((id) => rows.filter((r) => r.round_id === id).map((r) => r.indicator_id));
  });
