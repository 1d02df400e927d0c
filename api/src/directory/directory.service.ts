import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { countInt, reads } from '../db/reads.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import { checkPageRequest, containsPattern, pageOf, readDirectoryCursor, type PageRequest } from './directory-page.js';
import { PersonStatus, type OrganizationFilter, type OrganizationPage, type PeopleFilter, type PeoplePage } from './directory.types.js';

/** Stands for an empty `ids` list, which SQL's `in ()` cannot say: no row has it. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** The entities for the page's ids, in the page's order (the GraphQL types and their field resolvers are the entities'). */
async function inOrder<T extends { id: string }>(ids: string[], load: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  if (!ids.length) return [];
  const byId = new Map((await load(ids)).map((e) => [e.id, e]));
  return ids.map((id) => byId.get(id)!);
}

/** People by name, filtered, a page at a time (for facilitators; thousands once anyone may register). */
export async function peoplePage(em: EntityManager, filter: PeopleFilter, request: PageRequest): Promise<PeoplePage> {
  checkPageRequest(request);
  const db = reads(em);
  let base = db.selectFrom('app_user as u').leftJoin('organization as o', 'o.id', 'u.organization_id');
  if (filter.search?.trim()) {
    const pattern = containsPattern(filter.search);
    base = base.where((eb) => eb.or([eb('u.name', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
  }
  if (filter.role) base = base.where(sql<boolean>`${filter.role} = any(${sql.ref('u.roles')})`);
  if (filter.country) base = base.where('o.country', '=', filter.country.toUpperCase());
  if (filter.organizationId) base = base.where('u.organization_id', '=', filter.organizationId);
  if (filter.status) base = base.where('u.active', '=', filter.status === PersonStatus.ACTIVE);
  if (filter.ids) base = base.where('u.id', 'in', filter.ids.length ? filter.ids : [NO_ID]);

  let page = base.select(['u.id', 'u.name']).limit(request.first + 1);
  const cursor = request.after ? readDirectoryCursor(request.after, 'after') : request.before ? readDirectoryCursor(request.before, 'before') : null;
  if (cursor) page = page.where((eb) => eb(eb.refTuple('u.name', 'u.id'), request.after ? '>' : '<', eb.tuple(cursor.name, cursor.id)));
  page = request.before ? page.orderBy('u.name', 'desc').orderBy('u.id', 'desc') : page.orderBy('u.name').orderBy('u.id');

  const [rows, total] = await Promise.all([page.execute(), base.select(countInt).executeTakeFirstOrThrow()]);
  const { rows: shown, pageInfo } = pageOf(rows, request);
  const nodes = await inOrder(shown.map((r) => r.id), (ids) => em.find(User, { id: { $in: ids } }, { populate: ['organization'] }));
  return { nodes, pageInfo, totalCount: total.n };
}

/** Organizations by name, filtered, a page at a time. */
export async function organizationPage(em: EntityManager, filter: OrganizationFilter, request: PageRequest): Promise<OrganizationPage> {
  checkPageRequest(request);
  const db = reads(em);
  let base = db.selectFrom('organization as o');
  if (filter.search?.trim()) {
    const pattern = containsPattern(filter.search);
    base = base.where((eb) => eb.or([eb('o.name', 'ilike', pattern), eb('o.acronym', 'ilike', pattern)]));
  }
  if (filter.country) base = base.where('o.country', '=', filter.country.toUpperCase());
  if (filter.kind) base = base.where('o.kind', '=', filter.kind);
  if (filter.ids) base = base.where('o.id', 'in', filter.ids.length ? filter.ids : [NO_ID]);

  let page = base.select(['o.id', 'o.name']).limit(request.first + 1);
  const cursor = request.after ? readDirectoryCursor(request.after, 'after') : request.before ? readDirectoryCursor(request.before, 'before') : null;
  if (cursor) page = page.where((eb) => eb(eb.refTuple('o.name', 'o.id'), request.after ? '>' : '<', eb.tuple(cursor.name, cursor.id)));
  page = request.before ? page.orderBy('o.name', 'desc').orderBy('o.id', 'desc') : page.orderBy('o.name').orderBy('o.id');

  const [rows, total] = await Promise.all([page.execute(), base.select(countInt).executeTakeFirstOrThrow()]);
  const { rows: shown, pageInfo } = pageOf(rows, request);
  const nodes = await inOrder(shown.map((r) => r.id), (ids) => em.find(Organization, { id: { $in: ids } }));
  return { nodes, pageInfo, totalCount: total.n };
}
