import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IndicatorDraft } from './indicator-draft.entity.js';
import { IndicatorVersion } from './indicator-version.entity.js';

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
