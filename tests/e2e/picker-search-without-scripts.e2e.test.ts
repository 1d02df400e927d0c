import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Indicator } from '../../api/src/indicators/indicator.entity.js';
import { propose } from '../api/ballots/fixtures.js';
import { assessment, certificationScheme } from '../api/certification/fixtures.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * A picker's own search (organizations, people) beside a form, without JavaScript: searching posts the
 * form around it, which comes back as typed with what the search found; nothing is saved until the
 * form's own button is pressed.
 */
describe.skipIf(!hasBrowser)('a picker search without JavaScript keeps what was typed', () => {
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

  async function facilitator(): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, { width: 360, javaScript: false })).newPage();
    p.setDefaultTimeout(15_000);
    await startSession(p, demo.facilitator);
    return p;
  }
  /**
   * axe on the page as rendered without scripts (axe itself needs them): its HTML, scripts taken out,
   * served at the same address to a page that runs axe, with the site's own style sheets.
   */
  async function axeAsRendered(p: Page): Promise<string[]> {
    const html = (await p.content()).replace(/<script\b[\s\S]*?<\/script>/g, '');
    const context = await newContext(browser, platform.webUrl, { width: 360 });
    const q = await context.newPage();
    await q.route(p.url(), (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await q.goto(p.url());
    const violations = await axeViolations(q);
    await context.close();
    return violations;
  }
  const search = async (p: Page, label: string, text: string) => {
    await p.getByLabel(label).fill(text);
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'Buscar', exact: true }).click()]);
  };

  test('the work plan activity: the typed title, person, status and progress and the ticked partners survive two searches; then saved together', async () => {
    const p = await facilitator();
    await p.goto('/workplan/2012');
    await p.getByRole('link', { name: 'Editar la actividad 4.2' }).click();
    await p.getByLabel('Actividad', { exact: true }).fill('Ayudar a organizar la conferencia regional');
    await p.getByLabel('Persona responsable').fill('Rosa Quispe');
    await p.getByLabel('Estado').selectOption('IN_PROGRESS');
    await p.getByLabel('Avance (0 a 100)').fill('35');
    await search(p, 'Buscar una organización por nombre o sigla', 'Ceibo');
    expect(await p.getByLabel('Buscar una organización por nombre o sigla').inputValue()).toBe('Ceibo');
    expect(await p.getByLabel('Actividad', { exact: true }).inputValue()).toBe('Ayudar a organizar la conferencia regional');
    expect(await p.getByLabel('Persona responsable').inputValue()).toBe('Rosa Quispe');
    expect(await p.getByLabel('Estado').inputValue()).toBe('IN_PROGRESS');
    expect(await p.getByLabel('Avance (0 a 100)').inputValue()).toBe('35');
    await p.getByRole('checkbox', { name: 'Microfinanciera El Ceibo' }).check();
    expect(await axeAsRendered(p)).toEqual([]);

    // Searching again keeps the box ticked while the organization is listed, and still saves nothing.
    await search(p, 'Buscar una organización por nombre o sigla', 'Microfinanciera');
    expect(await p.getByRole('checkbox', { name: 'Microfinanciera El Ceibo' }).isChecked()).toBe(true);
    expect(await p.getByLabel('Persona responsable').inputValue()).toBe('Rosa Quispe');

    await p.getByRole('button', { name: 'Guardar la actividad' }).click();
    await p.waitForURL('**/workplan/2012', { timeout: 10_000 }).catch(async (e) => {
      throw new Error(`not saved: ${await p.getByRole('alert').allTextContents()}`, { cause: e });
    });
    const row = p.getByRole('table', { name: 'Actividades de 2012, por objetivo' }).getByTestId('activity-row').filter({ hasText: 'Ayudar a organizar la conferencia regional' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Microfinanciera El Ceibo');
    await p.context().close();
  }, 90_000);

  test('with JavaScript the search stays a search of its own: the address carries it, the page is not reloaded, and nothing typed is lost', async () => {
    const p = await (await newContext(browser, platform.webUrl, { width: 360 })).newPage();
    await startSession(p, demo.facilitator, '/workplan/2012');
    await p.waitForSelector('html[data-hydrated]');
    await p.getByRole('link', { name: 'Editar la actividad 4.2' }).click();
    await p.waitForURL('**/workplan/2012/activities/**');
    await p.getByLabel('Persona responsable').fill('Con scripts');
    await p.getByLabel('Buscar una organización por nombre o sigla').fill('Ceibo');
    await p.getByRole('button', { name: 'Buscar', exact: true }).click();
    await p.waitForURL((url) => url.searchParams.get('orgq') === 'Ceibo');
    await p.getByRole('checkbox', { name: 'Microfinanciera El Ceibo' }).waitFor();
    expect(await p.getByLabel('Persona responsable').inputValue()).toBe('Con scripts');
    await p.context().close();
  }, 90_000);

  test('the ballot console: the new ballot’s title, revision, quorum and eligibility survive the organizations’ search; the found one is ticked and the ballot created', async () => {
    const api = await platform.api.as(demo.facilitator);
    const indicator = await platform.api.db.orm.em.fork().findOneOrFail(Indicator, { code: 'GEN-02' }, { populate: ['currentVersion'] });
    const revision = await propose(api, indicator.id, indicator.currentVersion!.id, { statement: 'Redacción para probar el buscador sin scripts.' });

    const p = await facilitator();
    await p.goto('/ballots/console');
    const form = p.locator('form#create-ballot');
    await form.getByLabel('Título (español)').fill('Votación sin scripts');
    await form.locator(`input[name="revisionIds"][value="${revision.id}"]`).check();
    await form.getByLabel('Numerador').first().fill('2');
    await form.getByLabel('Las organizaciones elegidas (un voto cada una)').check();
    await search(p, 'Buscar una organización por nombre o sigla', 'Ceibo');

    expect(await form.getByLabel('Título (español)').inputValue()).toBe('Votación sin scripts');
    expect(await form.locator(`input[name="revisionIds"][value="${revision.id}"]`).isChecked()).toBe(true);
    expect(await form.getByLabel('Numerador').first().inputValue()).toBe('2');
    expect(await form.getByLabel('Las organizaciones elegidas (un voto cada una)').isChecked()).toBe(true);
    // The list the search narrowed is open, with what it found.
    await form.getByRole('checkbox', { name: 'Microfinanciera El Ceibo' }).check();
    expect(await axeAsRendered(p)).toEqual([]);

    await Promise.all([p.waitForLoadState('load'), form.getByRole('button', { name: 'Crear en borrador' }).click()]);
    const card = p.getByTestId('console-ballot').filter({ hasText: 'Votación sin scripts' });
    await expect.poll(() => card.count()).toBe(1);
    const { ballots } = await api.data('{ ballots { title { value } eligibility questions { revision { id } } } }');
    const created = ballots.find((b: { title: { value: string } }) => b.title.value === 'Votación sin scripts');
    expect(created).toMatchObject({ eligibility: 'ORGANIZATIONS', questions: [{ revision: { id: revision.id } }] });
    await p.context().close();
  }, 90_000);

  test('the certification committee: the reviewer chosen survives the people’s search, and is assigned', async () => {
    const scheme = await certificationScheme(platform.api);
    const { id } = await assessment(platform.api, scheme);
    const p = await facilitator();
    await p.goto(`/certification/assessments/${id}/committee`);
    await p.getByLabel('Revisor a asignar').selectOption({ label: 'Peter Lindqvist (Calificadora Social Andina)' });
    await search(p, 'Buscar a una persona por nombre', 'Lindqvist');
    expect(await p.getByLabel('Buscar a una persona por nombre').inputValue()).toBe('Lindqvist');
    expect(await p.getByLabel('Revisor a asignar').locator('option:checked').textContent()).toBe('Peter Lindqvist (Calificadora Social Andina)');
    expect(await p.getByTestId('reviewers').count()).toBe(0);
    expect(await axeAsRendered(p)).toEqual([]);

    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'Asignar como revisor' }).click()]);
    await p.getByText('Revisor asignado.').waitFor();
    expect(await p.getByTestId('reviewers').textContent()).toContain('Peter Lindqvist');
    await p.context().close();
  }, 90_000);
});
