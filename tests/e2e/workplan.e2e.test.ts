import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

describe.skipIf(!hasBrowser)('the work plan in the browser', () => {
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

  async function page(email: string, options: { javaScript?: boolean } = {}): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, { width: 360, ...options })).newPage();
    await startSession(p, email);
    return p;
  }

  test('a member reads the 2012 plan on a phone: the timeline is a named picture and the table says the same, overdue marked; no axe violations', async () => {
    const p = await page(demo.member);
    await p.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Plan de trabajo' }).click();
    await p.getByRole('link', { name: 'Plan de trabajo 2012 del SPWG LAC' }).click();
    await p.waitForURL('**/workplan/2012');
    const timeline = p.getByRole('img', { name: /Cronograma de 7 actividades en 2012/ });
    await expect.poll(() => timeline.count()).toBe(1);
    expect(await p.locator('svg.timeline rect.bar').count()).toBe(7);
    const table = p.getByRole('table', { name: 'Actividades de 2012, por objetivo' });
    expect(await table.getByTestId('activity-row').count()).toBe(7);
    expect(await table.getByRole('rowheader').allTextContents()).toEqual(expect.arrayContaining(['1.1', '5.1']));
    expect(await table.getByTestId('overdue').count()).toBe(2);
    expect(await table.getByRole('link', { name: 'Reunión regional anual del SPWG LAC' }).count()).toBe(1);
    expect(await p.getByRole('link', { name: 'Descargar el plan (XLSX)' }).getAttribute('href')).toBe('/exports/workplan/2012.xlsx');
    // A member reads; the forms are the facilitators'.
    expect(await p.getByRole('button', { name: 'Agregar un objetivo' }).count()).toBe(0);
    expect(await scrollsSideways(p)).toBe(false);
    expect(await axeViolations(p)).toEqual([]);
    const download = await p.request.get('/exports/workplan/2012.xlsx');
    expect(download.status()).toBe(200);
  }, 120_000);

  test('a stakeholder has no work plan: no link, and the page is refused', async () => {
    const p = await page(demo.stakeholder);
    expect(await p.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Plan de trabajo' }).count()).toBe(0);
    const response = await p.goto('/workplan/2012');
    expect(response?.status()).toBe(403);
  });

  test('a facilitator edits the plan without JavaScript: adds an objective, and gives an activity a partner found with the picker; the plan page shows both', async () => {
    const p = await page(demo.facilitator, { javaScript: false });
    await p.goto('/workplan/2012');
    const adding = p.locator('form[action="?/addObjective"]');
    await adding.getByLabel('Título del objetivo').fill('Evaluar el piloto de certificación');
    await adding.getByRole('button', { name: 'Agregar un objetivo' }).click();
    // Back on the plan's own address, not on ?/addObjective, where a reload would add it again.
    await p.waitForURL('**/workplan/2012', { timeout: 10_000 });
    const table = p.getByRole('table', { name: 'Actividades de 2012, por objetivo' });
    await expect.poll(() => table.getByText('Objetivo 6: Evaluar el piloto de certificación').count()).toBe(1);

    await p.getByRole('link', { name: 'Editar la actividad 4.2' }).click();
    await p.getByLabel('Buscar una organización por nombre o sigla').fill('Ceibo');
    await p.getByRole('button', { name: 'Buscar', exact: true }).click();
    await p.getByRole('checkbox', { name: 'Microfinanciera El Ceibo' }).check();
    await p.getByRole('button', { name: 'Guardar la actividad' }).click();
    await p.waitForURL('**/workplan/2012', { timeout: 10_000 });
    expect(await table.getByTestId('activity-row').filter({ hasText: 'Ayudar a organizar la conferencia' }).textContent()).toContain('COPEME, Microfinanciera El Ceibo');
  }, 60_000);
});
