import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Indicator } from '../indicators/indicator.entity.js';
import { Section } from './section.entity.js';
import { groupedByKey } from '../db/entity-loader.js';

/**
 * Every section of each framework, in order, in one query: a tree of any depth is then
 * assembled in memory instead of one query per level or per node.
 */
export const sectionsOfFramework = (em: EntityManager) =>
  new DataLoader<string, Section[]>(async (frameworkIds) => {
    const rows = await em.find(Section, { framework: { $in: [...frameworkIds] } }, { orderBy: { position: 'asc', code: 'asc' } });
    return groupedByKey(frameworkIds, rows, (s) => s.framework.id);
  });

/** Every indicator of each framework, in order, in one query; sections pick theirs from it. */
export const indicatorsOfFramework = (em: EntityManager) =>
  new DataLoader<string, Indicator[]>(async (frameworkIds) => {
    const rows = await em.find(Indicator, { framework: { $in: [...frameworkIds] } }, { orderBy: { position: 'asc', code: 'asc' } });
    return groupedByKey(frameworkIds, rows, (i) => i.framework.id);
  });
