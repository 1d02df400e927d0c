import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

describe.skipIf(!hasBrowser)('standards and indicators in the browser', () => {
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function signedIn(email: string, options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const context = await newContext(browser, platform.webUrl, options);
    const p = await context.newPage();
    await startSession(p, email);
    return p;
  }

  test('a stakeholder opens the framework, opens an indicator and compares two versions', async () => {
    const p = await signedIn(demo.stakeholder);
    await p.goto('/frameworks');
    await p.getByRole('link', { name: /Certificación de desempeño social SPWG LAC/ }).click();
    await p.waitForURL('**/frameworks/spwg-lac-certification');
    expect(await p.getByRole('heading', { level: 2 }).allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Género'), expect.stringContaining('Pobreza'), expect.stringContaining('Desarrollo rural')]));
    expect(await axeViolations(p)).toEqual([]);

    await p.getByRole('link', { name: /GEN-01/ }).click();
    await p.waitForURL('**/frameworks/spwg-lac-certification/GEN-01');
    await expect.poll(() => p.locator('h1').textContent()).toContain('Proporción de nuevas prestatarias mujeres');
    expect(await p.getByRole('heading', { name: 'Historial de versiones' }).isVisible()).toBe(true);
    expect(await p.locator('.history li').count()).toBe(3);

    await p.getByLabel('Versión anterior').selectOption('2');
    await p.getByLabel('Versión posterior').selectOption('3');
    await Promise.all([p.waitForURL(/from=2&to=3/), p.getByRole('button', { name: 'Comparar' }).click()]);
    const diff = p.getByTestId('version-diff');
    expect(await diff.locator('del').allTextContents()).toEqual(['[eliminado: 50]']);
    expect(await diff.locator('ins').allTextContents()).toEqual(['[añadido: 45]']);
    expect(await axeViolations(p)).toEqual([]);
    await p.context().close();
  });

  test('searching for an accent-free word finds the accented one, highlighted', async () => {
    const p = await signedIn(demo.stakeholder);
    await p.goto('/frameworks/spwg-lac-certification');
    await p.getByLabel('Buscar indicadores por palabra o código').fill('genero');
    await Promise.all([p.waitForURL(/\/frameworks\/search\?q=genero/), p.getByRole('button', { name: 'Buscar' }).click()]);
    const results = p.getByTestId('search-results');
    expect(await results.getByRole('listitem').count()).toBeGreaterThan(0);
    expect((await results.locator('mark').allTextContents()).map((m) => m.toLowerCase())).toContain('género');
    await p.context().close();
  });

  test('the framework and indicator pages work without JavaScript and fit a 360 px phone', async () => {
    const p = await signedIn(demo.stakeholderEn, { javaScript: false, width: 360, locale: 'en-GB' });
    await p.goto('/frameworks/spwg-lac-certification/GEN-03');
    await expect.poll(() => p.locator('h1').textContent()).toContain('Portfolio at risk of women borrowers');
    expect(await scrollsSideways(p)).toBe(false);
    await Promise.all([p.waitForURL(/from=1&to=2/), p.getByRole('button', { name: 'Compare' }).click()]);
    expect(await p.getByTestId('version-diff').locator('ins').count()).toBeGreaterThan(0);
    expect(await scrollsSideways(p)).toBe(false);
    await p.context().close();
  });

  test('two facilitators save one draft: the second sees both texts and chooses', async () => {
    const first = await signedIn(demo.facilitator);
    const second = await signedIn('facilitator@consulta.demo'); // reads the site in English
    const url = '/frameworks/spwg-lac-certification/POV-02/draft';
    await first.goto(url);
    await second.goto(url);

    await first.locator('#draft-TITLE-es').fill('Nuevos clientes en situación de pobreza');
    await first.getByRole('button', { name: 'Guardar borrador' }).click();
    await expect.poll(() => first.getByRole('status').textContent()).toContain('Borrador guardado');

    await second.locator('#draft-TITLE-es').fill('Clientes nuevos bajo la línea de pobreza');
    await second.getByRole('button', { name: 'Save draft' }).click();
    const conflict = second.getByTestId('draft-conflict');
    await expect.poll(() => conflict.textContent()).toContain('Your text was not saved');
    // Both texts are on the page: theirs quoted, mine still in the editor.
    expect(await second.locator('#draft-TITLE-es').inputValue()).toBe('Clientes nuevos bajo la línea de pobreza');
    expect(await second.locator('.theirs blockquote').first().textContent()).toBe('Nuevos clientes en situación de pobreza');
    expect(await axeViolations(second)).toEqual([]);

    await second.getByLabel('Take theirs').first().check();
    await second.getByRole('button', { name: 'Save with my choices' }).click();
    await expect.poll(() => second.getByRole('status').textContent()).toContain('Draft saved');
    await second.reload();
    expect(await second.locator('#draft-TITLE-es').inputValue()).toBe('Nuevos clientes en situación de pobreza');

    // Publishing freezes the saved draft as version 2 and shows what changed.
    await first.goto(url);
    await first.getByLabel('Resumen del cambio').fill('Título más corto.');
    await Promise.all([first.waitForURL(/from=1&to=2/), first.getByRole('button', { name: 'Publicar versión' }).click()]);
    expect((await first.getByTestId('version-diff').locator('ins').allTextContents()).join(' ')).toContain('situación');
    await first.context().close();
    await second.context().close();
  });
});
