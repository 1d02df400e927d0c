import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConsultationRound } from '../../api/src/rounds/round.entity.js';
import { User } from '../../api/src/users/user.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/** The demo's USSPM is released as final (2026.1); its pilot round is resolved, its summary published, its comments public by organization. */
describe.skipIf(!hasBrowser)('the public pages, signed out', () => {
  let platform: Platform;
  let browser: Browser;
  let pilotId: string;
  /** A commenter of the pilot round, whose name the round's setting keeps off the public page. */
  let commenterName: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const em = platform.api.db.orm.em.fork();
    const pilot = await em.findOneOrFail(ConsultationRound, { publishedSummaryAt: { $ne: null }, commentsPublic: true });
    pilotId = pilot.id;
    commenterName = (await em.findOneOrFail(User, { email: 'horizonte@consulta.demo' })).name;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** axe and the layout checks run scripts in the page: only where the page has them. */
  async function checkReach(p: Page, javaScript: boolean) {
    if (!javaScript) return;
    expect(await axeViolations(p)).toEqual([]);
    expect(await scrollsSideways(p)).toBe(false);
  }

  const visitor = async (options: Parameters<typeof newContext>[2] = {}): Promise<Page> => (await newContext(browser, platform.webUrl, options)).newPage();

  for (const javaScript of [true, false]) {
    test(`${javaScript ? 'with' : 'without'} JavaScript: a visitor reads the final standard and downloads it, then a round’s published summary and its public comments; axe 0 on a phone`, async () => {
      const p = await visitor({ javaScript, width: 360 });
      await p.goto('/');
      await p.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Normas y consultas' }).click();
      await p.waitForURL('**/public');
      await checkReach(p, javaScript);

      const usspm = p.getByTestId('public-frameworks').locator('li.card').filter({ hasText: 'definitiva' });
      await usspm.getByRole('link', { name: 'Versión 2026.1' }).click();
      await p.waitForURL('**/public/releases/usspm/2026.1');
      await expect(p.getByTestId('release-state').textContent()).resolves.toContain('Final');
      await expect(p.getByTestId('release-indicators').textContent()).resolves.toContain('1A.1');
      await checkReach(p, javaScript);
      const href = await p.locator('li[lang=fr] a', { hasText: 'JSON' }).getAttribute('href');
      const file = await p.request.get(href!);
      expect(file.status()).toBe(200);
      expect((await file.json()).language).toBe('fr');

      await p.goto('/public');
      await p.getByRole('link', { name: 'Consulta piloto sobre las prácticas de gestión del desempeño social' }).click();
      await p.waitForURL(`**/public/rounds/${pilotId}`);
      await expect(p.getByTestId('public-summary').textContent()).resolves.toContain('Aceptado');
      const authors = await p.getByTestId('public-author').allTextContents();
      expect(authors.length).toBe(4);
      expect(authors.join(' ')).toContain('Horizonte Andino');
      expect(await p.content()).not.toContain(commenterName);
      await checkReach(p, javaScript);
      await p.context().close();
    }, 120_000);
  }

  test('a public page is cacheable signed out (ETag, 304 when unchanged) and never stored signed in', async () => {
    const url = `${platform.webUrl}/public/rounds/${pilotId}`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);

    const p = await visitor();
    await startSession(p, demo.stakeholder);
    const signedIn = await p.request.get(url, { headers: { 'if-none-match': etag! } });
    expect(signedIn.status()).toBe(200);
    expect(signedIn.headers()['cache-control']).toBe('private, no-store');
    expect(signedIn.headers()['etag']).toBeUndefined();
    await p.context().close();
  }, 120_000);

  test('without JavaScript, a facilitator hides the authors, and the public page and its download stop showing organizations', async () => {
    const p = await visitor({ javaScript: false });
    await startSession(p, demo.facilitator, `/rounds/${pilotId}/export`);
    await p.getByLabel('de ningún modo').check();
    await p.getByRole('button', { name: 'Guardar lo que ve el público' }).click();
    await p.getByText('Guardado: las páginas públicas siguen esta configuración.').waitFor();

    const visitorPage = await visitor({ javaScript: false });
    await visitorPage.goto(`/public/rounds/${pilotId}`);
    const authors = await visitorPage.getByTestId('public-author').allTextContents();
    expect(new Set(authors)).toEqual(new Set(['Un participante']));
    const csv = await visitorPage.request.get(`/exports/public/rounds/${pilotId}/comments.csv?language=es`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toContain('revise cada tres años');
    expect(text).not.toContain('Horizonte Andino');
    expect(text).not.toContain(commenterName);
    await p.context().close();
    await visitorPage.context().close();
  }, 120_000);
});
