import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LoaderFactory } from '../context.js';
import { reads, type Reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import { IndicatorField } from './indicator-field.js';
import { entityById, foundByKey, groupedByKey } from '../db/entity-loader.js';
import { Framework } from '../frameworks/framework.entity.js';
import type { SectionRecord } from '../frameworks/section.entity.js';
import type { DB as Tables } from '../db/tables.js';
import { IndicatorDraft } from './indicator-draft.entity.js';
import { IndicatorVersion, type CurrentTitle, type IndicatorRecord } from './indicator.entity.js';

export const frameworkById = entityById(Framework);
/** With its indicator: a version's texts are localized in its framework's source language, reached through it. */
export const indicatorVersionById = entityById(IndicatorVersion, ['indicator']);

export function sectionRecord(r: Tables['section']): SectionRecord {
  return { id: r.id, framework: { id: r.framework_id }, parent: r.parent_id ? { id: r.parent_id } : null, code: r.code, title: r.title, position: r.position };
}

/** Sections by id, as plain rows: a page of comments names a few, a scheme its areas. */
export const sectionById: LoaderFactory<string, SectionRecord | null> = (em) =>
  new DataLoader(async (ids) => {
    const rows = await reads(em).selectFrom('section').selectAll().where('id', '=', (eb) => eb.fn.any(eb.val([...ids]))).execute();
    return foundByKey(ids, rows.map(sectionRecord), (s) => s.id);
  });

/** Indicators' columns with their current title and their framework's source language, which localizes it. */
export function indicatorRows(db: Reads) {
  return db
    .selectFrom('indicator as i')
    .innerJoin('framework as f', 'f.id', 'i.framework_id')
    .leftJoin('indicator_version as v', 'v.id', 'i.current_version_id')
    .select((eb) => [
      'i.id',
      'i.code',
      'i.position',
      'i.status',
      'i.created_at',
      'i.framework_id',
      'i.section_id',
      'i.current_version_id',
      eb.ref('v.texts', '->').key(IndicatorField.TITLE).as('title'),
      'f.source_language',
    ]);
}

export type IndicatorRow = Awaited<ReturnType<ReturnType<typeof indicatorRows>['execute']>>[number];

/** `section`: the indicator's section when it was read too, else a reference to it. */
export function indicatorRecord(r: IndicatorRow, section?: SectionRecord): IndicatorRecord {
  return {
    id: r.id,
    code: r.code,
    position: r.position,
    status: r.status,
    createdAt: rowDate(r.created_at),
    framework: { id: r.framework_id },
    section: section ?? { id: r.section_id },
    currentVersion: r.current_version_id ? { id: r.current_version_id } : null,
    currentTitle: { title: r.title ?? null, sourceLanguage: r.source_language },
  };
}

/** Indicators by id, as plain rows with their current titles: a page of comments names dozens. */
export const indicatorById: LoaderFactory<string, IndicatorRecord | null> = (em) =>
  new DataLoader(async (ids) => {
    const rows = await indicatorRows(reads(em)).where('i.id', '=', (eb) => eb.fn.any(eb.val([...ids]))).execute();
    return foundByKey(ids, rows.map((row) => indicatorRecord(row)), (i) => i.id);
  });

/** Each indicator's versions, newest first, in one query for all the indicators asked about. */
export const versionsOfIndicator = (em: EntityManager) =>
  new DataLoader<string, IndicatorVersion[]>(async (indicatorIds) => {
    const rows = await em.find(IndicatorVersion, { indicator: { $in: [...indicatorIds] } }, { orderBy: { number: 'desc' } });
    return groupedByKey(indicatorIds, rows, (v) => v.indicator.id);
  });

/** Each indicator's working draft (or null), in one query. */
export const draftOfIndicator = (em: EntityManager) =>
  new DataLoader<string, IndicatorDraft | null>(async (indicatorIds) => {
    const rows = await em.find(IndicatorDraft, { indicator: { $in: [...indicatorIds] } });
    return foundByKey(indicatorIds, rows, (d) => d.indicator.id);
  });

/**
 * Each indicator's current title and its framework's source language, read as plain rows: a round
 * page shows hundreds of titles, and loading each current version as an entity (texts, change
 * tracking) cost more than the rest of the page.
 */
export const currentTitles = (em: EntityManager) =>
  new DataLoader<string, CurrentTitle | null>(async (indicatorIds) => {
    const rows = await indicatorRows(reads(em)).where('i.id', 'in', [...indicatorIds]).execute();
    return foundByKey(indicatorIds, rows, (r) => r.id).map((r) => r && { title: r.title, sourceLanguage: r.source_language });
  });
