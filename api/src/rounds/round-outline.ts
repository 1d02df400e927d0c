import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import type { IndicatorTexts } from '../indicators/indicator-field.js';
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

interface RoundRow {
  id: string;
  framework_id: string;
  title: LocalizedText;
  framework_name: LocalizedText;
  source_language: Locale;
  opens_at: string;
  closes_at: string;
  resolved_at: string | null;
  published_summary_at: string | null;
}

interface SectionRow { id: string; parent_id: string | null; code: string; title: LocalizedText; position: number }
interface PinnedRow { indicator_id: string; version_id: string; number: number; code: string; section_id: string; texts: IndicatorTexts }

/** `language` null: the round's own, its framework's source language. */
export async function loadRoundOutline(em: EntityManager, roundId: string, requested: Locale | null): Promise<RoundOutline> {
  const [round] = await em.execute<RoundRow[]>(
    `select r.id, r.framework_id, r.title, f.name as framework_name, f.source_language, r.opens_at, r.closes_at, r.resolved_at, r.published_summary_at
     from consultation_round r join framework f on f.id = r.framework_id where r.id = ?`,
    [roundId],
  );
  if (!round) throw notFound('Round', roundId);
  const language = requested ?? round.source_language;
  const text = (t: LocalizedText | null | undefined) => localize(t, language, round.source_language)?.value ?? '';
  const sections = await em.execute<SectionRow[]>('select id, parent_id, code, title, position from section where framework_id = ? order by position, code', [round.framework_id]);
  const pinned = await em.execute<PinnedRow[]>(
    `select rv.indicator_id, rv.indicator_version_id as version_id, v.number, i.code, i.section_id, v.texts
     from round_version rv join indicator i on i.id = rv.indicator_id join indicator_version v on v.id = rv.indicator_version_id
     where rv.round_id = ? order by rv.position`,
    [roundId],
  );

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
