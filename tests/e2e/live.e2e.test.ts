import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo, startTestApi, type TestApi } from '../support/api.js';
import { hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import type { GraphQLClient } from '../support/client.js';
import { WEB_DIR } from '../support/platform.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../api/rounds/fixtures.js';
import { sleep, startSecondApi } from '../api/live/live-support.js';

/**
 * Two API processes over one database: the web server talks to `front` (which the test stops and
 * starts again on the same port); `other` stays up, as another replica would.
 */
describe.skipIf(!hasBrowser)('live pages', () => {
  let other: TestApi;
  let front: Awaited<ReturnType<typeof startSecondApi>>;
  let web: ChildProcess;
  let webUrl: string;
  let browser: Browser;
  let fw: FrameworkFixture;
  let roundId: string;
  let stakeholderApi: GraphQLClient;

  const indicatorPath = () => `/rounds/${roundId}/indicators/${fw.areas[0].indicators[0].id}`;
  const comments = (p: Page) => p.locator('.thread-list');

  beforeAll(async () => {
    const webPort = await freePort();
    webUrl = `http://127.0.0.1:${webPort}`;
    other = await startTestApi({ env: { PUBLIC_URL: webUrl } });
    front = await startSecondApi(other, { PUBLIC_URL: webUrl });
    web = spawn(process.execPath, ['server.js'], {
      cwd: WEB_DIR,
      env: { ...process.env, API_URL: front.url, WEB_PORT: String(webPort), WEB_HOST: '127.0.0.1', NODE_ENV: 'production' },
      stdio: 'ignore',
    });
    await waitFor(webUrl);
    browser = await launchBrowser();
    const facilitator = await other.as(demo.facilitator);
    stakeholderApi = await other.as(demo.stakeholderEn);
    fw = await createFramework(other.db.orm, { slug: 'live-e2e', areas: 1, perArea: 2 });
    roundId = (await openRound(facilitator, fw)).id;
  });
  afterAll(async () => {
    await browser?.close();
    web?.kill('SIGTERM');
    await front?.stop();
    await other?.stop();
  });

  async function signedIn(email: string) {
    const p = await (await newContext(browser, webUrl)).newPage();
    await startSession(p, email, indicatorPath());
    return p;
  }

  const commentThroughPage = async (p: Page, body: string) => {
    await p.locator('#comment-body').fill(body);
    await p.getByRole('button', { name: 'Enviar comentario' }).click();
  };

  let attempt = 0;
  test('one person comments and another sees it appear without reloading; while typing, a marker waits instead', async () => {
    // A retry finds the first attempt's comments on the page: its own texts tell them apart.
    const tag = `#${++attempt}`;
    const first = `Propongo medir la retención a doce meses ${tag}.`;
    const second = `Y la cartera en riesgo de las mujeres ${tag}.`;
    const writer = await signedIn(demo.stakeholder);
    const reader = await signedIn(demo.member);
    let reloads = 0;
    reader.on('load', () => reloads++);

    await commentThroughPage(writer, first);
    await expect.poll(() => comments(reader).textContent(), { timeout: 5000 }).toContain(first);

    // The reader is writing: the list must not move; a marker counts what arrived.
    await reader.locator('#comment-body').fill('Estoy escribiendo mi propio comentario');
    await reader.locator('#comment-body').focus();
    await commentThroughPage(writer, second);
    const marker = reader.getByRole('button', { name: /1 comentario nuevo/ });
    await expect.poll(() => marker.count(), { timeout: 5000 }).toBe(1);
    expect(await comments(reader).textContent()).not.toContain(second);
    expect(await reader.locator('#comment-body').inputValue()).toBe('Estoy escribiendo mi propio comentario');
    await marker.click();
    await expect.poll(() => comments(reader).textContent(), { timeout: 5000 }).toContain(second);
    expect(reloads).toBe(0);
  });

  let gapAttempt = 0;
  test('a comment committed after the page read its data, before its live feed started, appears without a reload', async () => {
    const reader = await (await newContext(browser, webUrl)).newPage();
    await startSession(reader, demo.member);
    // The page's scripts, and so its live feed, are held back until a comment its data does not hold
    // has been committed: the gap between a page's data read and its feed's start, made wide.
    let requested!: () => void;
    const scriptsRequested = new Promise<void>((resolve) => (requested = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await reader.route('**/_app/immutable/**', async (route) => {
      requested();
      await held;
      await route.continue();
    });
    await reader.goto(indicatorPath(), { waitUntil: 'commit' });
    await scriptsRequested;
    // Gone if the page were loaded again: the comment must come in through the live feed.
    await reader.evaluate(() => ((window as { samePage?: boolean }).samePage = true));
    const body = `Escrito entre la lectura de la página y el inicio de su seguimiento #${++gapAttempt}.`;
    await stakeholderApi.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body } });
    expect(await comments(reader).textContent()).not.toContain(body);
    release();
    await expect.poll(() => comments(reader).textContent(), { timeout: 10_000 }).toContain(body);
    expect(await reader.evaluate(() => (window as { samePage?: boolean }).samePage)).toBe(true);
    await reader.context().close();
  });

  test('on a slow link, a reply arriving while the next page loads does not cancel the click that asked for it', async () => {
    const version = fw.areas[0].indicators[0].versionId;
    const { addComment } = await stakeholderApi.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: version, type: 'GENERAL', body: 'Un comentario al que alguien responderá.' } });
    for (const width of [390, 1280]) {
      const reader = await (await newContext(browser, webUrl, { width })).newPage();
      await startSession(reader, demo.member, indicatorPath());
      await reader.locator('[data-live="live"]').waitFor({ state: 'attached' });

      // The round page's data is held back until the reply has reached this page (its marker shows:
      // the page noted it and set its 250 ms reload timer) and a page timer due after that one has
      // fired: past the moment the reply would reload this page.
      await reader.route(
        (url) => url.pathname === `/rounds/${roundId}/__data.json`,
        async (route) => {
          await reader.locator('.live-marker').waitFor({ timeout: 15_000 });
          await reader.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
          await route.continue();
        },
      );
      await reader.locator('p.meta a', { hasText: 'Ronda de prueba' }).click();
      await stakeholderApi.data(`mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`, { input: { parentId: addComment.id, body: `Respuesta a ${width} px` } });
      await reader.waitForURL((url) => url.pathname === `/rounds/${roundId}`, { timeout: 15_000 });
      await expect.poll(() => reader.locator('h1').textContent(), { timeout: 5000 }).toContain('Ronda de prueba');
      await reader.context().close();
    }
  });

  test('the API stops and starts again; the page reconnects by itself and catches up on what it missed', async () => {
    const reader = await signedIn(demo.member);
    let reloads = 0;
    reader.on('load', () => reloads++);
    await reader.locator('[data-live="live"]').waitFor({ state: 'attached' });

    await front.stop();
    await expect.poll(() => reader.getByRole('status').filter({ hasText: /Reconectando/ }).count(), { timeout: 5000 }).toBeGreaterThan(0);
    // Written through another replica while the reader's API is down.
    const body = 'Escrito mientras la API del lector estaba caída.';
    await stakeholderApi.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body } });
    front = await startSecondApi(other, { PUBLIC_URL: webUrl }, front.port);

    // Backoff with jitter: after a few seconds of downtime the next try can be up to 15 s away.
    await expect.poll(() => comments(reader).textContent(), { timeout: 45_000 }).toContain(body);
    expect(await reader.getByRole('status').filter({ hasText: /Reconectando/ }).count()).toBe(0);
    expect(reloads).toBe(0);
  }, 120_000);

  let downAttempt = 0;
  test('"show" pressed while the API is down keeps the page as it is, says it is reconnecting, and shows the changes once it is back', async () => {
    const reader = await signedIn(demo.member);
    await reader.locator('[data-live="live"]').waitFor({ state: 'attached' });
    // The reader is writing: the comment waits behind the marker.
    await reader.locator('#comment-body').fill('Estoy escribiendo');
    await reader.locator('#comment-body').focus();
    const body = `Llegó justo antes de que cayera la API del lector #${++downAttempt}.`;
    await stakeholderApi.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body } });
    const marker = reader.locator('.live-marker');
    await marker.waitFor();

    await front.stop();
    // Started again whatever happens here: the next tests need it.
    try {
      await reader.locator('[data-live="reconnecting"]').waitFor({ state: 'attached', timeout: 5000 });
      let dataRequests = 0;
      reader.on('request', (request) => void (new URL(request.url()).pathname.endsWith('/__data.json') && dataRequests++));
      await marker.click();
      // A reload now would fail and put the error page in place of this one.
      await sleep(1500);
      expect(dataRequests).toBe(0);
      expect(await reader.locator('h1').textContent()).toContain(fw.areas[0].indicators[0].code);
      expect(await reader.getByRole('status').filter({ hasText: /Reconectando/ }).count()).toBeGreaterThan(0);
    } finally {
      front = await startSecondApi(other, { PUBLIC_URL: webUrl }, front.port);
    }
    await expect.poll(() => comments(reader).textContent(), { timeout: 45_000 }).toContain(body);
    await reader.context().close();
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { redirect: 'manual' })).status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`the web server did not answer at ${url}`);
}
