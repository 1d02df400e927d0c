import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Invitation } from '../../../api/src/auth/invitation.entity.js';
import { Session } from '../../../api/src/auth/session.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const ME = `{ me { id name email roles language organization { acronym } } }`;
const INVITE = `mutation($input: InviteInput!) { inviteUser(input: $input) { emailed link invitation { id email roles } } }`;
const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { id email roles } }`;

describe('signing in', () => {
  it.each(Object.entries(demo))('the demo %s account signs in and sees itself', async (_role, email) => {
    const client = await api.as(email);
    const { me } = await client.data(ME);
    expect(me.email).toBe(email);
    expect(me.roles.length).toBeGreaterThan(0);
  });

  it('a wrong password is UNAUTHENTICATED and opens no session', async () => {
    const before = await api.db.orm.em.fork().count(Session, {});
    const err = await api.client().error(`mutation { signIn(input: { email: "${demo.member}", password: "not-the-password" }) { id } }`);
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.extensions?.reason).toBe('INVALID_CREDENTIALS');
    expect(await api.db.orm.em.fork().count(Session, {})).toBe(before);
  });

  it('an unknown e-mail gets the same answer as a wrong password', async () => {
    const err = await api.client().error(`mutation { signIn(input: { email: "nobody@example.org", password: "whatever-it-is" }) { id } }`);
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toBe('Wrong e-mail or password');
  });

  it('me is null when signed out, and a protected field is UNAUTHENTICATED', async () => {
    const anon = api.client();
    expect((await anon.data(ME)).me).toBeNull();
    expect((await anon.error(`{ organizationPage(first: 1) { totalCount } }`)).code).toBe('UNAUTHENTICATED');
  });

  it('signing out ends the session on the server, not only in the browser', async () => {
    const client = await api.as(demo.stakeholder);
    const stolenCookie = client.cookie;
    expect(await client.data(`mutation { signOut }`)).toEqual({ signOut: true });
    expect((await client.data(ME)).me).toBeNull();
    const replay = api.client();
    replay.cookie = stolenCookie;
    expect((await replay.data(ME)).me).toBeNull();
  });

  it('a session cookie is httpOnly and SameSite', async () => {
    const res = await fetch(api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { signIn(input: { email: "${demo.member}", password: "consulta-demo-2026" }) { id } }` }),
    });
    const cookie = res.headers.getSetCookie()[0];
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });
});

describe('roles', () => {
  it('a stakeholder may not invite (FORBIDDEN) and nothing is written', async () => {
    const client = await api.as(demo.stakeholder);
    const err = await client.error(INVITE, { input: { email: 'x@example.org', name: 'X Person' } });
    expect(err.code).toBe('FORBIDDEN');
    expect(await api.db.orm.em.fork().count(Invitation, { email: 'x@example.org' })).toBe(0);
  });

  it('a facilitator may not invite an admin', async () => {
    const client = await api.as(demo.facilitator);
    const err = await client.error(INVITE, { input: { email: 'boss@example.org', name: 'Boss', roles: ['ADMIN'] } });
    expect(err.code).toBe('FORBIDDEN');
  });

  it('a role change takes effect on the next request', async () => {
    const member = await api.as(demo.member3);
    const admin = await api.as(demo.admin);
    const { me } = await member.data(ME);
    expect(me.roles).toEqual(['MEMBER']);
    await admin.data(`mutation($id: ID!) { setUserRoles(userId: $id, input: { roles: [STAKEHOLDER] }) { roles } }`, { id: me.id });
    expect((await member.data(ME)).me.roles).toEqual(['STAKEHOLDER']);
    await admin.data(`mutation($id: ID!) { setUserRoles(userId: $id, input: { roles: [MEMBER] }) { roles } }`, { id: me.id });
  });

  it('only an admin changes roles', async () => {
    const facilitator = await api.as(demo.facilitator);
    const { me } = await (await api.as(demo.stakeholder)).data(ME);
    const err = await facilitator.error(`mutation($id: ID!) { setUserRoles(userId: $id, input: { roles: [ADMIN] }) { roles } }`, { id: me.id });
    expect(err.code).toBe('FORBIDDEN');
  });
});

