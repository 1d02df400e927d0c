import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { loadConfig } from '../../../api/src/config.js';
import { createRateLimits, RATE_LIMIT_TABLE, type RateLimits } from '../../../api/src/limits/rate-limits.js';
import { Session } from '../../../api/src/auth/session.entity.js';
import { demo, DEMO_PASSWORD, startTestApi, type TestApi } from '../../support/api.js';

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { id } }`;
const PREVIEW = `query($t: String!) { invitation(token: $t) { email } }`;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    env: {
      RATE_LIMIT_SIGN_IN_EMAIL_NETWORK: '5/60',
      RATE_LIMIT_SIGN_IN_IP: '8/60',
      RATE_LIMIT_SIGN_IN_EMAIL: '12/60',
      RATE_LIMIT_SIGN_IN_DEVICE: '3/60',
      SIGN_IN_FREE_FAILURES: '3',
      RATE_LIMIT_INVITATION_IP: '4/60',
      RATE_LIMIT_COMMENT_USER: '2/60',
    },
  });
});
afterAll(() => api?.stop());

type Answer = { data?: any; errors?: Array<{ message: string; extensions: Record<string, any> }>; setCookies: string[] };

/**
 * A client that appears to come from its own address (the API trusts X-Forwarded-For from loopback, as
 * from the web server), sending `cookie` when given, as a browser would.
 */
async function from(ip: string, query: string, variables: Record<string, unknown>, cookie?: string): Promise<Answer> {
  const res = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await res.json()) as Omit<Answer, 'setCookies'>), setCookies: res.headers.getSetCookie() };
}

const signIn = (ip: string, email: string, password: string, cookie?: string) => from(ip, SIGN_IN, { input: { email, password } }, cookie);
const codeOf = (a: Answer) => a.errors?.[0].extensions.code ?? 'OK';

/** The device cookie a sign-in gave, as the browser would send it back. */
function deviceCookie(a: Answer): string {
  const set = a.setCookies.find((c) => c.startsWith('consulta_device='));
  if (!set) throw new Error(`no device cookie in ${JSON.stringify(a.setCookies)}`);
  return set.split(';')[0];
}

/** Retries a refused try until the wait is over (no fixed sleep: the answer says when). */
async function whenAllowed(attempt: () => Promise<Answer>, timeoutMs = 10_000): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await attempt();
    if (codeOf(answer) !== 'RATE_LIMITED' || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sign-in attempts from browsers not known for the account', () => {
  it('from one network, the third wrong password and each later one make the next try wait longer: RATE_LIMITED with retryAfterSeconds 1, then 2', async () => {
    for (let i = 0; i < 3; i++) expect(codeOf(await signIn('10.0.1.1', demo.member2, 'wrong-password-guess'))).toBe('UNAUTHENTICATED');
    const sessionsBefore = await api.db.orm.em.fork().count(Session, {});
    const waiting = await signIn('10.0.1.1', demo.member2, DEMO_PASSWORD);
    expect(codeOf(waiting)).toBe('RATE_LIMITED');
    expect(waiting.errors?.[0].extensions.retryAfterSeconds).toBe(1);
    expect(await api.db.orm.em.fork().count(Session, {})).toBe(sessionsBefore);

    expect(codeOf(await whenAllowed(() => signIn('10.0.1.1', demo.member2, 'wrong-password-guess')))).toBe('UNAUTHENTICATED');
    const longer = await signIn('10.0.1.1', demo.member2, 'wrong-password-guess');
    expect(codeOf(longer)).toBe('RATE_LIMITED');
    expect(longer.errors?.[0].extensions.retryAfterSeconds).toBe(2);
    // the e-mail is counted however it is written
    expect(codeOf(await signIn('10.0.1.1', `  ${demo.member2.toUpperCase()} `, DEMO_PASSWORD))).toBe('RATE_LIMITED');

    // meanwhile the owner, on another network, signs in as ever
    expect(codeOf(await signIn('10.0.2.1', demo.member2, DEMO_PASSWORD))).toBe('OK');
  });

  it('successful sign-ins do not add up: a person signs in many times', async () => {
    for (let i = 0; i < 6; i++) expect(codeOf(await signIn('10.0.2.2', demo.stakeholder, DEMO_PASSWORD))).toBe('OK');
  });

  it('one network guessing across many accounts is stopped by the per-network limit; an IPv6 /64 is one network', async () => {
    const guesses = async (ip: (i: number) => string) => {
      const codes: string[] = [];
      for (let i = 0; i < 10; i++) codes.push(codeOf(await signIn(ip(i), `nobody${i}@example.org`, 'a-wrong-guess')));
      return codes;
    };
    const expected = [...Array(8).fill('UNAUTHENTICATED'), 'RATE_LIMITED', 'RATE_LIMITED'];
    expect(await guesses(() => '10.0.3.1')).toEqual(expected);
    expect(await guesses((i) => `2001:db8:3:1::${i + 1}`)).toEqual(expected);
    // other networks are not affected
    expect(codeOf(await signIn('10.0.3.2', demo.stakeholderEn, DEMO_PASSWORD))).toBe('OK');
    expect(codeOf(await signIn('2001:db8:3:2::1', demo.stakeholderEn, DEMO_PASSWORD))).toBe('OK');
  });

  it('a burst of parallel guesses from one network cannot slip past the per e-mail and network limit', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => signIn('10.0.4.1', 'burst@example.org', 'a-wrong-guess')));
    const codes = answers.map(codeOf);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeGreaterThanOrEqual(3);
    expect(codes.filter((c) => c !== 'UNAUTHENTICATED').every((c) => c === 'RATE_LIMITED')).toBe(true);
  });
});

describe('a browser that has signed in to the account before (device cookie)', () => {
  it('is given an httpOnly device cookie for a year, which signing out keeps', async () => {
    const owner = api.client();
    await owner.signIn(demo.member, DEMO_PASSWORD);
    const res = await signIn('10.0.5.9', demo.member, DEMO_PASSWORD);
    const set = res.setCookies.find((c) => c.startsWith('consulta_device='))!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    const expires = new Date(/Expires=([^;]+)/i.exec(set)![1]).getTime();
    expect(Math.abs(expires - (Date.now() + 365 * 86_400_000))).toBeLessThan(60_000);
    await owner.data('mutation { signOut }');
    expect(owner.cookie).toMatch(/^consulta_device=/);
  });

  it('the owner signs in on a known browser during an attack on their e-mail, even from the attacker’s network', async () => {
    const owner = await signIn('10.0.6.100', demo.member3, DEMO_PASSWORD);
    const known = deviceCookie(owner);
    // Guesses from many networks spend the e-mail’s allowance for unknown browsers (12), 3 per network before each must wait.
    const codes: string[] = [];
    for (let n = 1; n <= 5; n++) for (let i = 0; i < 3; i++) codes.push(codeOf(await signIn(`10.0.6.${n}`, demo.member3, 'a-wrong-guess')));
    expect(codes.slice(0, 12)).toEqual(Array(12).fill('UNAUTHENTICATED'));
    expect(codes.slice(12)).toEqual(Array(3).fill('RATE_LIMITED'));
    // A browser never used for this account is held back even with the right password (the price of an attack from everywhere) …
    expect(codeOf(await signIn('10.0.6.200', demo.member3, DEMO_PASSWORD))).toBe('RATE_LIMITED');
    // … while the owner’s own browser signs in, from home and from the attacker’s network alike.
    const home = await signIn('10.0.6.100', demo.member3, DEMO_PASSWORD, known);
    expect(codeOf(home)).toBe('OK');
    expect(codeOf(await signIn('10.0.6.1', demo.member3, DEMO_PASSWORD, deviceCookie(home)))).toBe('OK');
  });

  it('a device cookie from another account, or forged, counts for nothing', async () => {
    const own = deviceCookie(await signIn('10.0.7.1', demo.stakeholderEn, DEMO_PASSWORD));
    const forged = own.replace(/.{6}$/, 'AAAAAA');
    for (let i = 0; i < 3; i++) expect(codeOf(await signIn('10.0.7.1', demo.facilitator, 'a-wrong-guess'))).toBe('UNAUTHENTICATED');
    for (const cookie of [own, forged]) expect(codeOf(await signIn('10.0.7.1', demo.facilitator, 'a-wrong-guess', cookie))).toBe('RATE_LIMITED');
  });

  it('a known browser that fails too often is known no more: its next guesses count as a stranger’s', async () => {
    const known = deviceCookie(await signIn('10.0.8.1', demo.admin, DEMO_PASSWORD));
    // its own allowance (3) …
    for (let i = 0; i < 3; i++) expect(codeOf(await signIn('10.0.8.1', demo.admin, 'a-wrong-guess', known))).toBe('UNAUTHENTICATED');
    // … then the network’s: three more, after which it must wait like anyone else
    for (let i = 0; i < 3; i++) expect(codeOf(await signIn('10.0.8.1', demo.admin, 'a-wrong-guess', known))).toBe('UNAUTHENTICATED');
    expect(codeOf(await signIn('10.0.8.1', demo.admin, DEMO_PASSWORD, known))).toBe('RATE_LIMITED');
  });
});

describe('invitation tokens', () => {
  it('guessing tokens from one address is RATE_LIMITED after 4 tries, for the preview and for accepting', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push((await from('10.0.5.1', PREVIEW, { t: `guess-${randomUUID()}` })).errors![0].extensions.code);
    expect(codes.every((c) => c !== 'RATE_LIMITED')).toBe(true);
    expect((await from('10.0.5.1', PREVIEW, { t: `guess-${randomUUID()}` })).errors![0].extensions.code).toBe('RATE_LIMITED');
    const accept = await from('10.0.5.1', `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { id } }`, {
      input: { token: `guess-${randomUUID()}`, password: 'una-clave-larga-y-mia' },
    });
    expect(accept.errors![0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('the counters are shared by every API process', () => {
  it('PostgreSQL: a second process over the same database sees the first one’s count', async () => {
    const config = loadConfig({ DATABASE_URL: api.db.url, RATE_LIMIT_COMMENT_USER: '2/60' });
    const a = createRateLimits(config);
    const b = createRateLimits(config);
    const person = randomUUID();
    await a.comment.consume(person);
    await b.comment.consume(person);
    await expect(a.comment.consume(person)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    const c = new pg.Client({ connectionString: api.db.url });
    await c.connect();
    const { rows } = await c.query(`select points from ${RATE_LIMIT_TABLE} where key = $1`, [`comment_user:${person}`]);
    await c.end();
    await a.close();
    await b.close();
    expect(rows[0].points).toBeGreaterThanOrEqual(3);
  });

  it('the comment limiter is what the comment feature calls per person', async () => {
    const person = randomUUID();
    await api.app.rateLimits.comment.consume(person);
    await api.app.rateLimits.comment.consume(person);
    const err = await api.app.rateLimits.comment.consume(person).catch((e) => e);
    expect(err).toMatchObject({ code: 'RATE_LIMITED' });
    expect(err.details.retryAfterSeconds).toBeGreaterThan(0);
    await api.app.rateLimits.comment.consume(randomUUID());
  });

  describe('Redis, when REDIS_URL is set', () => {
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    let limits: RateLimits[] = [];
    let available = false;
    beforeAll(async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      available = await probe.connect().then(() => probe.ping()).then(() => true, () => false);
      probe.disconnect();
    });
    afterAll(async () => {
      for (const l of limits) await l.close();
    });

    it('two processes count together in Redis', async (ctx) => {
      if (!available) return ctx.skip(`no Redis at ${url}`);
      const config = loadConfig({ DATABASE_URL: api.db.url, REDIS_URL: url, RATE_LIMIT_COMMENT_USER: '2/60' });
      limits = [createRateLimits(config), createRateLimits(config)];
      expect(limits[0].store).toBe('redis');
      const r = new Redis(url);
      // Until a process has connected, its in-process stand-in counts: wait until each one's count lands in Redis.
      for (const l of limits) {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const probe = randomUUID();
          await l.comment.consume(probe);
          if (await r.exists(`comment_user:${probe}`)) break;
          if (Date.now() > deadline) throw new Error(`no count reached Redis at ${url}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      const person = randomUUID();
      await limits[0].comment.consume(person);
      await limits[1].comment.consume(person);
      await expect(limits[0].comment.consume(person)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      expect(Number(await r.get(`comment_user:${person}`))).toBeGreaterThanOrEqual(3);
      r.disconnect();
    });
  });
});
