import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { hasBrowser, launchBrowser, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/** The indicator page's first visit, compressed, with its scripts, styles and live updates. */
const FIRST_VISIT_BUDGET = 150 * 1024;

/**
 * Bytes on the wire for the main pages, as a phone on a paid link pays them: a first visit with an
 * empty cache, then a repeat visit (the hashed scripts and styles come from the HTTP cache). Counted
 * from Chromium's network events (encoded, i.e. compressed, lengths); an unchanged page is revalidated
 * by its ETag (304). The service worker is left out: it fetches a page once and keeps a clone, so it
 * adds nothing to a full page load. With Save-Data, no live updates (their code and WebSocket).
 */
describe.skipIf(!hasBrowser)('page weight', () => {
  let platform: Platform;
  let browser: Browser;
  let paths: Record<string, string>;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const client = await platform.api.as(demo.facilitator);
    const { rounds } = await client.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } ballots { id } }`);
    const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    const usspm = rounds.find((r: any) => r.framework.slug === 'usspm');
    const { ballots } = await client.data(`{ ballots { id } }`);
    paths = {
      round: `/rounds/${spwg.id}`,
      indicator: `/rounds/${spwg.id}/indicators/${spwg.indicators[0].indicator.id}`,
      ratings: `/rounds/${usspm.id}/ratings`,
      ...(ballots[0] ? { ballot: `/ballots/${ballots[0].id}` } : {}),
      registry: '/certification/registry',
    };
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** The bytes of a visit, and each response's, so a page that grows says what grew. */
  async function weigh(page: Page, path: string, fresh: boolean): Promise<{ bytes: number; largest: string }> {
    // From another page of the site: going to the same address again is not a visit Chromium reports in full.
    await page.goto('/signin?weigh');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    if (fresh) await cdp.send('Network.clearBrowserCache');
    const urls = new Map<string, string>();
    const sizes: [string, number][] = [];
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, new URL(e.request.url).pathname));
    cdp.on('Network.loadingFinished', (e) => sizes.push([urls.get(e.requestId) ?? '?', e.encodedDataLength]));
    await page.goto(path, { waitUntil: 'networkidle' });
    await cdp.detach();
    const largest = sizes
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([url, n]) => `${url.replace(/^.*\//, '') || url} ${(n / 1024).toFixed(1)}`)
      .join(', ');
    return { bytes: sizes.reduce((sum, [, n]) => sum + n, 0), largest };
  }

  test.each([false, true])('first and repeat visits (data saver: %s); the indicator page stays under 150 KB on a first visit and 100 KB on a repeat one', async (saveData) => {
    const context = await browser.newContext({ baseURL: platform.webUrl, serviceWorkers: 'block', locale: 'es-ES', viewport: { width: 360, height: 740 }, extraHTTPHeaders: saveData ? { 'Save-Data': 'on' } : {} });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await startSession(page, demo.stakeholder);
    const rows: string[] = [];
    for (const [name, path] of Object.entries(paths)) {
      const first = await weigh(page, path, true);
      const repeat = await weigh(page, path, false);
      rows.push(`${name.padEnd(10)} first ${(first.bytes / 1024).toFixed(1).padStart(7)} KB   repeat ${(repeat.bytes / 1024).toFixed(1).padStart(7)} KB   largest first: ${first.largest}`);
      if (name === 'indicator') {
        expect(repeat.bytes).toBeLessThan(100 * 1024);
        // A first visit's budget: the shared and live code once grew by 40 KB unnoticed (a whole-module import).
        expect(first.bytes).toBeLessThan(FIRST_VISIT_BUDGET);
        // Live updates follow the page unless data saver is on.
        await expect.poll(() => page.locator('.live[data-live]').count()).toBe(saveData ? 0 : 1);
      }
    }
    console.log(`page weight, Save-Data ${saveData ? 'on' : 'off'}:\n${rows.join('\n')}`);
    await context.close();
  });
});
