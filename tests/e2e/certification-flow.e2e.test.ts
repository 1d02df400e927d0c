import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import type { GraphQLClient } from '../support/client.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession, type ContextOptions } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { PDF } from '../api/certification/evidence-files.js';

/**
 * The certification pilot in the browser, on the demo's data: Momotombo (NI) is answering its
 * self-assessment of USSPM areas 3 and 4. It answers as plain HTML and with the autosave (offline
 * and a stale save included), uploads a PDF as evidence, answers the rest through the XLSX
 * questionnaire, submits, and goes through review and the committee's decision to a seal (with its
 * certificate) on the public registry that verifies signed out.
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
    await startSession(p, email);
    return p;
  }
  const areaPage = (code: string) => `/certification/assessments/${assessmentId}/areas/${code}`;
  const indicator = (p: Page, code: string): Locator => p.getByTestId(`indicator-${code}`);
  const accessible = async (p: Page) => expect(await axeViolations(p)).toEqual([]);

  test('on a phone, the institution’s pages fit and pass axe', async () => {
    const p = await pageAs(MOMOTOMBO, { width: 360 });
    for (const path of ['/certification', `/certification/assessments/${assessmentId}`, areaPage('3')]) {
      await p.goto(path);
      await accessible(p);
      expect(await scrollsSideways(p), path).toBe(false);
    }
    await p.context().close();
  }, 120_000);

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

    // A PDF as evidence, through the plain multipart form; a page of script calling itself a PDF is refused, nothing stored.
    await indicator(p, '3A.2').getByLabel('Archivo', { exact: true }).setInputFiles({ name: 'informe.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
    await indicator(p, '3A.2').getByRole('button', { name: 'Subir el archivo' }).click();
    await expect.poll(() => indicator(p, '3A.2').textContent(), { timeout: 20_000 }).toContain('El archivo contiene código web o script, que nunca se acepta.');
    expect(await indicator(p, '3A.2').getByTestId('evidence-files').count()).toBe(0);
    await indicator(p, '3A.2').getByLabel('Archivo', { exact: true }).setInputFiles({ name: 'plan-operativo.pdf', mimeType: 'application/pdf', buffer: PDF });
    await indicator(p, '3A.2').getByLabel('Nota sobre el archivo (opcional)').fill('Aprobado por el directorio');
    await indicator(p, '3A.2').getByRole('button', { name: 'Subir el archivo' }).click();
    await indicator(p, '3A.2').getByText('Archivo subido.').waitFor();
    const link = indicator(p, '3A.2').getByTestId('evidence-files').getByRole('link', { name: 'plan-operativo.pdf' });
    const download = await p.request.get((await link.getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('application/pdf');
    expect(download.headers()['content-disposition']).toMatch(/^attachment/);
    expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);

    await indicator(p, '3A.3').getByLabel('Valor reportado').fill('sesenta');
    await indicator(p, '3A.3').getByRole('button', { name: 'Guardar esta respuesta' }).click();
    await expect(indicator(p, '3A.3').textContent()).resolves.toContain('Escriba un número');
    expect(await answerOf('3A.3')).toMatchObject({ reportedValue: 61.5, revision: 1 });

    // A pilot flag: the indicator is hard to evidence; it is listed and goes on to the next consultation.
    await indicator(p, '3A.3').getByText('Señalar este indicador al grupo de trabajo').click();
    await indicator(p, '3A.3').getByLabel('Respaldarlo cuesta demasiado').check();
    await indicator(p, '3A.3').getByLabel('Qué encontró').fill('El sistema de cartera no separa prestatarias activas por sexo.');
    await indicator(p, '3A.3').getByRole('button', { name: 'Enviar la señal' }).click();
    await indicator(p, '3A.3').getByText('Señal enviada').waitFor();
    await expect(indicator(p, '3A.3').getByTestId('pilot-flags').textContent()).resolves.toContain('no separa prestatarias');

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

  test('the institution answers the rest through the XLSX questionnaire and submits; a reviewer is assigned (never its own person), reviews and asks for evidence; the committee decides; the seal is public and verifies signed out', async () => {
    // The rest offline, through the XLSX questionnaire: a wrong cell is listed and nothing taken; corrected, all four are.
    const p = await pageAs(MOMOTOMBO);
    await p.goto(`/certification/assessments/${assessmentId}`);
    const xlsx = await p.request.get((await p.getByRole('link', { name: 'Descargar la planilla (XLSX)' }).getAttribute('href'))!);
    expect(xlsx.status()).toBe(200);
    const fill = async (judgments: Record<string, string>) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
      for (const sheet of book.worksheets) {
        sheet.eachRow((row) => {
          const judgment = judgments[String(row.getCell(1).value)];
          if (judgment) row.getCell(5).value = judgment;
        });
      }
      return { name: 'cuestionario.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await book.xlsx.writeBuffer()) };
    };
    await p.getByLabel('Planilla completada').setInputFiles(await fill({ '3B.2': 'Cumple', '3B.3': 'Quizás', '4C.2': 'Cumple', '4C.3': 'Cumple' }));
    await p.getByRole('button', { name: 'Subir la planilla' }).click();
    const problems = p.getByTestId('questionnaire-problems');
    await expect.poll(() => problems.textContent(), { timeout: 20_000 }).toContain('Quizás');
    expect(await problems.locator('tbody tr').count()).toBe(1);
    expect(await answerOf('3B.2')).toBeUndefined();
    await accessible(p);
    await p.getByLabel('Planilla completada').setInputFiles(await fill({ '3B.2': 'Cumple', '3B.3': 'Cumple', '4C.2': 'Cumple', '4C.3': 'Cumple' }));
    await p.getByRole('button', { name: 'Subir la planilla' }).click();
    await p.getByText('Planilla importada: 4 respuestas guardadas.').waitFor();
    expect(await answerOf('4C.3')).toMatchObject({ judgment: 'MET', revision: 1 });
    await accessible(p);
    await expect(p.getByText('Todos los indicadores están respondidos.').count()).resolves.toBe(1);
    await p.getByLabel('Entiendo que al enviarla').check();
    await p.getByRole('button', { name: 'Enviar a revisión' }).click();
    await p.getByText('Evaluación enviada: sus respuestas quedaron congeladas.').waitFor();
    // Frozen: read only, and the answering page leads back here.
    expect(await p.getByRole('button', { name: 'Guardar esta respuesta' }).count()).toBe(0);
    await expect(p.getByTestId('area-3').textContent()).resolves.toContain('Aún sin política aprobada.');
    await accessible(p);
    await p.goto(areaPage('4'));
    await p.waitForURL((url) => url.pathname === `/certification/assessments/${assessmentId}`);

    // The facilitator assigns: the institution's own person is refused, the rating agency's taken.
    const f = await pageAs(demo.facilitator);
    await f.goto('/certification');
    await f.getByTestId('assessment-card').filter({ hasText: 'Crédito Solidario Momotombo' }).getByRole('link').click();
    await f.waitForURL(`**/certification/assessments/${assessmentId}/committee`);
    await accessible(f);
    await f.getByLabel('Revisor a asignar').selectOption({ label: 'María José Rivas (Crédito Solidario Momotombo)' });
    await f.getByRole('button', { name: 'Asignar como revisor' }).click();
    await f.getByText('Conflicto de interés: nadie revisa a su propia institución.').waitFor();
    await f.getByLabel('Revisor a asignar').selectOption({ label: 'Peter Lindqvist (Calificadora Social Andina)' });
    await f.getByRole('button', { name: 'Asignar como revisor' }).click();
    await f.getByText('Revisor asignado.').waitFor();
    await expect(f.getByTestId('reviewers').textContent()).resolves.toContain('Peter Lindqvist');

    // The reviewer (in English): visit days, a judgment confirmed, one changed (a reason needed), evidence asked for.
    const r = await pageAs(REVIEWER);
    await r.goto('/certification');
    await r.getByRole('region', { name: 'Assessments you review' }).getByRole('link', { name: 'Crédito Solidario Momotombo' }).click();
    await r.waitForURL(`**/certification/assessments/${assessmentId}/review`);
    await accessible(r);
    await r.getByLabel('Day of the desk review').fill('2026-11-20');
    await r.getByLabel('Day of the on-site visit').fill('2026-11-27');
    await r.getByRole('button', { name: 'Save the days' }).click();
    await r.getByText('Days saved.').waitFor();
    await expect(r.getByTestId('review-3A.2').getByRole('link', { name: 'plan-operativo.pdf' }).count()).resolves.toBe(1);
    await r.getByTestId('review-4B.1').getByRole('button', { name: 'Confirm the judgment' }).click();
    await expect.poll(() => r.getByTestId('review-4B.1').getByTestId('reviewed').textContent(), { timeout: 20_000 }).toContain('Met');
    const changed = r.getByTestId('review-4A.1');
    await changed.getByText('Change the judgment or ask for more evidence').click();
    await changed.getByRole('radio', { name: 'Met', exact: true }).check();
    await changed.getByRole('button', { name: 'Record this judgment' }).click();
    await expect.poll(() => r.getByTestId('review-4A.1').textContent(), { timeout: 20_000 }).toContain('Say why it changes.');
    await r.getByTestId('review-4A.1').getByLabel('Reason').fill('Site visit: the repayment capacity analysis now covers farm loans.');
    await r.getByTestId('review-4A.1').getByRole('button', { name: 'Record this judgment' }).click();
    await expect.poll(() => r.getByTestId('review-4A.1').getByTestId('reviewed').textContent(), { timeout: 20_000 }).toContain('farm loans');
    const asked = r.getByTestId('review-4C.3');
    await asked.getByText('Change the judgment or ask for more evidence').click();
    await asked.getByLabel('What evidence is missing').fill('The 2025 complaints log with each response time.');
    await asked.getByRole('button', { name: 'Ask for more evidence' }).click();
    await expect.poll(() => r.getByTestId('review-4C.3').textContent(), { timeout: 20_000 }).toContain('Waiting for the institution’s response.');

    // Meanwhile the committee cannot decide: evidence is outstanding.
    const c = await pageAs(demo.admin);
    await c.goto(`/certification/assessments/${assessmentId}/committee`);
    await c.getByTestId('decide-4').getByRole('button', { name: 'Registrar la decisión' }).click();
    await c.getByText('Falta la respuesta de la institución a la evidencia solicitada.').waitFor();

    // The institution sees the request and answers it.
    await p.goto('/certification');
    await expect(p.getByTestId('assessment-card').textContent()).resolves.toContain('1 pedido de evidencia sin responder');
    await p.goto(`/certification/assessments/${assessmentId}`);
    const request = p.getByTestId('evidence-request');
    await expect(request.textContent()).resolves.toContain('The 2025 complaints log');
    await request.getByLabel('Su respuesta').fill('Adjuntamos el registro de quejas 2025 con el tiempo de respuesta.');
    await request.getByLabel('Descripción de la línea 1').fill('Registro de quejas 2025');
    await request.getByLabel('Archivo', { exact: true }).setInputFiles({ name: 'quejas-2025.pdf', mimeType: 'application/pdf', buffer: PDF });
    await request.getByRole('button', { name: 'Responder' }).click();
    await p.getByText('Respuesta enviada a los revisores.').waitFor();
    await expect(p.getByTestId('evidence-request').getByRole('link', { name: 'quejas-2025.pdf' }).count()).resolves.toBe(1);

    // The committee decides as the scheme says: area 4 awarded (with the reviewer's judgment), area 3 refused (an essential not met).
    await c.goto(`/certification/assessments/${assessmentId}/committee`);
    await accessible(c);
    await expect(c.getByTestId('decide-3').textContent()).resolves.toContain('el esquema no otorga el sello');
    await c.getByTestId('decide-3').getByRole('button', { name: 'Registrar la decisión' }).click();
    await expect.poll(() => c.getByTestId('decide-3').textContent(), { timeout: 20_000 }).toContain('Sello denegado por el comité');
    await expect(c.getByTestId('decide-4').textContent()).resolves.toContain('el esquema otorga el sello');
    await c.getByTestId('decide-4').getByRole('button', { name: 'Registrar la decisión' }).click();
    await expect.poll(() => c.getByTestId('decide-4').textContent(), { timeout: 20_000 }).toContain('Sello otorgado por el comité');
    const code = (await c.getByTestId('seal-code').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const certificate = await c.request.get((await c.getByTestId('seal').getByRole('link', { name: 'Certificado (PDF)' }).getAttribute('href'))!);
    expect(certificate.status()).toBe(200);
    expect(certificate.headers()['content-type']).toBe('application/pdf');
    await accessible(c);

    // Suspended with a reason, then reinstated.
    await c.getByTestId('seal').getByLabel('Cambio de estado').selectOption('SUSPEND');
    await c.getByTestId('seal').getByLabel('Motivo').fill('Queja grave en investigación.');
    await c.getByRole('button', { name: 'Cambiar el estado del sello' }).click();
    await expect.poll(() => c.getByTestId('seal').textContent(), { timeout: 20_000 }).toContain('Suspendido');
    await c.getByTestId('seal').getByLabel('Cambio de estado').selectOption('REINSTATE');
    await c.getByTestId('seal').getByLabel('Motivo').fill('Queja resuelta.');
    await c.getByRole('button', { name: 'Cambiar el estado del sello' }).click();
    await expect.poll(() => c.getByTestId('seal').textContent(), { timeout: 20_000 }).toContain('Vigente');

    // Signed out: the registry lists Momotombo with its seal, and the code verifies.
    const visitor = await (await newContext(browser, platform.webUrl, { width: 360 })).newPage();
    await visitor.goto('/certification/registry?country=NI');
    await expect(visitor.getByTestId('registry').textContent()).resolves.toContain('Crédito Solidario Momotombo');
    await visitor.goto('/certification/verify');
    await visitor.getByLabel('Código de verificación').fill(code);
    await visitor.getByRole('button', { name: 'Verificar', exact: true }).click();
    await expect.poll(() => visitor.getByTestId('verification').textContent(), { timeout: 20_000 }).toContain('Sello válido hoy.');
    expect(await scrollsSideways(visitor)).toBe(false);
    // The committee's dashboard: every cell; the institution, now participating, sees none under five institutions.
    await c.goto('/certification');
    await c.getByRole('link', { name: 'Referencias del piloto por área y país' }).click();
    const area4 = c.getByTestId('benchmark-4');
    await expect(area4.textContent()).resolves.toContain('Todos los países');
    await expect(area4.textContent()).resolves.toContain('Nicaragua');
    await accessible(c);
    await p.goto('/certification/benchmarks');
    await expect(p.getByTestId('benchmark-4').textContent()).resolves.toContain('Menos de cinco instituciones: no se muestra.');
    await accessible(p);

    for (const page of [r, c]) {
      await page.setViewportSize({ width: 360, height: 740 });
      await accessible(page);
      expect(await scrollsSideways(page)).toBe(false);
    }
    for (const page of [p, f, r, c, visitor]) await page.context().close();
  }, 240_000);
});
