import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import { reads } from '../db/reads.js';
import type { Locale } from '../users/user.entity.js';

export interface OutlineIndicator {
  indicatorId: string;
  versionId: string;
  versionNumber: number;
  code: string;
  title: string;
}

/** A top-level section of the framework (an area, a dimension) with the indicators pinned under it, in order. */
export interface OutlineArea {
  id: string;
  code: string;
  title: string;
  /** The area and every section below it. */
  sectionIds: string[];
  indicators: OutlineIndicator[];
}

/**
 * What every export of a round starts from: the round's names in the export's language, and its
 * areas with their pinned indicators in framework order. Small (one row per section and indicator),
 * so it is held whole while the comments stream past.
 */
export interface RoundOutline {
  roundId: string;
  frameworkId: string;
  language: Locale;
  sourceLanguage: Locale;
  roundTitle: string;
  frameworkName: string;
  opensAt: Date;
  closesAt: Date;
  resolvedAt: Date | null;
  publishedSummaryAt: Date | null;
  areas: OutlineArea[];
  /** Every section id → its area. */
  areaOfSection: Map<string, OutlineArea>;
}

/** `language` null: the round's own, its framework's source language. */
export async function loadRoundOutline(em: EntityManager, roundId: string, requested: Locale | null): Promise<RoundOutline> {
  const db = reads(em);
  const round = await db
    .selectFrom('consultation_round as r')
    .innerJoin('framework as f', 'f.id', 'r.framework_id')
    .select(['r.id', 'r.framework_id', 'r.title', 'f.name as framework_name', 'f.source_language', 'r.opens_at', 'r.closes_at', 'r.resolved_at', 'r.published_summary_at'])
    .where('r.id', '=', roundId)
    .executeTakeFirst();
  if (!round) throw notFound('Round', roundId);
  const language = requested ?? round.source_language;
  const text = (t: LocalizedText | null | undefined) => localize(t, language, round.source_language)?.value ?? '';
  const sections = await db.selectFrom('section').select(['id', 'parent_id', 'code', 'title', 'position']).where('framework_id', '=', round.framework_id).orderBy('position').orderBy('code').execute();
  const pinned = await db
    .selectFrom('round_version as rv')
    .innerJoin('indicator as i', 'i.id', 'rv.indicator_id')
    .innerJoin('indicator_version as v', 'v.id', 'rv.indicator_version_id')
    .select(['rv.indicator_id', 'rv.indicator_version_id as version_id', 'v.number', 'i.code', 'i.section_id', 'v.texts'])
    .where('rv.round_id', '=', roundId)
    .orderBy('rv.position')
    .execute();
  type SectionRow = (typeof sections)[number];

  const byId = new Map(sections.map((s) => [s.id, s]));
  const rootOf = (id: string): SectionRow => {
    let s = byId.get(id)!;
    while (s.parent_id && byId.has(s.parent_id)) s = byId.get(s.parent_id)!;
    return s;
  };
  const areas: OutlineArea[] = sections
    .filter((s) => !s.parent_id)
    .map((s) => ({ id: s.id, code: s.code, title: text(s.title), sectionIds: [], indicators: [] }));
  const areaById = new Map(areas.map((a) => [a.id, a]));
  const areaOfSection = new Map<string, OutlineArea>();
  for (const s of sections) {
    const area = areaById.get(rootOf(s.id).id)!;
    area.sectionIds.push(s.id);
    areaOfSection.set(s.id, area);
  }
  for (const p of pinned) {
    areaOfSection.get(p.section_id)?.indicators.push({
      indicatorId: p.indicator_id,
      versionId: p.version_id,
      versionNumber: p.number,
      code: p.code,
      title: text(p.texts.TITLE),
    });
  }
  return {
    roundId,
    frameworkId: round.framework_id,
    language,
    sourceLanguage: round.source_language,
    roundTitle: text(round.title),
    frameworkName: text(round.framework_name),
    opensAt: new Date(round.opens_at),
    closesAt: new Date(round.closes_at),
    resolvedAt: round.resolved_at ? new Date(round.resolved_at) : null,
    publishedSummaryAt: round.published_summary_at ? new Date(round.published_summary_at) : null,
    areas,
    areaOfSection,
  };
}
