import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Organization, OrganizationKind } from '../../../api/src/organizations/organization.entity.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';

let api: TestApi;
let facilitator: GraphQLClient;
let orgId: string;

const PEOPLE = `query($filter: PeopleFilter, $first: Int!, $after: String, $before: String) {
  peoplePage(filter: $filter, first: $first, after: $after, before: $before) {
    totalCount nodes { id name roles organization { id country } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const ORGS = `query($filter: OrganizationFilter, $first: Int!, $after: String, $before: String) {
  organizationPage(filter: $filter, first: $first, after: $after, before: $before) {
    totalCount nodes { id name country kind } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

beforeAll(async () => {
  api = await startTestApi();
  facilitator = await api.as(demo.facilitator);
  // Thousands register in production; 130 here are enough for three pages of 50.
  const em = api.db.orm.em.fork();
  const org = em.create(Organization, { name: 'Cooperativa Paginada', acronym: 'CPG', kind: OrganizationKind.MFI, country: 'GT' });
  orgId = org.id;
  for (let i = 0; i < 130; i++) {
    em.create(User, {
      name: `Registrada ${String(i).padStart(3, '0')}`,
      email: `registrada${i}@example.org`,
      organization: i % 2 ? org : null,
      roles: [i % 10 === 0 ? Role.MEMBER : Role.STAKEHOLDER],
      active: i % 13 !== 0,
    });
  }
  await em.flush();
});
afterAll(async () => {
  await api?.stop();
});

describe('the people directory', () => {
  it('pages by name with next and previous cursors: every person once, the same page coming back', async () => {
    const seen: string[] = [];
    const pages = [];
    let after: string | null = null;
    for (;;) {
      const { peoplePage: page }: { peoplePage: any } = await facilitator.data(PEOPLE, { first: 50, after });
      pages.push(page);
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(pages[0].totalCount);
    expect(pages[0].totalCount).toBeGreaterThanOrEqual(130);
    expect(pages[0].pageInfo.hasPreviousPage).toBe(false);
    expect(pages[1].pageInfo.hasPreviousPage).toBe(true);
    const names = pages.flatMap((p) => p.nodes.map((n: { name: string }) => n.name));
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const back = (await facilitator.data(PEOPLE, { first: 50, before: pages[2].pageInfo.startCursor })).peoplePage;
    expect(back.nodes.map((n: { id: string }) => n.id)).toEqual(pages[1].nodes.map((n: { id: string }) => n.id));
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('searches and filters by role, country, organization and status', async () => {
    const count = async (filter: Record<string, unknown>) => (await facilitator.data(PEOPLE, { filter, first: 200 })).peoplePage.totalCount as number;
    expect(await count({ search: 'REGISTRADA 12' })).toBe(10); // 120–129, any case
    expect(await count({ search: '100%' })).toBe(0);
    expect(await count({ organizationId: orgId })).toBe(65);
    expect(await count({ country: 'gt', search: 'Registrada' })).toBe(65);
    expect(await count({ role: 'MEMBER', search: 'Registrada' })).toBe(13);
    expect(await count({ status: 'INACTIVE', search: 'Registrada' })).toBe(10);
    expect(await count({ status: 'ACTIVE', search: 'Registrada', organizationId: orgId })).toBe(65 - 5);
  });

  it('refuses a foreign cursor and a page too large, and only facilitators may list people', async () => {
    expect(await facilitator.error(PEOPLE, { first: 10, after: 'bm90LWEtY3Vyc29y' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await facilitator.error(PEOPLE, { first: 500 })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await (await api.as(demo.stakeholder)).error(PEOPLE, { first: 10 })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await api.client().error(PEOPLE, { first: 10 })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('the organizations directory', () => {
  it('pages by name, searches by name or acronym, filters by country and kind', async () => {
    const stakeholder = await api.as(demo.stakeholder);
    const first = (await stakeholder.data(ORGS, { first: 3 })).organizationPage;
    const second = (await stakeholder.data(ORGS, { first: 3, after: first.pageInfo.endCursor })).organizationPage;
    expect(new Set([...first.nodes, ...second.nodes].map((o: { id: string }) => o.id)).size).toBe(6);
    expect((await stakeholder.data(ORGS, { first: 3, before: second.pageInfo.startCursor })).organizationPage.nodes).toEqual(first.nodes);
    expect((await stakeholder.data(ORGS, { first: 50, filter: { search: 'cpg' } })).organizationPage.nodes.map((o: { id: string }) => o.id)).toEqual([orgId]);
    const gt = (await stakeholder.data(ORGS, { first: 50, filter: { country: 'GT', kind: 'MFI' } })).organizationPage;
    expect(gt.nodes.every((o: { country: string; kind: string }) => o.country === 'GT' && o.kind === 'MFI')).toBe(true);
    expect(gt.totalCount).toBe(gt.nodes.length);
  });
});
