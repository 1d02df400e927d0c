import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Indicator } from '../indicators/indicator.entity.js';
import { Section } from './section.entity.js';

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/**
 * Every section of each framework, in order, in one query: a tree of any depth is then
 * assembled in memory instead of one query per level or per node.
 */
export const sectionsOfFramework = (em: EntityManager) =>
  new DataLoader<string, Section[]>(async (frameworkIds) => {
    const rows = await em.find(Section, { framework: { $in: [...frameworkIds] } }, { orderBy: { position: 'asc', code: 'asc' } });
    return groupBy(frameworkIds, rows, (s) => s.framework.id);
  });

/** Every indicator of each framework, in order, in one query; sections pick theirs from it. */
export const indicatorsOfFramework = (em: EntityManager) =>
  new DataLoader<string, Indicator[]>(async (frameworkIds) => {
    const rows = await em.find(Indicator, { framework: { $in: [...frameworkIds] } }, { orderBy: { position: 'asc', code: 'asc' } });
    return groupBy(frameworkIds, rows, (i) => i.framework.id);
  });
