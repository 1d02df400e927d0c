import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Framework } from '../../api/src/frameworks/framework.entity.js';
import { Indicator, IndicatorStatus } from '../../api/src/indicators/indicator.entity.js';
import { Release } from '../../api/src/releases/release.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

const SLUG = 'spwg-lac-certification';
const LIST = `/frameworks/${SLUG}/releases`;

describe.skipIf(!hasBrowser)('releasing a framework in the browser', () => {
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function pageAs(email: string, options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, options)).newPage();
    await startSession(p, email);
    return p;
  }

  test('with JavaScript, a facilitator previews the changes since the demo’s release 2026.1, releases 2026.2 and marks it final; the pages pass axe and the downloads work', async () => {
    const p = await pageAs(demo.facilitator);
    await p.goto(`/frameworks/${SLUG}`);
    await p.getByRole('link', { name: 'Versiones publicadas' }).click();
    await p.waitForURL(`**${LIST}`);
    await expect(p.getByTestId('releases').locator('li').first().textContent()).resolves.toContain('2026.1');
    // Since the demo's release, a ballot approved the revision of RUR-01.
    const rur01 = p.getByTestId('change').filter({ hasText: 'RUR-01' });
    await expect(rur01.textContent()).resolves.toContain('Modificado');
    expect(await axeViolations(p)).toEqual([]);

    await p.locator('#release-number').fill('2026.2');
    await p.locator('#release-notes').fill('Primera versión para el piloto.');
    await p.getByRole('button', { name: 'Publicar versión' }).click();
    await p.getByRole('link', { name: 'Versión 2026.2 publicada.' }).click();
    await p.waitForURL(`**${LIST}/2026.2`);
    await expect(p.getByTestId('release-status').textContent()).resolves.toBe('De trabajo');
    await p.getByText('Primera versión para el piloto.').waitFor();
    expect(await axeViolations(p)).toEqual([]);

    await p.getByRole('button', { name: 'Marcar 2026.2 como FINAL' }).click();
    await p.getByText('La versión 2026.2 es ahora FINAL.').waitFor();
    await expect(p.getByTestId('release-status').textContent()).resolves.toBe('Final');
    expect(await p.getByRole('button', { name: /como FINAL/ }).count()).toBe(0);
    const framework = await platform.api.db.orm.em.fork().findOneOrFail(Framework, { slug: SLUG });
    expect(framework.status).toBe('FINAL');

    // Each download link answers its file, through the web server, with the page's session.
    for (const [format, type] of [['pdf', 'application/pdf'], ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], ['json', 'application/json; charset=utf-8']]) {
      const links = p.getByTestId('downloads').locator(`a[href$=".${format}?language=en"]`);
      expect(await links.count()).toBe(1);
      const res = await p.request.get((await links.getAttribute('href'))!);
      expect(res.status(), format).toBe(200);
      expect(res.headers()['content-type']).toBe(type);
    }
    const json = await (await p.request.get((await p.getByTestId('downloads').locator('a[href$=".json?language=pt"]').getAttribute('href'))!)).json();
    expect(json).toMatchObject({ language: 'pt', release: { number: '2026.2', final: true } });
    await p.context().close();
  }, 180_000);

  test('without JavaScript, bad numbers and a release with no changes are refused at their fields; a later final release supersedes the first', async () => {
    const p = await pageAs(demo.facilitator, { javaScript: false, width: 360 });
    await p.goto(LIST);
    await p.getByTestId('no-changes').waitFor();
    await p.locator('#release-number').fill('2026.3');
    await p.getByRole('button', { name: 'Publicar versión' }).click();
    await p.getByText('Nada cambió desde la última versión publicada: no hay nada que publicar.').waitFor();
    expect(await platform.api.db.orm.em.fork().count(Release, { framework: { slug: SLUG } })).toBe(2);

    // Retiring an indicator is a change the next release records.
    const em = platform.api.db.orm.em.fork();
    const retired = await em.findOneOrFail(Indicator, { code: 'GEN-02' });
    await em.nativeUpdate(Indicator, { id: retired.id }, { status: IndicatorStatus.RETIRED });
    await p.goto(LIST);
    await expect(p.getByTestId('change').textContent()).resolves.toContain('Retirado');

    await p.locator('#release-number').fill('2026');
    await p.getByRole('button', { name: 'Publicar versión' }).click();
    await p.getByText('Escriba el año, un punto y un número, p. ej. 2026.1.').waitFor();
    expect(await p.locator('#release-number').getAttribute('aria-invalid')).toBe('true');
    await p.locator('#release-number').fill('2026.1');
    await p.getByRole('button', { name: 'Publicar versión' }).click();
    await p.getByText('Ya existe una versión publicada con ese número.').waitFor();

    await p.locator('#release-number').fill('2026.3');
    await p.locator('#release-final').check();
    await p.getByRole('button', { name: 'Publicar versión' }).click();
    await p.getByRole('link', { name: 'Versión 2026.3 publicada.' }).waitFor();
    expect(new URL(p.url()).pathname).toBe(LIST);
    const rows = p.getByTestId('releases').locator('li');
    await expect(rows.nth(0).textContent()).resolves.toContain('2026.3');
    await expect(rows.nth(0).textContent()).resolves.toContain('Final');
    await expect(rows.nth(1).textContent()).resolves.toContain('Sustituida por 2026.3');
    expect(await scrollsSideways(p)).toBe(false);

    await p.goto(`${LIST}/2026.3`);
    const change = p.getByTestId('change').filter({ hasText: 'GEN-02' });
    await expect(change.textContent()).resolves.toContain('Retirado');
    expect(await p.getByTestId('change').count()).toBe(1);
    await p.context().close();
  }, 180_000);

  test('a stakeholder reads a release in English, with its texts, changelog and downloads, and no release form', async () => {
    const p = await pageAs(demo.stakeholderEn, { locale: 'en-GB' });
    await p.goto(`${LIST}/2026.1`);
    await p.getByRole('heading', { name: 'Changelog' }).waitFor();
    expect(await p.getByRole('button').filter({ hasText: 'FINAL' }).count()).toBe(0);
    expect(await p.getByTestId('downloads').locator('a').count()).toBe(12);
    expect(await axeViolations(p)).toEqual([]);
    await p.goto(LIST);
    expect(await p.locator('#release-number').count()).toBe(0);
    await p.context().close();
  }, 120_000);
});
