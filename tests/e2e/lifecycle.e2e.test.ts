import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * The facilitator's whole loop, through pages only: from a blank framework to a released, final
 * standard that carries a stakeholder's proposed change. Once with JavaScript and once without.
 */
describe.skipIf(!hasBrowser)('from a blank framework to a final standard, in the browser', () => {
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

  // A form post and the page that follows take a few seconds on a busy machine.
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });

  /** Follows a link or a form to another page (a redirect after a post, or a plain link). */
  async function go(p: Page, click: () => Promise<void>, url: (u: URL) => boolean) {
    await Promise.all([p.waitForURL(url), click()]);
    await p.waitForLoadState('load');
  }

  for (const javaScript of [true, false]) {
    const mode = javaScript ? 'js' : 'nojs';
    test(`${javaScript ? 'with' : 'without'} JavaScript`, async () => {
      const pageAs = async (email: string) => {
        const p = await (await newContext(browser, platform.webUrl, { javaScript })).newPage();
        await startSession(p, email);
        return p;
      };
      const ready = async (p: Page) => {
        if (javaScript) await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset);
      };
      const slug = `ciclo-${mode}`;
      const proposed = `contadas una sola vez (${mode})`;
      const f = await pageAs(demo.facilitator);

      // A framework with a section and two indicators, published as version 1.
      await f.goto('/frameworks');
      await go(f, () => f.getByRole('link', { name: 'Nuevo marco' }).click(), (u) => u.pathname === '/frameworks/new');
      await ready(f);
      await f.locator('#new-slug').fill(slug);
      await f.locator('#new-name-es').fill(`Certificación de prueba (${mode})`);
      await go(f, () => f.getByRole('button', { name: 'Crear el marco' }).click(), (u) => u.pathname === `/frameworks/${slug}/structure`);
      await ready(f);
      await f.locator('#add-section-code').fill('GEN');
      await f.locator('#add-section-title-es').fill('Género');
      await f.getByRole('button', { name: 'Añadir la sección' }).click();
      await poll(() => f.getByRole('status').filter({ hasText: 'Sección GEN añadida.' }).count()).toBe(1);
      for (const [code, title, statement] of [
        ['GEN-01', 'Nuevas prestatarias mujeres', 'La institución reporta la proporción de mujeres entre sus nuevos prestatarios.'],
        ['GEN-02', 'Mujeres en la gerencia', 'La institución reporta la proporción de mujeres en la gerencia.'],
      ]) {
        await ready(f);
        await f.locator('#add-indicator-code').fill(code);
        await f.locator('#add-indicator-TITLE-es').fill(title);
        await f.locator('#add-indicator-STATEMENT-es').fill(statement);
        await f.locator('#add-indicator input[name="publish"]').check();
        await f.getByRole('button', { name: 'Añadir el indicador' }).click();
        await poll(() => f.getByRole('status').filter({ hasText: `Indicador ${code} añadido y publicado como versión 1.` }).count()).toBe(1);
      }

      // A round on both indicators, saved as a draft, then opened now.
      await f.goto(`/rounds/new?framework=${slug}`);
      await ready(f);
      expect(await f.locator('input[name="indicators"]:checked').count()).toBe(2);
      await f.locator('#round-title-es').fill(`Consulta de prueba (${mode})`);
      await f.locator('#round-opensAt').fill('2030-01-01T09:00');
      await f.locator('#round-closesAt').fill('2030-02-01T18:00');
      await go(f, () => f.getByRole('button', { name: 'Guardar el borrador' }).click(), (u) => /^\/rounds\/[0-9a-f-]{36}$/.test(u.pathname));
      const roundPath = new URL(f.url()).pathname;
      await go(f, () => f.getByRole('link', { name: 'Abrir ahora' }).click(), (u) => u.searchParams.get('confirm') === 'open');
      await go(f, () => f.getByRole('button', { name: 'Sí, abrir ahora' }).click(), (u) => u.pathname === roundPath && !u.search);
      await poll(() => f.getByRole('status').filter({ hasText: 'La ronda está abierta.' }).count()).toBe(1);

      // Two stakeholders comment on GEN-01; one proposes new words for a passage.
      const indicatorPath = async (p: Page) => {
        await p.goto(roundPath);
        await go(p, () => p.getByRole('link', { name: /GEN-01/ }).first().click(), (u) => u.pathname.includes('/indicators/'));
        await ready(p);
        return new URL(p.url()).pathname;
      };
      const stakeholder = await pageAs(demo.stakeholder);
      const genPath = await indicatorPath(stakeholder);
      const statementOption = (await stakeholder.locator('#comment-field option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).find((v) => v.startsWith('STATEMENT:'))!;
      await stakeholder.locator('#comment-field').selectOption(statementOption);
      await stakeholder.locator('#comment-exact').fill('nuevos prestatarios');
      await stakeholder.locator('#comment-body').fill('Conviene contar personas y no créditos.');
      await stakeholder.locator('#comment-proposed').fill(`nuevas personas prestatarias, ${proposed}`);
      await stakeholder.getByRole('button', { name: 'Enviar comentario' }).click();
      await poll(() => stakeholder.locator('article.comment', { hasText: 'Conviene contar personas' }).count()).toBe(1);

      const other = await pageAs('horizonte@consulta.demo');
      await other.goto(genPath);
      await ready(other);
      await other.locator('#comment-body').fill('El indicador es claro y aplicable en nuestra región.');
      await other.getByRole('button', { name: 'Enviar comentario' }).click();
      await poll(() => other.locator('article.comment', { hasText: 'claro y aplicable' }).count()).toBe(1);

      // The facilitator closes the round early and gives both comments a disposition.
      await f.goto(`${roundPath}?confirm=close`);
      await go(f, () => f.getByRole('button', { name: 'Sí, cerrar ahora' }).click(), (u) => u.pathname === roundPath && !u.search);
      await f.goto(`${roundPath}/dispositions`);
      await ready(f);
      for (const text of ['Conviene contar personas', 'claro y aplicable']) await f.locator('.queue li', { hasText: text }).locator('input[type=checkbox]').check();
      await f.locator('#dispose-status').selectOption('ACCEPTED');
      await f.locator('#dispose-response').fill('Se recoge en la revisión del indicador.');
      await f.getByRole('button', { name: 'Aplicar a los marcados' }).click();
      await poll(() => f.locator('.notice.success').textContent()).toContain('2 comentarios recibieron su disposición');

      // The revision workbench takes up the proposed words and proposes the revision for ballot.
      await f.goto(genPath);
      await go(f, () => f.getByRole('link', { name: 'Revisar este indicador' }).click(), (u) => u.pathname.endsWith('/revise'));
      await ready(f);
      const card = f.locator('article.proposal', { hasText: 'Conviene contar personas' });
      const takeUp = card.getByRole('button', { name: /Tomar en la revisión/ });
      if (javaScript) await takeUp.click();
      else await go(f, () => takeUp.click(), (u) => u.pathname.endsWith('/revise'));
      await poll(() => f.locator('#text-STATEMENT-es').inputValue()).toContain(proposed);
      await f.locator('#change-summary').fill('Se cuentan personas, como propuso la consulta.');
      await f.getByRole('button', { name: 'Proponer a votación' }).click();
      await poll(() => f.locator('#proposed').textContent()).toMatch(/La versión 2 queda propuesta/);

      // A ballot on it from the console: created, opened, three members approve, closed and decided.
      await go(f, () => f.getByRole('link', { name: 'Someterla a votación en la consola de votaciones' }).click(), (u) => u.pathname === '/ballots/console');
      await ready(f);
      const ballotTitle = `Votación de la revisión de GEN-01 (${mode})`;
      await f.locator('#titleEs').fill(ballotTitle);
      await f.locator('#rule').selectOption('SIMPLE_MAJORITY');
      await f.getByRole('button', { name: 'Crear en borrador' }).click();
      const console_ = f.getByTestId('console-ballot').filter({ hasText: ballotTitle });
      await poll(() => console_.count()).toBe(1);
      await console_.getByRole('button', { name: 'Abrir (fija quórum, regla y votantes)' }).click();
      await poll(() => console_.getByRole('button', { name: 'Cerrar ahora y decidir' }).count()).toBe(1);

      for (const email of [demo.member, demo.member2, demo.member3]) {
        const m = await pageAs(email);
        await m.goto('/ballots');
        await go(m, () => m.getByRole('link', { name: ballotTitle }).click(), (u) => /^\/ballots\/[0-9a-f-]{36}$/.test(u.pathname));
        await ready(m);
        const q = m.getByTestId('question').first();
        await q.getByLabel('A favor', { exact: true }).check();
        await q.getByRole('button', { name: 'Votar' }).click();
        await poll(() => m.getByTestId('question').first().getByTestId('my-vote').textContent()).toContain('Su voto actual: A favor');
        await m.context().close();
      }
      await f.goto('/ballots/console');
      await ready(f);
      await console_.getByRole('button', { name: 'Cerrar ahora y decidir' }).click();
      await poll(() => f.getByRole('status').filter({ hasText: 'Votación cerrada y decidida.' }).count()).toBeGreaterThan(0);

      // The framework released as FINAL: its text carries the proposed change.
      await f.goto(`/frameworks/${slug}/releases`);
      await ready(f);
      await f.locator('#release-number').fill('2026.1');
      await f.locator('#release-final').check();
      await f.getByRole('button', { name: 'Publicar versión' }).click();
      await poll(() => f.getByRole('status').filter({ hasText: 'Versión 2026.1 publicada.' }).count()).toBe(1);
      await go(f, () => f.getByRole('link', { name: '2026.1' }).first().click(), (u) => u.pathname === `/frameworks/${slug}/releases/2026.1`);
      expect(await f.getByTestId('release-status').textContent()).toBe('Final');
      const released = f.locator('article.indicator', { hasText: 'GEN-01' });
      expect(await released.textContent()).toContain(proposed);
      await f.goto(`/frameworks/${slug}`);
      expect(await f.locator('main').textContent()).toContain('Final');

      for (const p of [f, stakeholder, other]) await p.context().close();
    }, 240_000);
  }
});
