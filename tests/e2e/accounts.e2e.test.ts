import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { linkIn } from '../support/smtp.js';
import { createFramework, openRound, type FrameworkFixture } from '../api/rounds/fixtures.js';

/**
 * A newcomer, as a person: signs up from the sign-in page, reads the confirmation mail that reached a
 * real SMTP server, confirms, comments on an open round, forgets the password and resets it through
 * the mailed link, and changes their name on the account page — with JavaScript and without it.
 */
describe.skipIf(!hasBrowser)('open registration and password reset', () => {
  let platform: Platform;
  let browser: Browser;
  let fw: FrameworkFixture;
  let roundId: string;

  beforeAll(async () => {
    platform = await startPlatform({ smtp: true });
    browser = await launchBrowser();
    fw = await createFramework(platform.api.db.orm, { slug: 'registro-e2e', areas: 1, perArea: 1 });
    roundId = (await openRound(await platform.api.as(demo.facilitator), fw)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });


  async function submit(p: Page, name: string | RegExp) {
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name }).click()]);
  }

  for (const javaScript of [true, false]) {
    test(`signs up, confirms through the mail, comments, and resets the password through the mail (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const email = `nueva.${javaScript ? 'js' : 'html'}.${Date.now()}@example.org`;
      const context = await newContext(browser, platform.webUrl, { javaScript });
      const p = await context.newPage();
      // axe-core runs as a script in the page, so the pass with JavaScript checks them (the same HTML either way).
      const expectNoAxeViolations = async () => {
        if (javaScript) expect(await axeViolations(p)).toEqual([]);
      };

      await p.goto('/signin');
      await Promise.all([p.waitForURL('**/signup'), p.getByRole('link', { name: 'Crear una cuenta' }).click()]);
      await expectNoAxeViolations();
      // The organizations list as many as the search finds: one for COPEME's acronym, beside "none" and "another one".
      const picker = p.locator('#signup-organization-search');
      await picker.getByLabel('Buscar una organización por nombre o sigla').fill('copeme');
      await Promise.all([p.waitForURL('**/signup?orgq=copeme'), picker.getByRole('button', { name: 'Buscar' }).click()]);
      await expect.poll(() => picker.textContent()).toContain('1 encontrada.');
      await expect.poll(() => p.getByLabel('La organización por la que habla').locator('option').count()).toBe(3);
      await p.getByLabel('Nombre', { exact: true }).fill('Lucía Registrada');
      await p.getByLabel('Correo electrónico').fill(email);
      await p.locator('#password').fill('una-clave-larga-de-lucia');
      await p.getByLabel('País').selectOption('HN');
      await p.getByLabel('La organización por la que habla').selectOption('');
      await submit(p, 'Crear mi cuenta');
      await expect.poll(() => p.locator('.notice.success').first().textContent()).toContain('recibirá en unos minutos');
      await expectNoAxeViolations();

      const confirmation = await platform.smtp!.waitFor(email);
      expect(confirmation.subject).toBe('Confirme su dirección de correo en Consulta');
      await p.goto(linkIn(confirmation.text, `${platform.webUrl}/signup/confirm?token=`));
      await expectNoAxeViolations();
      await p.getByLabel('Su contraseña').fill('una-clave-larga-de-lucia');
      await submit(p, 'Confirmar y entrar');
      await expect.poll(() => p.getByTestId('viewer').textContent()).toContain('Lucía Registrada');

      await p.goto(`/rounds/${roundId}/indicators/${fw.areas[0].indicators[0].id}`);
      const body = `Comentario de una persona registrada (${javaScript ? 'con' : 'sin'} JavaScript, ${Date.now()}).`;
      await p.locator('#comment-body').fill(body);
      await submit(p, 'Enviar comentario');
      await expect.poll(() => p.locator('article.comment', { hasText: body }).count()).toBe(1);

      await p.goto('/account');
      await expectNoAxeViolations();
      await p.getByLabel('Nombre', { exact: true }).fill('Lucía R. Cambiada');
      await submit(p, /^Guardar$/);
      await expect.poll(() => p.locator('.notice.success').first().textContent()).toContain('Cambios guardados');
      // Waits for the sign-in page itself: under load, the save's own navigation back to /account can
      // still be under way when this button is pressed, and a bare wait for a navigation took that one.
      await Promise.all([p.waitForURL('**/signin'), p.getByRole('button', { name: 'Cerrar sesión en todas partes' }).click()]);
      expect(new URL(p.url()).pathname).toBe('/signin');

      await Promise.all([p.waitForURL('**/forgot-password'), p.getByRole('link', { name: '¿Olvidó su contraseña?' }).click()]);
      await expectNoAxeViolations();
      await p.getByLabel('Correo electrónico').fill(email);
      await submit(p, 'Enviarme el enlace');
      await expect.poll(() => p.locator('.notice.success').first().textContent()).toContain('un enlace de un solo uso');
      const reset = await platform.smtp!.waitFor(email, (m) => m.subject === 'Restablecer su contraseña de Consulta');
      await p.goto(linkIn(reset.text, `${platform.webUrl}/reset-password?token=`));
      await expectNoAxeViolations();
      await p.getByLabel('Contraseña nueva').fill('otra-clave-larga-de-lucia');
      await submit(p, 'Guardar y entrar');
      await expect.poll(() => p.getByTestId('viewer').textContent()).toContain('Lucía R. Cambiada');

      // The link worked once.
      await p.goto(linkIn(reset.text, `${platform.webUrl}/reset-password?token=`));
      await p.getByLabel('Contraseña nueva').fill('y-otra-clave-larga-mas');
      // Refused: with JavaScript the page stays and shows why; without, the action answers with the page.
      await p.getByRole('button', { name: 'Guardar y entrar' }).click();
      await expect.poll(() => p.locator('main [role=alert]').first().textContent()).toContain('Este enlace ya se usó');
      await context.close();
    }, 300_000);
  }

  test('the account page and the sign-up page in English, French and Portuguese have no axe violations', async () => {
    for (const locale of ['en-GB', 'fr-FR', 'pt-BR']) {
      const context = await newContext(browser, platform.webUrl, { locale });
      const p = await context.newPage();
      for (const path of ['/signup', '/forgot-password', '/reset-password?token=x', '/signup/confirm?token=x']) {
        await p.goto(path);
        expect(await axeViolations(p)).toEqual([]);
      }
      await context.close();
    }
  }, 120_000);
});

describe.skipIf(!hasBrowser)('the development mailbox', () => {
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

  test('without SMTP_URL a newcomer reads the reset link in /dev/mailbox', async () => {
    const context = await newContext(browser, platform.webUrl);
    const p = await context.newPage();
    await p.goto('/forgot-password');
    await p.getByLabel('Correo electrónico').fill(demo.stakeholder);
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Enviarme el enlace' }).click()]);
    await p.goto('/dev/mailbox');
    await expect.poll(async () => {
      await p.reload();
      return p.getByRole('link', { name: 'Restablecer su contraseña de Consulta' }).count();
    }).toBeGreaterThan(0);
    expect(await axeViolations(p)).toEqual([]);
    // Newest first: the mail just asked for.
    await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Restablecer su contraseña de Consulta' }).first().click()]);
    expect(await axeViolations(p)).toEqual([]);
    await Promise.all([p.waitForNavigation(), p.locator('a[href*="/reset-password?token="]').click()]);
    await p.getByLabel('Contraseña nueva').fill('clave-nueva-del-buzon-2026');
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Guardar y entrar' }).click()]);
    await expect.poll(() => p.getByTestId('viewer').count()).toBe(1);
    await context.close();
  }, 300_000);
});
