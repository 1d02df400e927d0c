import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organizations/organization.entity.js';
import { groupedBy, groupedByKey } from '../db/entity-loader.js';
import { linkTargets, type LinkTarget } from './workplan.read.js';
import { WorkActivity, WorkActivityLink, WorkActivityPartner, WorkObjective } from './workplan.entity.js';

/** A per-request loader that needs only the entity manager, so the spreadsheet export builds its own too. */
export type PlanLoader<K, V> = (em: EntityManager) => DataLoader<K, V>;

export const objectivesOfPlan: PlanLoader<string, WorkObjective[]> = groupedBy(WorkObjective, 'plan', { position: 'asc' });
export const activitiesOfObjective: PlanLoader<string, WorkActivity[]> = groupedBy(WorkActivity, 'objective', { position: 'asc' });
export const linksOfActivity: PlanLoader<string, WorkActivityLink[]> = groupedBy(WorkActivityLink, 'activity', { createdAt: 'asc', id: 'asc' });

/** The partners of each activity, by name. */
export const partnersOfActivity: PlanLoader<string, Organization[]> = (em) =>
  new DataLoader(async (ids) => {
    const rows = await em.find(WorkActivityPartner, { activity: { $in: [...ids] } });
    const organizations = new Map((await em.find(Organization, { id: { $in: [...new Set(rows.map((r) => r.organizationId))] } }, { orderBy: { name: 'asc' } })).map((o) => [o.id, o]));
    return groupedByKey(ids, rows, (r) => r.activity.id).map((partners) => partners.map((r) => organizations.get(r.organizationId)!).sort((a, b) => a.name.localeCompare(b.name)));
  });

/** What each link names (its label and page), the links of a batch read in one query per kind. */
export const targetOfLink: PlanLoader<WorkActivityLink, LinkTarget | null> = (em) =>
  new DataLoader(async (links) => {
    const targets = await linkTargets(em, links);
    return links.map((l) => targets.get(l.id) ?? null);
  }, { cacheKeyFn: (link) => link.id });
