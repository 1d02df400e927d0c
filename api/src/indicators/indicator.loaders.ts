import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reads } from '../db/reads.js';
import { IndicatorField } from './indicator-field.js';
import { entityById } from '../db/entity-loader.js';
import { Framework } from '../frameworks/framework.entity.js';
import { Section } from '../frameworks/section.entity.js';
import { IndicatorDraft } from './indicator-draft.entity.js';
import { IndicatorVersion, Indicator, type CurrentTitle } from './indicator.entity.js';

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

/**
 * Each indicator's current title and its framework's source language, read as plain rows: a round
 * page shows hundreds of titles, and loading each current version as an entity (texts, change
 * tracking) cost more than the rest of the page.
 */
export const currentTitles = (em: EntityManager) =>
  new DataLoader<string, CurrentTitle | null>(async (indicatorIds) => {
    const rows = await reads(em)
      .selectFrom('indicator as i')
      .innerJoin('framework as f', 'f.id', 'i.framework_id')
      .leftJoin('indicator_version as v', 'v.id', 'i.current_version_id')
      .select((eb) => ['i.id', eb.ref('v.texts', '->').key(IndicatorField.TITLE).as('title'), 'f.source_language'])
      .where('i.id', 'in', [...indicatorIds])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, { title: r.title, sourceLanguage: r.source_language }]));
    return indicatorIds.map((id) => byId.get(id) ?? null);
  });