describe('invitations', () => {
  it('a facilitator invites; the link sets a password once and signs the person in', async () => {
    const facilitator = await api.as(demo.facilitator);
    const { inviteUser } = await facilitator.data(INVITE, {
      input: { email: 'Nueva.Persona@Example.org', name: 'Nueva Persona', roles: ['STAKEHOLDER'], language: 'PT' },
    });
    expect(inviteUser.emailed).toBe(false);
    expect(inviteUser.link).toMatch(/\/invitation\/[\w-]{20,}$/);
    // Without SMTP_URL the mail lands in the development mailbox, in the invitee's language.
    const mail = (await api.mailbox()).filter((m) => m.kind === 'invitation').at(-1);
    expect(mail?.to).toBe('nueva.persona@example.org');
    expect(mail?.subject).toBe('Convite para o Consulta');
    expect(mail?.text).toContain(inviteUser.link);
    const token = inviteUser.link.split('/').pop();

    const preview = await api.client().data(`query($t: String!) { invitation(token: $t) { email name language } }`, { t: token });
    expect(preview.invitation).toEqual({ email: 'nueva.persona@example.org', name: 'Nueva Persona', language: 'PT' });

    const person = api.client();
    const weak = await person.error(ACCEPT, { input: { token, password: 'password123' } });
    expect(weak.code).toBe('BAD_USER_INPUT');
    expect(weak.extensions?.fields?.[0].field).toBe('password');

    const { acceptInvitation } = await person.data(ACCEPT, { input: { token, password: 'una-clave-larga-y-mia' } });
    expect(acceptInvitation.email).toBe('nueva.persona@example.org');
    expect((await person.data(ME)).me.language).toBe('PT');

    const reuse = await api.client().error(ACCEPT, { input: { token, password: 'otra-clave-larga-y-mia' } });
    expect(reuse.code).toBe('BAD_USER_INPUT');
    expect(reuse.extensions?.reason).toBe('INVITATION_USED');
    expect(await api.db.orm.em.fork().count(User, { email: 'nueva.persona@example.org' })).toBe(1);
  });

  it('an expired invitation is refused and creates no account', async () => {
    const facilitator = await api.as(demo.facilitator);
    const { inviteUser } = await facilitator.data(INVITE, { input: { email: 'tarde@example.org', name: 'Llega Tarde' } });
    const em = api.db.orm.em.fork();
    await em.nativeUpdate(Invitation, { id: inviteUser.invitation.id }, { expiresAt: new Date(Date.now() - 1000) });
    const token = inviteUser.link.split('/').pop();
    const err = await api.client().error(ACCEPT, { input: { token, password: 'una-clave-larga-y-mia' } });
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.extensions?.reason).toBe('INVITATION_EXPIRED');
    expect(await em.count(User, { email: 'tarde@example.org' })).toBe(0);
  });

  it('inviting an existing account is a CONFLICT naming the field', async () => {
    const facilitator = await api.as(demo.facilitator);
    const err = await facilitator.error(INVITE, { input: { email: demo.member, name: 'Again' } });
    expect(err.code).toBe('CONFLICT');
    expect(err.extensions?.fields?.[0].field).toBe('email');
  });

  it('bad input names the field', async () => {
    const facilitator = await api.as(demo.facilitator);
    const err = await facilitator.error(INVITE, { input: { email: 'not-an-email', name: 'X' } });
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.extensions?.fields?.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'name']);
  });
});

describe('audit log', () => {
  it('the application cannot update or delete an audit entry', async () => {
    const conn = api.db.orm.em.fork().getConnection();
    expect(await api.db.orm.em.fork().count(AuditEntry, {})).toBeGreaterThan(0);
    await expect(conn.execute(`update audit_entry set action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(conn.execute(`delete from audit_entry`)).rejects.toThrow(/append-only/);
  });
});
