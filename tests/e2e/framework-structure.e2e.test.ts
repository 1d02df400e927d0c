import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Framework } from '../../api/src/frameworks/framework.entity.js';
import { Section } from '../../api/src/frameworks/section.entity.js';
import { Indicator } from '../../api/src/indicators/indicator.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

const FIELDS = ['TITLE', 'STATEMENT', 'RATIONALE', 'MEASUREMENT', 'VERIFICATION', 'DATA_SOURCE', 'LEVELS'];
const LANGUAGES = ['es', 'en', 'pt', 'fr'];

describe.skipIf(!hasBrowser)('building a framework’s structure in the browser', () => {
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const em = () => platform.api.db.orm.em.fork();
  const counts = async () => ({
    frameworks: await em().count(Framework, {}),
    sections: await em().count(Section, {}),
    indicators: await em().count(Indicator, {}),
  });
  const codesIn = (p: Page, section: string) => p.locator(`[data-testid=section][data-code="${section}"] > ol.indicators > li`).evaluateAll((items) => items.map((li) => li.getAttribute('data-code')));
  const status = (p: Page) => p.getByTestId('structure-done').textContent();
  /** A fact the page reaches after a form is sent: a slow machine may take several seconds (a whole page load without JavaScript). */
  const poll = <T>(fact: () => T | Promise<T>) => expect.poll(fact, { timeout: 15_000 });

  test.each([true, false])('with JavaScript %s: create, nest, rename, add, refuse duplicates, reorder by keyboard and retire', async (javaScript) => {
    const slug = `${javaScript ? 'marco-con-js' : 'marco-sin-js'}-${Date.now().toString(36)}`;
    const p = await (await newContext(browser, platform.webUrl, { javaScript })).newPage();
    await startSession(p, demo.facilitator);
    if (javaScript) await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset, undefined, { timeout: 15_000 });

    // A new framework, first without its name in the source language: refused at the field, nothing stored.
    await p.goto('/frameworks');
    await p.getByRole('link', { name: 'Nuevo marco' }).click();
    await p.waitForURL('**/frameworks/new');
    if (javaScript) expect(await axeViolations(p)).toEqual([]); // axe runs its script in the page; without JavaScript the HTML is the same
    await p.locator('#new-slug').fill(slug);
    await p.locator('#new-name-en').fill('Client protection');
    const before = await counts();
    await p.getByRole('button', { name: 'Crear el marco' }).click();
    await p.getByText('Escriba el nombre en el idioma de origen del marco.').waitFor();
    expect(await counts()).toEqual(before);
    expect(await p.locator('#new-slug').inputValue()).toBe(slug);
    expect(await p.locator('#new-name-es').getAttribute('aria-invalid')).toBe('true');
    if (javaScript) expect(await axeViolations(p)).toEqual([]); // axe runs its script in the page; without JavaScript the HTML is the same
    await p.locator('#new-name-es').fill('Protección al cliente');
    await p.locator('#new-name-fr').fill('Protection des clients');
    await p.getByRole('button', { name: 'Crear el marco' }).click();
    await p.waitForURL(`**/frameworks/${slug}/structure`);
    const framework = await em().findOneOrFail(Framework, { slug });
    expect(framework.name).toEqual({ es: 'Protección al cliente', en: 'Client protection', fr: 'Protection des clients' });

    // An area and a sub-area inside it.
    await p.locator('#add-section-code').fill('PC');
    await p.locator('#add-section-title-es').fill('Precios');
    await p.getByRole('button', { name: 'Añadir la sección' }).click();
    await poll(() => status(p)).toContain('Sección PC añadida.');
    await p.locator('#add-section-code').fill('TR');
    await p.locator('#add-section-title-es').fill('Transparencia');
    await p.getByRole('button', { name: 'Añadir la sección' }).click();
    await poll(() => status(p)).toContain('Sección TR añadida.');
    await p.getByRole('link', { name: 'Añadir una subsección PC' }).click();
    await poll(() => p.locator('#add-section-parent option:checked').textContent()).toContain('PC');
    await p.locator('#add-section-code').fill('PC.1');
    await p.locator('#add-section-title-es').fill('Precios justos');
    await p.locator('#add-section-title-en').fill('Fair prices');
    await p.getByRole('button', { name: 'Añadir la sección' }).click();
    await poll(() => status(p)).toContain('Sección PC.1 añadida.');
    const sub = await em().findOneOrFail(Section, { framework, code: 'PC.1' }, { populate: ['parent'] });
    expect(sub.parent?.getEntity().code).toBe('PC');

    // A duplicate section code is refused next to the code, and nothing is stored.
    const beforeDuplicate = await counts();
    await p.locator('#add-section-code').fill('pc');
    await p.locator('#add-section-title-es').fill('Otra');
    await p.getByRole('button', { name: 'Añadir la sección' }).click();
    await p.locator('#add-section-code-error').getByText('Otra sección de este marco ya usa este código.').waitFor();
    expect(await counts()).toEqual(beforeDuplicate);

    // Renaming the area.
    const area = await em().findOneOrFail(Section, { framework, code: 'PC' });
    await p.locator(`#section-${area.id} > details > summary`).click();
    await p.locator(`#section-${area.id}-title-es`).fill('Precios responsables');
    await p.locator(`#section-${area.id}-title-pt`).fill('Preços responsáveis');
    await p.locator(`#section-${area.id} > details`).getByRole('button', { name: 'Guardar' }).click();
    await poll(() => status(p)).toContain('Sección PC guardada.');
    expect((await em().findOneOrFail(Section, { id: area.id })).title).toEqual({ es: 'Precios responsables', pt: 'Preços responsáveis' });

    // Two indicators in the sub-area: the first with every field in the four languages, both published.
    await p.getByRole('link', { name: 'Añadir un indicador aquí PC.1' }).click();
    await p.locator('#add-indicator-code').fill('pc-01');
    for (const field of FIELDS) for (const l of LANGUAGES) await p.locator(`#add-indicator-${field}-${l}`).fill(`${field} PC-01 ${l}`);
    expect(await p.locator('#add-indicator-section').inputValue()).toBe(sub.id);
    await p.getByLabel('Publicarlo ya como versión 1').check();
    await p.getByRole('button', { name: 'Añadir el indicador' }).click();
    await poll(() => status(p)).toContain('Indicador PC-01 añadido y publicado como versión 1.');
    await p.locator('#add-indicator-code').fill('PC-02');
    await p.locator('#add-indicator-TITLE-es').fill('Tasas efectivas publicadas');
    await p.locator('#add-indicator-section').selectOption(sub.id);
    await p.getByLabel('Publicarlo ya como versión 1').check();
    await p.getByRole('button', { name: 'Añadir el indicador' }).click();
    await poll(() => status(p)).toContain('Indicador PC-02 añadido y publicado como versión 1.');
    const first = await em().findOneOrFail(Indicator, { framework, code: 'PC-01' }, { populate: ['currentVersion'] });
    expect(first.status).toBe('ACTIVE');
    const texts = first.currentVersion!.getEntity().texts;
    expect(Object.keys(texts)).toHaveLength(7);
    expect(texts.LEVELS).toEqual({ es: 'LEVELS PC-01 es', en: 'LEVELS PC-01 en', pt: 'LEVELS PC-01 pt', fr: 'LEVELS PC-01 fr' });

    // A duplicate indicator code is refused next to the code; what was typed stays.
    const beforeCode = await counts();
    await p.locator('#add-indicator-code').fill('pc-01');
    await p.locator('#add-indicator-TITLE-es').fill('Repetido');
    await p.getByRole('button', { name: 'Añadir el indicador' }).click();
    await p.locator('#add-indicator-code-error').getByText('Otro indicador de este marco ya usa este código.').waitFor();
    expect(await counts()).toEqual(beforeCode);
    expect(await p.locator('#add-indicator-TITLE-es').inputValue()).toBe('Repetido');
    if (javaScript) expect(await axeViolations(p)).toEqual([]); // axe runs its script in the page; without JavaScript the HTML is the same

    // Reordering with the keyboard only: focus «Subir PC-02» and press Enter.
    expect(await codesIn(p, 'PC.1')).toEqual(['PC-01', 'PC-02']);
    await p.getByRole('button', { name: 'Subir PC-02' }).focus();
    await p.keyboard.press('Enter');
    await poll(() => codesIn(p, 'PC.1')).toEqual(['PC-02', 'PC-01']);
    await poll(() => status(p)).toContain('PC-02 está ahora en el lugar 1.');
    const second = await em().findOneOrFail(Indicator, { framework, code: 'PC-02' });
    expect(second.position).toBe(0);
    if (javaScript) {
      // The focus stays with the item moved, on the button still there: pressing again moves it back.
      await poll(() => p.evaluate(() => document.activeElement?.id)).toBe(`down-indicator-${second.id}`);
      await p.keyboard.press('Enter');
      await poll(() => codesIn(p, 'PC.1')).toEqual(['PC-01', 'PC-02']);
      await p.getByRole('button', { name: 'Subir PC-02' }).focus();
      await p.keyboard.press('Enter');
      await poll(() => codesIn(p, 'PC.1')).toEqual(['PC-02', 'PC-01']);
    }
    // Sections move the same way.
    await p.getByRole('button', { name: 'Bajar PC', exact: true }).focus();
    await p.keyboard.press('Enter');
    await poll(() => status(p)).toContain('PC está ahora en el lugar 2.');
    await p.getByRole('button', { name: 'Subir PC', exact: true }).focus();
    await p.keyboard.press('Enter');
    await poll(() => status(p)).toContain('PC está ahora en el lugar 1.');

    // Retiring PC-01, confirmed: marked retired here and in the tree, kept with its history.
    await p.locator(`#indicator-${first.id} summary`).click();
    await p.getByRole('button', { name: 'Sí, retirar PC-01' }).click();
    await poll(() => status(p)).toContain('PC-01 retirado');
    await poll(() => p.locator(`#indicator-${first.id} .tag`).textContent()).toBe('Retirado');
    expect((await em().findOneOrFail(Indicator, { id: first.id })).status).toBe('RETIRED');
    if (javaScript) expect(await axeViolations(p)).toEqual([]); // axe runs its script in the page; without JavaScript the HTML is the same
    await p.goto(`/frameworks/${slug}`);
    await poll(() => p.locator('.indicators li', { hasText: 'PC-01' }).textContent()).toContain('Retirado');
    await p.goto(`/frameworks/${slug}/PC-01`);
    await p.getByRole('heading', { level: 1 }).waitFor();
    expect(await p.textContent('main')).toContain('LEVELS PC-01 es');
    await p.context().close();
  }, 240_000);

  test('a stakeholder is refused the new-framework and structure pages', async () => {
    const p = await (await newContext(browser, platform.webUrl)).newPage();
    await startSession(p, demo.stakeholder);
    expect((await p.goto('/frameworks/new'))?.status()).toBe(403);
    expect((await p.goto('/frameworks/spwg-lac-certification/structure'))?.status()).toBe(403);
    await p.goto('/frameworks');
    expect(await p.getByRole('link', { name: 'Nuevo marco' }).count()).toBe(0);
    await p.context().close();
  });
});
