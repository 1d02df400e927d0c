import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../api/src/auth/session.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { SESSION_TTL_HOURS: '2' } });
});
afterAll(() => api?.stop());

const ME = `{ me { id email } }`;
const em = () => api.db.orm.em.fork();

describe('sessions', () => {
  it('last SESSION_TTL_HOURS: the cookie and the stored session expire together', async () => {
    const res = await fetch(api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { signIn(input: { email: "${demo.member3}", password: "consulta-demo-2026" }) { id } }` }),
    });
    const cookie = res.headers.getSetCookie()[0];
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie)![1]).getTime();
    expect(Math.abs(expires - (Date.now() + 2 * 3600_000))).toBeLessThan(60_000);
    const user = await em().findOneOrFail(User, { email: demo.member3 });
    const newest = await em().findOneOrFail(Session, { user: user.id }, { orderBy: { createdAt: 'desc' } });
    expect(Math.abs(newest.expiresAt.getTime() - expires)).toBeLessThan(2000);
  });

  it('an expired session is no session: me is null and protected fields are UNAUTHENTICATED', async () => {
    const client = await api.as(demo.stakeholderEn);
    expect((await client.data(ME)).me.email).toBe(demo.stakeholderEn);
    const user = await em().findOneOrFail(User, { email: demo.stakeholderEn });
    await em().nativeUpdate(Session, { user: user.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await client.data(ME)).me).toBeNull();
    expect((await client.error(`{ organizationPage(first: 1) { totalCount } }`)).code).toBe('UNAUTHENTICATED');
  });

  it('sign out everywhere revokes every session of that person, on every device, and no one else’s', async () => {
    const phone = await api.as(demo.member2);
    const laptop = await api.as(demo.member2);
    const someoneElse = await api.as(demo.member);
    const { signOutEverywhere } = await phone.data(`mutation { signOutEverywhere }`);
    expect(signOutEverywhere).toBeGreaterThanOrEqual(2);
    expect((await phone.data(ME)).me).toBeNull();
    expect((await laptop.data(ME)).me).toBeNull();
    expect((await laptop.error(`mutation { updateMyPreferences(input: { language: EN }) { id } }`)).code).toBe('UNAUTHENTICATED');
    expect((await someoneElse.data(ME)).me.email).toBe(demo.member);
    const user = await em().findOneOrFail(User, { email: demo.member2 });
    expect(await em().count(Session, { user: user.id, revokedAt: null })).toBe(0);
    // signing in again works
    expect((await (await api.as(demo.member2)).data(ME)).me.email).toBe(demo.member2);
  });

  it('a disabled account loses its open sessions at once', async () => {
    const client = await api.as(demo.stakeholder);
    await em().nativeUpdate(User, { email: demo.stakeholder }, { active: false });
    try {
      expect((await client.data(ME)).me).toBeNull();
      expect((await api.client().error(`mutation { signIn(input: { email: "${demo.stakeholder}", password: "consulta-demo-2026" }) { id } }`)).code).toBe('UNAUTHENTICATED');
    } finally {
      await em().nativeUpdate(User, { email: demo.stakeholder }, { active: true });
    }
  });

  it('a forged or overlong cookie is no session', async () => {
    const forged = api.client();
    forged.cookie = `consulta_session=${'A'.repeat(43)}`;
    expect((await forged.data(ME)).me).toBeNull();
    forged.cookie = `consulta_session=${'A'.repeat(5000)}`;
    expect((await forged.data(ME)).me).toBeNull();
  });
});

describe('password policy', () => {
  const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { id } }`;
  async function token() {
    const facilitator = await api.as(demo.facilitator);
    const { inviteUser } = await facilitator.data(`mutation($input: InviteInput!) { inviteUser(input: $input) { link } }`, {
      input: { email: `policy.${Date.now()}.${Math.random().toString(36).slice(2)}@example.org`, name: 'Persona Nueva' },
    });
    return inviteUser.link.split('/').pop() as string;
  }

  it.each([
    ['too short', 'corta', 'PASSWORD_TOO_SHORT'],
    ['common or breached', 'password123', 'PASSWORD_COMMON'],
    ['too long', 'x'.repeat(201), 'PASSWORD_TOO_LONG'],
  ])('a %s password is BAD_USER_INPUT naming the field, and the invitation stays usable', async (_name, password, reason) => {
    const t = await token();
    const err = await api.client().error(ACCEPT, { input: { token: t, password } });
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.extensions?.reason).toBe(reason);
    expect(err.extensions?.fields?.[0].field).toBe('password');
    expect((await api.client().data(ACCEPT, { input: { token: t, password: 'una-clave-larga-y-mia' } })).acceptInvitation.id).toBeTruthy();
  });
});
