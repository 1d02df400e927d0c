import { createECDH } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const KEY = `{ offlineKey }`;
const keyOf = async (email: string) => JSON.parse((await (await api.as(email)).data<{ offlineKey: string }>(KEY)).offlineKey);

describe('the key that seals what a person keeps on their device', () => {
  it('is the same in two sessions of one person, and a valid P-256 pair', async () => {
    const [first, second] = [await keyOf(demo.member3), await keyOf(demo.member3)];
    expect(second).toEqual(first);
    expect(first).toMatchObject({ kty: 'EC', crv: 'P-256' });
    const curve = createECDH('prime256v1');
    curve.setPrivateKey(Buffer.from(first.d, 'base64url'));
    expect(curve.getPublicKey().subarray(1).toString('base64url')).toBe(Buffer.concat([Buffer.from(first.x, 'base64url'), Buffer.from(first.y, 'base64url')]).toString('base64url'));
  });

  it('is another for another person', async () => {
    const [mine, theirs] = [await keyOf(demo.member3), await keyOf(demo.member2)];
    expect(theirs.d).not.toBe(mine.d);
    expect(theirs.x).not.toBe(mine.x);
  });

  it('is refused signed out, and after sign-out', async () => {
    expect((await api.client().error(KEY)).code).toBe('UNAUTHENTICATED');
    const client = await api.as(demo.member3);
    await client.data(`mutation { signOut }`);
    expect((await client.error(KEY)).code).toBe('UNAUTHENTICATED');
  });

  it('is answered as not to be stored by any cache', async () => {
    const client = await api.as(demo.member3);
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: client.cookie },
      body: JSON.stringify({ query: KEY }),
    });
    expect(response.ok).toBe(true);
    expect(response.headers.get('cache-control')).toMatch(/\bno-store\b/);
  });
});
