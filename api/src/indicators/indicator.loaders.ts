import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { entityById } from '../db/entity-loader.js';
import { Framework } from '../frameworks/framework.entity.js';
import { Section } from '../frameworks/section.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';
import { IndicatorDraft } from './indicator-draft.entity.js';
import { IndicatorVersion } from './indicator-version.entity.js';
import { Indicator } from './indicator.entity.js';

export const frameworkById = entityById(Framework);
export const sectionById = entityById(Section);
/** With its indicator: a version's texts are localized in its framework's source language, reached through it. */
export const indicatorVersionById = entityById(IndicatorVersion, ['indicator']);
export const indicatorById = entityById(Indicator);

/** Each indicator's versions, newest first, in one query for all the indicators asked about. */
export const versionsOfIndicator = (em: EntityManager) =>
  new DataLoader<string, IndicatorVersion[]>(async (indicatorIds) => {
    const rows = await em.find(IndicatorVersion, { indicator: { $in: [...indicatorIds] } }, { orderBy: { number: 'desc' } });
    const byIndicator = new Map<string, IndicatorVersion[]>(indicatorIds.map((id) => [id, []]));
    for (const v of rows) byIndicator.get(v.indicator.id)?.push(v);
    return indicatorIds.map((id) => byIndicator.get(id)!);
  });

/** Each indicator's working draft (or null), in one query. */
export const draftOfIndicator = (em: EntityManager) =>
  new DataLoader<string, IndicatorDraft | null>(async (indicatorIds) => {
    const rows = await em.find(IndicatorDraft, { indicator: { $in: [...indicatorIds] } });
    const byIndicator = new Map(rows.map((d) => [d.indicator.id, d]));
    return indicatorIds.map((id) => byIndicator.get(id) ?? null);
  });

export interface CurrentTitle {
  /** The title in every language the current version has; null before the first published version. */
  title: LocalizedText | null;
  sourceLanguage: Locale;
}

/**
 * Each indicator's current title and its framework's source language, read as plain rows: a round
 * page shows hundreds of titles, and loading each current version as an entity (texts, change
 * tracking) cost more than the rest of the page.
 */
export const currentTitles = (em: EntityManager) =>
  new DataLoader<string, CurrentTitle | null>(async (indicatorIds) => {
    const rows = await em.execute<{ id: string; title: LocalizedText | null; source_language: Locale }[]>(
      `select i.id, v.texts -> 'TITLE' as title, f.source_language
       from indicator i join framework f on f.id = i.framework_id left join indicator_version v on v.id = i.current_version_id
       where i.id in (?)`,
      [[...indicatorIds]],
    );
    const byId = new Map(rows.map((r) => [r.id, { title: r.title, sourceLanguage: r.source_language }]));
    return indicatorIds.map((id) => byId.get(id) ?? null);
  });
