import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organizations/organization.entity.js';
import { linkTargets, type LinkTarget } from './workplan.read.js';
import { WorkActivity, WorkActivityLink, WorkActivityPartner, WorkObjective } from './workplan.entity.js';

/** A per-request loader that needs only the entity manager, so the spreadsheet export builds its own too. */
export type PlanLoader<K, V> = (em: EntityManager) => DataLoader<K, V>;

/** Rows of `entity` per parent id (`parent` names the many-to-one), in key order: one `IN (…)` query per batch. */
function childrenOf<T extends object>(entity: new (...args: never[]) => T, parent: keyof T & string, orderBy: object): PlanLoader<string, T[]> {
  return (em: EntityManager) =>
    new DataLoader<string, T[]>(async (ids) => {
      const rows = await em.find(entity, { [parent]: { $in: [...ids] } } as never, { orderBy: orderBy as never });
      const byParent = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const row of rows) byParent.get((row[parent] as { id: string }).id)?.push(row);
      return ids.map((id) => byParent.get(id)!);
    });
}

export const objectivesOfPlan = childrenOf(WorkObjective, 'plan', { position: 'asc' });
export const activitiesOfObjective = childrenOf(WorkActivity, 'objective', { position: 'asc' });
export const linksOfActivity = childrenOf(WorkActivityLink, 'activity', { createdAt: 'asc', id: 'asc' });

/** The partners of each activity, by name. */
export const partnersOfActivity: PlanLoader<string, Organization[]> = (em) =>
  new DataLoader(async (ids) => {
    const rows = await em.find(WorkActivityPartner, { activity: { $in: [...ids] } });
    const organizations = new Map((await em.find(Organization, { id: { $in: [...new Set(rows.map((r) => r.organizationId))] } }, { orderBy: { name: 'asc' } })).map((o) => [o.id, o]));
    return ids.map((id) =>
      rows
        .filter((r) => r.activity.id === id)
        .map((r) => organizations.get(r.organizationId)!)
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

/** What each link names (its label and page), the links of a batch read in one query per kind. */
export const targetOfLink: PlanLoader<WorkActivityLink, LinkTarget | null> = (em) =>
  new DataLoader(async (links) => {
    const targets = await linkTargets(em, links);
    return links.map((l) => targets.get(l.id) ?? null);
  }, { cacheKeyFn: (link) => link.id });
