import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountToken } from '../../../api/src/accounts/account-token.entity.js';
import { OrganizationRequest } from '../../../api/src/accounts/organization-request.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { settled } from '../../support/jobs.js';
import { startTestSmtp, type TestSmtp } from '../../support/smtp.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';
import { CONFIRM, PASSWORD, SIGN_IN, SIGN_UP, callFrom, newAddress, registered, signUpInput, tokenIn } from './accounts-fixtures.js';

let smtp: TestSmtp;
let api: TestApi;
let fw: FrameworkFixture;
beforeAll(async () => {
  smtp = await startTestSmtp();
  api = await startTestApi({ env: { SMTP_URL: smtp.url } });
  fw = await createFramework(api.db.orm, { slug: 'registro', areas: 1, perArea: 1 });
});
afterAll(async () => {
  await api?.stop();
  await smtp?.stop();
});

const em = () => api.db.orm.em.fork();
const mailsTo = (to: string) => smtp.received.filter((m) => m.to && [m.to].flat().some((a) => a.text.includes(to)));

describe('signing up', () => {
  it('makes an account that signs in and comments only once its e-mail is confirmed through the mailed link, with its password', async () => {
    const email = newAddress();
    const client = api.client();
    expect(await client.data(SIGN_UP, signUpInput(email, { language: 'EN', country: 'ni' }))).toEqual({ signUp: true });
    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe('Confirm your e-mail address for Consulta');
    const user = await em().findOneOrFail(User, { email });
    expect(user).toMatchObject({ name: 'Persona Registrada', country: 'NI', language: 'en', emailConfirmedAt: null, roles: ['STAKEHOLDER'] });

    expect((await client.error(SIGN_IN, { input: { email, password: PASSWORD } })).extensions?.reason).toBe('EMAIL_UNCONFIRMED');
    const token = tokenIn(api, mail, '/signup/confirm');
    expect((await client.error(CONFIRM, { token, password: 'not-the-password-at-all' })).extensions?.reason).toBe('WRONG_PASSWORD');
    const { confirmEmail } = await client.data(CONFIRM, { token, password: PASSWORD });
    expect(confirmEmail.email).toBe(email);
    expect((await client.data(`{ me { email emailConfirmed suspended } }`)).me).toEqual({ email, emailConfirmed: true, suspended: false });

    // A round for everyone takes the new stakeholder's comment at once.
    const round = await openRound(await api.as(demo.facilitator), fw);
    const { addComment } = await client.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: fw.versionIds[0], type: 'GENERAL', body: 'Primer comentario' } });
    expect(addComment.id).toBeTruthy();
  });

  it('a confirmation link works once, and not after it expires', async () => {
    const email = newAddress();
    await api.client().data(SIGN_UP, signUpInput(email));
    const token = tokenIn(api, await smtp.waitFor(email), '/signup/confirm');
    await api.client().data(CONFIRM, { token, password: PASSWORD });
    expect((await api.client().error(CONFIRM, { token, password: PASSWORD })).extensions?.reason).toBe('LINK_USED');

    const late = newAddress();
    await api.client().data(SIGN_UP, signUpInput(late));
    const lateToken = tokenIn(api, await smtp.waitFor(late), '/signup/confirm');
    const user = await em().findOneOrFail(User, { email: late });
    await em().nativeUpdate(AccountToken, { user: user.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await api.client().error(CONFIRM, { token: lateToken, password: PASSWORD })).extensions?.reason).toBe('LINK_EXPIRED');
    expect((await api.client().error(CONFIRM, { token: 'x'.repeat(43), password: PASSWORD })).code).toBe('NOT_FOUND');
  });

  it('answers an address that has an account exactly as a new one, and mails its owner instead of making a second account', async () => {
    const fresh = await callFrom(api, '10.9.0.1', SIGN_UP, signUpInput(newAddress()));
    const taken = await callFrom(api, '10.9.0.2', SIGN_UP, signUpInput(demo.stakeholderEn, { name: 'Otra Persona' }));
    expect(taken.status).toBe(fresh.status);
    expect(taken.body).toBe(fresh.body);
    const mail = await smtp.waitFor(demo.stakeholderEn);
    expect(mail.subject).toBe('You already have a Consulta account');
    expect(mail.text).toContain(`${api.app.config.PUBLIC_URL}/forgot-password`);
    await settled(api.db.orm);
    expect(await em().count(User, { email: demo.stakeholderEn })).toBe(1);
    expect((await em().findOneOrFail(User, { email: demo.stakeholderEn })).name).not.toBe('Otra Persona');
  });

  it('signing up again before confirming replaces the details, and only the latest link with the latest password confirms', async () => {
    const email = newAddress();
    await api.client().data(SIGN_UP, signUpInput(email, { password: 'primera-clave-2026-larga' }));
    const first = tokenIn(api, await smtp.waitFor(email), '/signup/confirm');
    await api.client().data(SIGN_UP, signUpInput(email, { name: 'Nombre Nuevo' }));
    const second = tokenIn(api, await smtp.waitFor(email, (m) => !m.text?.includes(first)), '/signup/confirm');
    expect((await api.client().error(CONFIRM, { token: first, password: 'primera-clave-2026-larga' })).extensions?.reason).toBe('LINK_USED');
    expect((await api.client().error(CONFIRM, { token: second, password: 'primera-clave-2026-larga' })).extensions?.reason).toBe('WRONG_PASSWORD');
    await api.client().data(CONFIRM, { token: second, password: PASSWORD });
    expect(await em().count(User, { email })).toBe(1);
    expect((await em().findOneOrFail(User, { email })).name).toBe('Nombre Nuevo');
  });

  it('a filled honeypot gets the same answer, and nothing is made or mailed', async () => {
    const email = newAddress('robot');
    const bot = await callFrom(api, '10.9.1.1', SIGN_UP, signUpInput(email, { website: 'http://spam.example' }));
    const person = await callFrom(api, '10.9.1.2', SIGN_UP, signUpInput(newAddress()));
    expect(bot.body).toBe(person.body);
    await settled(api.db.orm);
    expect(await em().count(User, { email })).toBe(0);
    expect(mailsTo(email)).toHaveLength(0);
  });

  it('refuses what does not depend on the address: a weak password, an unknown organization, a malformed address', async () => {
    expect((await api.client().error(SIGN_UP, signUpInput(newAddress(), { password: 'corta' }))).extensions?.reason).toBe('PASSWORD_TOO_SHORT');
    expect((await api.client().error(SIGN_UP, signUpInput(newAddress(), { organizationId: '00000000-0000-4000-8000-000000000000' }))).extensions?.reason).toBe('UNKNOWN_ORGANIZATION');
    expect((await api.client().error(SIGN_UP, signUpInput('no-es-un-correo'))).code).toBe('BAD_USER_INPUT');
  });

  it('lists the organizations to choose by name, a page with a search, with only their name and country', async () => {
    const LIST = `query($search: String, $first: Int) { signUpOrganizations(search: $search, first: $first) { totalCount nodes { id name country } } }`;
    const anonymous = api.client();
    const names = (await em().find(Organization, {}, { orderBy: { name: 'asc', id: 'asc' } })).map((o) => o.name);
    const firstTwo = (await anonymous.data(LIST, { first: 2 })).signUpOrganizations;
    expect(firstTwo.totalCount).toBe(names.length);
    expect(firstTwo.nodes.map((o: { name: string }) => o.name)).toEqual(names.slice(0, 2));
    const copeme = await em().findOneOrFail(Organization, { acronym: 'COPEME' });
    expect((await anonymous.data(LIST, { search: 'copeme' })).signUpOrganizations).toEqual({ totalCount: 1, nodes: [{ id: copeme.id, name: copeme.name, country: copeme.country }] });
    expect((await anonymous.error(LIST, { first: 201 })).code).toBe('BAD_USER_INPUT');
    expect((await anonymous.error(`{ signUpOrganizations { nodes { kind acronym } } }`)).message).toMatch(/Cannot query field "kind"/);
  });

  it('joining a known organization waits for a facilitator, who approves it into that organization or refuses it', async () => {
    const copeme = await em().findOneOrFail(Organization, { acronym: 'COPEME' });
    const organizationsBefore = await em().count(Organization, {});
    const [joiner, refused] = [newAddress(), newAddress()];
    const member = await registered(api, smtp, joiner, { organizationId: copeme.id });
    const outsider = await registered(api, smtp, refused, { organizationId: copeme.id });
    expect((await member.data(`{ me { organization { id } } }`)).me.organization).toBeNull();
    const facilitator = await api.as(demo.facilitator);
    const REQUESTS = `{ organizationRequests { id name joinsExisting requestedBy { email } } }`;
    const pending = (await facilitator.data(REQUESTS)).organizationRequests;
    const mine = (email: string) => pending.find((r: { requestedBy: { email: string } }) => r.requestedBy.email === email);
    expect(mine(joiner)).toMatchObject({ name: copeme.name, joinsExisting: true });
    expect((await member.error(`mutation($id: ID!) { approveOrganizationRequest(id: $id) { status } }`, { id: mine(joiner).id })).code).toBe('FORBIDDEN');
    await facilitator.data(`mutation($id: ID!) { approveOrganizationRequest(id: $id) { status } }`, { id: mine(joiner).id });
    await facilitator.data(`mutation($id: ID!) { refuseOrganizationRequest(id: $id) { status } }`, { id: mine(refused).id });
    expect((await member.data(`{ me { organization { id } } }`)).me.organization.id).toBe(copeme.id);
    expect((await outsider.data(`{ me { organization { id } } }`)).me.organization).toBeNull();
    expect(await em().count(Organization, {})).toBe(organizationsBefore);
  });

  it('a new organization waits for a facilitator, who approves or refuses it once', async () => {

    const asker = newAddress();
    const client = await registered(api, smtp, asker, { newOrganization: { name: `Cooperativa Nueva ${Date.now()}`, kind: 'MFI' } });
    expect((await client.data(`{ me { organization { id } } }`)).me.organization).toBeNull();
    const facilitator = await api.as(demo.facilitator);
    const { organizationRequests } = await facilitator.data(`{ organizationRequests { id name country kind status joinsExisting requestedBy { email } } }`);
    const request = organizationRequests.find((r: { requestedBy: { email: string } }) => r.requestedBy.email === asker);
    expect(request).toMatchObject({ country: 'PE', kind: 'MFI', status: 'PENDING', joinsExisting: false });
    const { approveOrganizationRequest } = await facilitator.data(`mutation($id: ID!) { approveOrganizationRequest(id: $id) { status } }`, { id: request.id });
    expect(approveOrganizationRequest.status).toBe('APPROVED');
    expect((await client.data(`{ me { organization { name country } } }`)).me.organization).toEqual({ name: request.name, country: 'PE' });
    expect((await facilitator.error(`mutation($id: ID!) { refuseOrganizationRequest(id: $id) { status } }`, { id: request.id })).extensions?.reason).toBe('REQUEST_DECIDED');
    expect((await em().findOneOrFail(OrganizationRequest, { id: request.id })).decidedAt).toBeTruthy();
  });
});

