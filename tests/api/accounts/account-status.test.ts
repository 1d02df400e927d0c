import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { demo, DEMO_PASSWORD, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const STATUS = `query($ids: [ID!]) { peoplePage(filter: { ids: $ids }, first: 10) { totalCount nodes { id active suspended suspendedAt suspensionReason } } }`;

/** A throwaway participant, so no demo account stays suspended. */
async function participant(name: string) {
  const em = api.db.orm.em.fork();
  const user = em.create(User, { email: `${name.toLowerCase()}.${Date.now()}@example.org`, name, roles: [Role.STAKEHOLDER], passwordHash: await api.app.hasher.hash(DEMO_PASSWORD) });
  await em.flush();
  return user;
}

describe('an account’s status on the facilitators’ pages', () => {
  it('shows facilitators when and why an account was suspended, and that it is active again once reinstated', async () => {
    const target = await participant('Suspendida');
    const facilitator = await api.as(demo.facilitator);
    await facilitator.data(`mutation($id: ID!) { suspendUser(userId: $id, reason: "Mensajes abusivos") { id } }`, { id: target.id });
    const suspended = (await facilitator.data(STATUS, { ids: [target.id] })).peoplePage;
    expect(suspended.totalCount).toBe(1);
    expect(suspended.nodes[0]).toMatchObject({ id: target.id, active: false, suspended: true, suspensionReason: 'Mensajes abusivos' });
    expect(Date.parse(suspended.nodes[0].suspendedAt)).toBeGreaterThan(Date.now() - 60_000);

    await facilitator.data(`mutation($id: ID!) { reinstateUser(userId: $id) { id } }`, { id: target.id });
    expect((await facilitator.data(STATUS, { ids: [target.id] })).peoplePage.nodes[0]).toEqual({ id: target.id, active: true, suspended: false, suspendedAt: null, suspensionReason: null });
  });

  it('the person sees their own status but not a facilitator’s reason; nobody else sees either', async () => {
    const me = await participant('Propia');
    const client = await api.as(me.email);
    expect((await client.data(`{ me { active suspendedAt suspensionReason emailConfirmed } }`)).me).toEqual({ active: true, suspendedAt: null, suspensionReason: null, emailConfirmed: true });
    expect((await client.error(STATUS, { ids: [me.id] })).code).toBe('FORBIDDEN');
  });

  it('a picker reads the people and organizations already chosen by id; an empty list chooses none', async () => {
    const facilitator = await api.as(demo.facilitator);
    const stakeholder = await api.as(demo.stakeholder);
    const { organizationPage: all } = await stakeholder.data(`{ organizationPage(first: 3) { nodes { id name } } }`);
    const chosen = [all.nodes[2].id, all.nodes[0].id];
    const byIds = (await stakeholder.data(`query($ids: [ID!]) { organizationPage(filter: { ids: $ids }, first: 10) { totalCount nodes { id } } }`, { ids: chosen })).organizationPage;
    expect(byIds).toEqual({ totalCount: 2, nodes: [{ id: all.nodes[0].id }, { id: all.nodes[2].id }] });
    expect((await stakeholder.data(`{ organizationPage(filter: { ids: [] }) { totalCount } }`)).organizationPage.totalCount).toBe(0);
    expect((await facilitator.data(STATUS, { ids: [] })).peoplePage.totalCount).toBe(0);
    expect((await facilitator.error(`{ organizationPage(filter: { ids: ["not-an-id"] }) { totalCount } }`)).code).toBe('BAD_USER_INPUT');
  });
});
