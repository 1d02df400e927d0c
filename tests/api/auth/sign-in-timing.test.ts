import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { startTestApi, type TestApi } from '../../support/api.js';

const KNOWN = 'conocida@example.org';
const TRIES = 20;

let api: TestApi;
beforeAll(async () => {
  // A costlier hash than the other suites use (production's is 64 MiB): a check skipped for unknown accounts shows plainly.
  api = await startTestApi({ seed: 'none', env: { PASSWORD_HASH_MEMORY_KIB: '32768' } });
  const em = api.db.orm.em.fork();
  em.create(User, { email: KNOWN, name: 'Persona Conocida', roles: [Role.STAKEHOLDER], passwordHash: await api.app.hasher.hash('la-clave-verdadera-2026') });
  await em.flush();
});
afterAll(() => api?.stop());

/** Milliseconds until the answer to a wrong password for `email`, from a network of its own (no wait between guesses). */
async function wrongPassword(email: string, network: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${network}.1` },
    body: JSON.stringify({ query: `mutation($input: SignInInput!) { signIn(input: $input) { id } }`, variables: { input: { email, password: 'not-the-password' } } }),
  });
  const body = (await res.json()) as { errors?: Array<{ extensions: { code: string } }> };
  const ms = performance.now() - started;
  expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('the answer time does not tell who has an account', () => {
  it(`a wrong password for a known e-mail and for an unknown one take the same time, within 20% (${TRIES} tries each)`, async () => {
    await wrongPassword(KNOWN, 255);
    await wrongPassword('warm-up@example.org', 255);
    const known: number[] = [];
    const unknown: number[] = [];
    // Taking turns, so a neighbour's load on the machine falls on both alike.
    for (let i = 0; i < TRIES; i++) {
      known.push(await wrongPassword(KNOWN, i));
      unknown.push(await wrongPassword(`nadie-${i}@example.org`, i));
    }
    const line = (name: string, xs: number[]) => `${name}: median ${median(xs).toFixed(1)} ms, mean ${mean(xs).toFixed(1)} ± ${spread(xs).toFixed(1)} ms`;
    console.log(`sign-in with a wrong password, ${TRIES} tries each — ${line('known', known)}; ${line('unknown', unknown)}`);
    const [a, b] = [median(known), median(unknown)];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThanOrEqual(0.2);
  }, 180_000);
});
