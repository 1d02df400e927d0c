import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import type { GraphQLClient } from '../support/client.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, signIn, type ContextOptions } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * The certification pilot in the browser, on the demo's data: Momotombo (NI) is answering its
 * self-assessment of USSPM areas 3 and 4. It answers as plain HTML and with the autosave (offline
 * and a stale save included), submits, and goes through review and the committee's decision to a seal
 * on the public registry that verifies signed out.
 */
const MOMOTOMBO = 'momotombo@consulta.demo';
const REVIEWER = demo.stakeholderEn;

describe.skipIf(!hasBrowser)('certifying an institution', () => {
  let platform: Platform;
  let browser: Browser;
  let institution: GraphQLClient;
  let assessmentId: string;
  let indicatorId: (code: string) => string;
  const answers = async () =>
    (await institution.data(`query($id: ID!) { certificationAssessment(id: $id) { answers { judgment reportedValue notes revision evidence { kind description } schemeIndicator { code } } } }`, { id: assessmentId }))
      .certificationAssessment.answers as { judgment: string; reportedValue: number | null; notes: string; revision: number; evidence: { kind: string; description: string }[]; schemeIndicator: { code: string } }[];
  const answerOf = async (code: string) => (await answers()).find((a) => a.schemeIndicator.code === code);

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    institution = await platform.api.as(MOMOTOMBO);
    const { certificationAssessments } = await institution.data(`{ certificationAssessments { id organization { name } areas { schemeArea { indicators { id code } } } } }`);
    const own = certificationAssessments.find((a: any) => a.organization.name === 'Crédito Solidario Momotombo');
    assessmentId = own.id;
    const ids = new Map<string, string>(own.areas.flatMap((a: any) => a.schemeArea.indicators.map((i: any) => [i.code, i.id])));
    indicatorId = (code) => ids.get(code)!;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function pageAs(email: string, options: ContextOptions = {}): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, options)).newPage();
    await signIn(p, email);
    return p;
  }
  const areaPage = (code: string) => `/certification/assessments/${assessmentId}/areas/${code}`;
  const indicator = (p: Page, code: string): Locator => p.getByTestId(`indicator-${code}`);
  const accessible = async (p: Page) => expect(await axeViolations(p)).toEqual([]);

  test('without JavaScript, an answer posts and comes back to its indicator; a bad value and a stale save say so', async () => {
    const p = await pageAs(MOMOTOMBO, { javaScript: false });
    await p.goto('/certification');
    await p.getByRole('link', { name: 'Crédito Solidario Momotombo' }).click();
    await p.getByRole('link', { name: 'Seguir respondiendo' }).first().click();
    await p.waitForURL(`**${areaPage('3')}`);

    const gen = indicator(p, '3A.2');
    await gen.getByLabel('Cumple parcialmente').check();
    await gen.getByLabel('Notas').fill('Metas sociales en el plan operativo, sin seguimiento trimestral todavía.');
    await gen.getByLabel('Descripción de la línea 1').fill('Plan operativo 2026');
    await gen.getByRole('button', { name: 'Guardar esta respuesta' }).click();
    await p.waitForURL((url) => url.hash === '#indicator-3A.2');
    await expect(indicator(p, '3A.2').getByRole('status').textContent()).resolves.toContain('Respuesta guardada.');
    expect(await answerOf('3A.2')).toMatchObject({ judgment: 'PARTIALLY_MET', revision: 1, evidence: [{ kind: 'DOCUMENT', description: 'Plan operativo 2026' }] });
    // The saved line is shown, with one empty line more to add another.
    await expect(indicator(p, '3A.2').getByLabel('Descripción de la línea 1').inputValue()).resolves.toBe('Plan operativo 2026');
    await expect(indicator(p, '3A.2').getByLabel('Descripción de la línea 2').inputValue()).resolves.toBe('');

    await indicator(p, '3A.3').getByLabel('Valor reportado').fill('sesenta');
    await indicator(p, '3A.3').getByRole('button', { name: 'Guardar esta respuesta' }).click();
    await expect(indicator(p, '3A.3').textContent()).resolves.toContain('Escriba un número');
    expect(await answerOf('3A.3')).toMatchObject({ reportedValue: 61.5, revision: 1 });

    // Someone else saves 3B.1 after this page was shown: the late save shows both versions and keeps mine to choose.
    await p.goto(areaPage('3'));
    await institution.data(`mutation($input: SaveAnswerInput!) { saveAnswer(input: $input) { revision } }`, {
      input: { assessmentId, schemeIndicatorId: indicatorId('3B.1'), judgment: 'MET', notes: 'Política de género aprobada.', expectedRevision: 0 },
    });
    await indicator(p, '3B.1').getByLabel('No cumple').check();
    await indicator(p, '3B.1').getByLabel('Notas').fill('Aún sin política aprobada.');
    await indicator(p, '3B.1').getByRole('button', { name: 'Guardar esta respuesta' }).click();
    const conflict = p.getByTestId('answer-conflict');
    await expect(conflict.textContent()).resolves.toContain('Política de género aprobada.');
    await expect(conflict.textContent()).resolves.toContain('Aún sin política aprobada.');
    expect(await answerOf('3B.1')).toMatchObject({ judgment: 'MET', revision: 1 });
    await indicator(p, '3B.1').getByRole('button', { name: 'Guardar mi versión' }).click();
    await p.waitForURL((url) => url.hash === '#indicator-3B.1');
    expect(await answerOf('3B.1')).toMatchObject({ judgment: 'NOT_MET', notes: 'Aún sin política aprobada.', revision: 2 });
    await p.context().close();
  }, 120_000);

  test('with JavaScript, answers save themselves, wait out a dropped connection, and a stale one lets the person choose', async () => {
    const p = await pageAs(MOMOTOMBO);
    await p.goto(areaPage('4'));
    await accessible(p);
    await indicator(p, '4A.3').getByLabel('Cumple', { exact: true }).check();
    await expect.poll(() => indicator(p, '4A.3').getByTestId('save-state').textContent(), { timeout: 15_000 }).toContain('Guardada');
    expect(await answerOf('4A.3')).toMatchObject({ judgment: 'MET', revision: 1 });

    // Offline: the answer is kept on the device, said so, and sent once the connection is back.
    await p.context().setOffline(true);
    await indicator(p, '4B.1').getByLabel('Cumple', { exact: true }).check();
    await indicator(p, '4B.1').getByLabel('Notas').fill('Hoja resumen entregada con cada desembolso.');
    await expect.poll(() => indicator(p, '4B.1').getByTestId('save-state').textContent(), { timeout: 15_000 }).toContain('Sin conexión');
    expect(await answerOf('4B.1')).toBeUndefined();
    await p.context().setOffline(false);
    await expect.poll(() => indicator(p, '4B.1').getByTestId('save-state').textContent(), { timeout: 40_000 }).toContain('Guardada');
    expect(await answerOf('4B.1')).toMatchObject({ judgment: 'MET', notes: 'Hoja resumen entregada con cada desembolso.', revision: 1 });

    // A quantitative indicator: the value, judged against its threshold by the scheme.
    await indicator(p, '4B.3').getByLabel('Valor reportado').fill('7,5');
    await expect.poll(() => indicator(p, '4B.3').getByTestId('save-state').textContent(), { timeout: 15_000 }).toContain('Guardada');
    expect(await answerOf('4B.3')).toMatchObject({ judgment: 'MET', reportedValue: 7.5 });

    // Saved elsewhere meanwhile: both versions are shown; keeping mine saves it over theirs.
    await institution.data(`mutation($input: SaveAnswerInput!) { saveAnswer(input: $input) { revision } }`, {
      input: { assessmentId, schemeIndicatorId: indicatorId('4A.3'), judgment: 'NOT_MET', notes: 'Revisado por la gerencia.', expectedRevision: 1 },
    });
    await indicator(p, '4A.3').getByLabel('Notas').fill('Alertas tempranas activas en consumo y microempresa.');
    const conflict = indicator(p, '4A.3').getByTestId('answer-conflict');
    await expect.poll(() => conflict.textContent(), { timeout: 15_000 }).toContain('Revisado por la gerencia.');
    await accessible(p);
    await indicator(p, '4A.3').getByRole('button', { name: 'Guardar mi versión' }).click();
    await expect.poll(() => indicator(p, '4A.3').getByTestId('save-state').textContent(), { timeout: 15_000 }).toContain('Guardada');
    expect(await answerOf('4A.3')).toMatchObject({ judgment: 'MET', notes: 'Alertas tempranas activas en consumo y microempresa.', revision: 3 });
    await p.context().close();
  }, 120_000);
});
