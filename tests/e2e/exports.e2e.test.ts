import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { ACCENTED, seedExportRound, type SeededRound } from '../api/exports/fixtures.js';

describe.skipIf(!hasBrowser)('exports in the browser', () => {
  let platform: Platform;
  let browser: Browser;
  let seeded: SeededRound;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    seeded = await seedExportRound(platform.api, 'export-e2e');
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function pageAs(email: string, options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const context = await newContext(browser, platform.webUrl, { ...options });
    const p = await context.newPage();
    await startSession(p, email);
    return p;
  }

  test('a facilitator downloads the table as CSV and a filtered workbook, from a page that works at 360 px with no accessibility violations', async () => {
    const facilitator = await pageAs(demo.facilitator, { width: 360 });
    await facilitator.goto(`/rounds/${seeded.roundId}/export`);
    await expect(facilitator.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Exportar la retroalimentación consolidada');
    expect(await axeViolations(facilitator)).toEqual([]);
    expect(await scrollsSideways(facilitator)).toBe(false);

    const [csv] = await Promise.all([facilitator.waitForEvent('download'), facilitator.getByTestId('download-csv').click()]);
    expect(csv.suggestedFilename()).toBe('disposicion-de-comentarios - Ronda de prueba.csv');
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain(ACCENTED);

    // The form: Excel, in English, technical comments only.
    await facilitator.getByLabel('Excel (resumen y una hoja por área)').check();
    await facilitator.getByLabel('Idioma del archivo').selectOption('en');
    await facilitator.getByLabel('Técnico').check();
    const [xlsx] = await Promise.all([facilitator.waitForEvent('download'), facilitator.getByRole('button', { name: 'Descargar' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('disposition-of-comments - Test round.xlsx');
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');
  }, 180_000);

  test('without JavaScript, a facilitator publishes the summary and a stakeholder then reads what was done with each comment', async () => {
    const stakeholder = await pageAs(demo.stakeholder, { javaScript: false });
    await stakeholder.goto(`/rounds/${seeded.roundId}/summary`);
    await stakeholder.getByText('El resumen de esta ronda todavía no se ha publicado.').waitFor();

    const facilitator = await pageAs(demo.facilitator, { javaScript: false });
    await facilitator.goto(`/rounds/${seeded.roundId}/export`);
    await facilitator.getByRole('button', { name: 'Publicar el resumen' }).click();
    await facilitator.getByText(/^Publicado el /).waitFor();

    await stakeholder.goto(`/rounds/${seeded.roundId}/summary`);
    await expect(stakeholder.getByTestId('summary-total').textContent()).resolves.toBe('5 comentarios, 1 retirado');
    const items = stakeholder.getByTestId('summary-comment');
    expect(await items.count()).toBe(5);
    const anchored = items.filter({ hasText: ACCENTED });
    await expect(anchored.textContent()).resolves.toContain('Aceptado');
    await expect(anchored.textContent()).resolves.toContain('Recogido en la revisión A0-01 v2');
  }, 180_000);
});
