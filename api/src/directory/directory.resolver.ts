import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { Role } from '../users/user.entity.js';
import { organizationPage, peoplePage } from './directory.service.js';
import { OrganizationFilter, OrganizationPage, PeopleFilter, PeoplePage } from './directory.types.js';

const FIRST = { defaultValue: 50, description: 'At most 200.' };
const AFTER = { nullable: true, description: 'The `endCursor` of the page before: the page after it.' };
const BEFORE = { nullable: true, description: 'The `startCursor` of the page after: the page before it.' };

/** The people and organizations lists, by name, paged by cursor with search and filters. */
@Resolver()
export class DirectoryResolver {
  @Authorized(Role.FACILITATOR)
  @Query(() => PeoplePage, { description: 'People by name, a page at a time, with search and filters (role, country, organization, status).' })
  peoplePage(
    @Arg('filter', () => PeopleFilter, { nullable: true, description: 'Which people; none given, everyone.' }) filter: PeopleFilter | null,
    @Arg('first', () => Int, FIRST) first: number,
    @Arg('after', () => String, AFTER) after: string | null,
    @Arg('before', () => String, BEFORE) before: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return peoplePage(ctx.em, filter ?? new PeopleFilter(), { first, after: after ?? null, before: before ?? null });
  }

  @Authorized()
  @Query(() => OrganizationPage, { description: 'Organizations by name, a page at a time, with search and filters (country, kind).' })
  organizationPage(
    @Arg('filter', () => OrganizationFilter, { nullable: true, description: 'Which organizations; none given, all.' }) filter: OrganizationFilter | null,
    @Arg('first', () => Int, FIRST) first: number,
    @Arg('after', () => String, AFTER) after: string | null,
    @Arg('before', () => String, BEFORE) before: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return organizationPage(ctx.em, filter ?? new OrganizationFilter(), { first, after: after ?? null, before: before ?? null });
  }
}
