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
    env: { RATE_LIMIT_SIGN_IN_EMAIL: '3/60', RATE_LIMIT_SIGN_IN_IP: '8/60', RATE_LIMIT_INVITATION_IP: '4/60', RATE_LIMIT_COMMENT_USER: '2/60' },
  });
});
afterAll(() => api?.stop());

/** A client that appears to come from its own address (the API trusts X-Forwarded-For from loopback, as from the web server). */
async function from(ip: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions: Record<string, any> }> };
}

describe('sign-in attempts', () => {
  it('after 3 wrong passwords for one e-mail the 4th attempt is RATE_LIMITED with retryAfterSeconds, even with the right password', async () => {
    const input = (password: string) => ({ input: { email: demo.member2, password } });
    for (let i = 0; i < 3; i++) {
      const r = await from(`10.0.1.${i}`, SIGN_IN, input('wrong-password-guess'));
      expect(r.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const sessionsBefore = await api.db.orm.em.fork().count(Session, {});
    const r = await from('10.0.1.99', SIGN_IN, input(DEMO_PASSWORD));
    expect(r.errors?.[0].extensions.code).toBe('RATE_LIMITED');
    expect(r.errors?.[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(r.errors?.[0].extensions.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await api.db.orm.em.fork().count(Session, {})).toBe(sessionsBefore);
  });

  it('the e-mail is counted however it is written', async () => {
    const r = await from('10.0.1.100', SIGN_IN, { input: { email: `  ${demo.member2.toUpperCase()} `, password: DEMO_PASSWORD } });
    expect(r.errors?.[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('successful sign-ins do not add up: a person signs in many times', async () => {
    for (let i = 0; i < 6; i++) {
      const r = await from('10.0.2.1', SIGN_IN, { input: { email: demo.stakeholder, password: DEMO_PASSWORD } });
      expect(r.errors).toBeUndefined();
    }
  });

  it('one address guessing across many accounts is stopped by the per-IP limit', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await from('10.0.3.1', SIGN_IN, { input: { email: `nobody${i}@example.org`, password: 'a-wrong-guess' } });
      codes.push(r.errors![0].extensions.code);
    }
    expect(codes.slice(0, 8)).toEqual(Array(8).fill('UNAUTHENTICATED'));
    expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // another address is not affected
    expect((await from('10.0.3.2', SIGN_IN, { input: { email: demo.stakeholderEn, password: DEMO_PASSWORD } })).errors).toBeUndefined();
  });

  it('a burst of parallel guesses cannot slip past the limit', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => from(`10.0.4.${i}`, SIGN_IN, { input: { email: 'burst@example.org', password: 'a-wrong-guess' } })),
    );
    const codes = results.map((r) => r.errors![0].extensions.code);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(9);
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
      const person = randomUUID();
      await new Promise((r) => setTimeout(r, 200)); // let both connect; until then the in-process stand-in counts
      await limits[0].comment.consume(person);
      await limits[1].comment.consume(person);
      await expect(limits[0].comment.consume(person)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      const r = new Redis(url);
      expect(Number(await r.get(`comment_user:${person}`))).toBeGreaterThanOrEqual(3);
      r.disconnect();
    });
  });
});
