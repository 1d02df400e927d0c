import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Seal } from '../../api/src/certification/seal.entity.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/** The demo's pilot: Crecer Juntas (PE) holds seals in USSPM areas 3 and 4; Horizonte Andino is under review, Momotombo answering. */
describe.skipIf(!hasBrowser)('the public certification pages, signed out', () => {
  let platform: Platform;
  let browser: Browser;
  let code: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const em = platform.api.db.orm.em.fork();
    code = (await em.findOneOrFail(Seal, { schemeArea: { code: '3' } })).code;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const visitor = async (options: Parameters<typeof newContext>[2] = {}): Promise<Page> => (await newContext(browser, platform.webUrl, options)).newPage();

  test('the registry lists the certified institution only; it and the verification page pass axe and fit a phone', async () => {
    const p = await visitor({ width: 360 });
    await p.goto('/certification/registry');
    const registry = p.getByTestId('registry');
    await expect(registry.locator('h3').allTextContents()).resolves.toEqual(['Crecer Juntas Microfinanzas (CJM)']);
    await expect(registry.textContent()).resolves.toContain('Vigente');
    expect(await p.getByText('Horizonte Andino').count()).toBe(0);
    expect(await p.getByText('Momotombo').count()).toBe(0);
    expect(await axeViolations(p)).toEqual([]);
    expect(await scrollsSideways(p)).toBe(false);
    await p.goto(`/certification/verify?code=${code}`);
    await expect(p.getByTestId('verification').textContent()).resolves.toContain('Sello válido hoy.');
    expect(await axeViolations(p)).toEqual([]);
    expect(await scrollsSideways(p)).toBe(false);
  }, 120_000);

  test('without JavaScript, the registry filters by area and a code typed loosely verifies', async () => {
    const p = await visitor({ javaScript: false });
    await p.goto('/certification/registry');
    await p.getByLabel('Área').selectOption('4');
    await p.getByRole('button', { name: 'Filtrar' }).click();
    await p.waitForURL('**/certification/registry?area=4**');
    const rows = p.getByTestId('registry').locator('tbody th');
    await expect(rows.allTextContents()).resolves.toHaveLength(1);
    await expect(rows.first().textContent()).resolves.toMatch(/^4 · /);

    await p.goto('/certification/verify');
    await p.getByLabel('Código de verificación').fill(code.replace('-', ' ').toLowerCase());
    await p.getByRole('button', { name: 'Verificar', exact: true }).click();
    await p.waitForURL('**/certification/verify?code=**');
    await expect(p.getByTestId('verification').textContent()).resolves.toContain('Sello válido hoy.');
    await expect(p.getByTestId('verification').textContent()).resolves.toContain('Crecer Juntas Microfinanzas');
  }, 120_000);

  test('with JavaScript, in English, an unknown code says so and a printed one verifies', async () => {
    const p = await visitor({ locale: 'en-GB' });
    await p.goto('/certification/verify?code=ZZZZZ-ZZZZZ');
    await expect(p.getByTestId('verification').textContent()).resolves.toContain('No seal has this code.');
    await p.getByLabel('Verification code').fill(code);
    await p.getByRole('button', { name: 'Verify', exact: true }).click();
    await p.waitForURL((url) => url.searchParams.get('code') === code);
    await p.getByText('Seal valid today.').waitFor();
  }, 120_000);
});