describe('the sign-up limits', () => {
  let limited: TestApi;
  beforeAll(async () => {
    limited = await startTestApi({ seed: 'none', env: { RATE_LIMIT_SIGN_UP_EMAIL: '2/3600', RATE_LIMIT_SIGN_UP_IP: '3/3600' } });
  });
  afterAll(() => limited?.stop());

  it('count per address from every network, and per network for every address', async () => {
    const email = newAddress('limite');
    expect((await callFrom(limited, '10.20.0.1', SIGN_UP, signUpInput(email))).json).toEqual({ data: { signUp: true } });
    expect((await callFrom(limited, '10.20.0.2', SIGN_UP, signUpInput(email))).json).toEqual({ data: { signUp: true } });
    const third = await callFrom(limited, '10.20.0.3', SIGN_UP, signUpInput(email));
    expect(third.json.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'RATE_LIMITED' });

    for (let i = 0; i < 3; i++) expect((await callFrom(limited, '10.21.0.1', SIGN_UP, signUpInput(newAddress('red')))).json.data).toEqual({ signUp: true });
    expect((await callFrom(limited, '10.21.0.1', SIGN_UP, signUpInput(newAddress('red')))).json.errors?.[0].extensions.code).toBe('RATE_LIMITED');
    expect((await callFrom(limited, '10.22.0.1', SIGN_UP, signUpInput(newAddress('otra-red')))).json.data).toEqual({ signUp: true });
  });

  it('count signed-out lookups of the organizations per network', async () => {
    const limits = await startTestApi({ seed: 'none', env: { RATE_LIMIT_ORGANIZATION_LOOKUP_IP: '2/60' } });
    try {
      const LIST = `query($search: String) { signUpOrganizations(search: $search) { totalCount } }`;
      for (const search of ['a', 'b']) expect((await callFrom(limits, '10.30.0.1', LIST, { search })).json.data).toEqual({ signUpOrganizations: { totalCount: 0 } });
      expect((await callFrom(limits, '10.30.0.1', LIST, { search: 'c' })).json.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'RATE_LIMITED' });
      expect((await callFrom(limits, '10.31.0.1', LIST, { search: 'c' })).json.data).toEqual({ signUpOrganizations: { totalCount: 0 } });
    } finally {
      await limits.stop();
    }
  });
});

describe('the answer time of a sign-up does not tell whether the address has an account', () => {
  const TRIES = 12;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it(`a known and an unknown address take the same time, within 25% (${TRIES} tries each)`, async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    await callFrom(api, '10.30.0.1', SIGN_UP, signUpInput(newAddress('calor')));
    for (let i = 0; i < TRIES; i++) {
      // Each request is timed on an idle process: the mail job the one before started must not slow it.
      await settled(api.db.orm);
      known.push((await callFrom(api, `10.31.${i}.1`, SIGN_UP, signUpInput(demo.member3))).ms);
      await settled(api.db.orm);
      unknown.push((await callFrom(api, `10.32.${i}.1`, SIGN_UP, signUpInput(newAddress('tiempo')))).ms);
    }
    console.log(`sign-up, ${TRIES} tries each — known: median ${median(known).toFixed(1)} ms; unknown: median ${median(unknown).toFixed(1)} ms`);
    const [a, b] = [median(known), median(unknown)];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThanOrEqual(0.25);
  }, 120_000);
});
