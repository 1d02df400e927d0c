import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { hasBrowser, launchBrowser, signIn } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

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

  async function weigh(page: Page, path: string, fresh: boolean): Promise<number> {
    // From another page of the site: going to the same address again is not a visit Chromium reports in full.
    await page.goto('/signin?weigh');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    if (fresh) await cdp.send('Network.clearBrowserCache');
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
    await page.goto(path, { waitUntil: 'networkidle' });
    await cdp.detach();
    return bytes;
  }

  test.each([false, true])('first and repeat visits (data saver: %s); the indicator page stays under 100 KB on a repeat visit', async (saveData) => {
    const context = await browser.newContext({ baseURL: platform.webUrl, serviceWorkers: 'block', locale: 'es-ES', viewport: { width: 360, height: 740 }, extraHTTPHeaders: saveData ? { 'Save-Data': 'on' } : {} });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await signIn(page, demo.stakeholder);
    const rows: string[] = [];
    for (const [name, path] of Object.entries(paths)) {
      const first = await weigh(page, path, true);
      const repeat = await weigh(page, path, false);
      rows.push(`${name.padEnd(10)} first ${(first / 1024).toFixed(1).padStart(7)} KB   repeat ${(repeat / 1024).toFixed(1).padStart(7)} KB`);
      if (name === 'indicator') {
        expect(repeat).toBeLessThan(100 * 1024);
        // Live updates follow the page unless data saver is on.
        await expect.poll(() => page.locator('.live[data-live]').count()).toBe(saveData ? 0 : 1);
      }
    }
    console.log(`page weight, Save-Data ${saveData ? 'on' : 'off'}:\n${rows.join('\n')}`);
    await context.close();
  });
});
