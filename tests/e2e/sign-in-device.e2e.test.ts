import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo, DEMO_PASSWORD } from '../support/api.js';
import { hasBrowser, launchBrowser, newContext, signIn } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * OWASP's device cookie through the web: the sign-in form action passes the API's device cookie on to
 * the browser and the browser's back to the API, so a person under a password-guessing attack still
 * signs in at their own browser.
 */
describe.skipIf(!hasBrowser)('signing in during an attack on the account', () => {
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform({
      env: { RATE_LIMIT_SIGN_IN_EMAIL_NETWORK: '10/60', RATE_LIMIT_SIGN_IN_IP: '50/60', RATE_LIMIT_SIGN_IN_EMAIL: '6/60', RATE_LIMIT_SIGN_IN_DEVICE: '10/60' },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });

  /** A wrong guess at the API from elsewhere; its error code. */
  async function guess(network: string): Promise<string> {
    const res = await fetch(platform.api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': network },
      body: JSON.stringify({ query: `mutation($input: SignInInput!) { signIn(input: $input) { id } }`, variables: { input: { email: demo.member2, password: 'a-wrong-guess' } } }),
    });
    return ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code;
  }

  async function tryToSignIn(p: Page) {
    await p.goto('/signin');
    await p.locator('#email').fill(demo.member2);
    await p.locator('#password').fill(DEMO_PASSWORD);
    await p.locator('main button[type=submit]').click();
  }

  test('the owner signs in at the browser they used before; a new browser waits', async () => {
    const own = await newContext(browser, platform.webUrl);
    const ownPage = await own.newPage();
    await signIn(ownPage, demo.member2);
    const device = (await own.cookies()).find((c) => c.name === 'consulta_device');
    expect(device?.httpOnly).toBe(true);
    await ownPage.locator('header form[action="/signout"] button').click();
    await poll(async () => (await own.cookies()).map((c) => c.name)).not.toContain('consulta_session');
    expect((await own.cookies()).map((c) => c.name)).toContain('consulta_device');

    // Someone guesses the password from three networks until the e-mail is held back for browsers it does not know.
    const codes: string[] = [];
    for (const network of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) for (let i = 0; i < 3; i++) codes.push(await guess(network));
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(6);
    expect(codes.slice(6)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);

    const stranger = await newContext(browser, platform.webUrl);
    const strangerPage = await stranger.newPage();
    await tryToSignIn(strangerPage);
    await poll(() => strangerPage.getByRole('alert').textContent()).toContain('Demasiados intentos');

    await tryToSignIn(ownPage);
    await ownPage.waitForURL((url) => url.pathname !== '/signin');
    await poll(() => ownPage.getByTestId('viewer').textContent()).toContain('Miembro del grupo de trabajo');
    await own.close();
    await stranger.close();
  });
});
