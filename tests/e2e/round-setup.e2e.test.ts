import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConsultationRound } from '../../api/src/rounds/round.entity.js';
import { RoundVersion } from '../../api/src/rounds/round-version.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { createFramework, type FrameworkFixture } from '../api/rounds/fixtures.js';

/**
 * A facilitator prepares a round on its own page, as a draft, is refused field by field when the
 * setup is wrong (nothing stored), edits the draft, opens it and closes it early, each change behind a
 * confirmation: with and without JavaScript, every page without an axe violation.
 */
describe.skipIf(!hasBrowser)('setting up a round', () => {
  let platform: Platform;
  let browser: Browser;
  const frameworks: Record<string, FrameworkFixture> = {};

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    for (const mode of ['js', 'nojs']) frameworks[mode] = await createFramework(platform.api.db.orm, { slug: `setup-${mode}`, areas: 2, perArea: 2 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const em = () => platform.api.db.orm.em.fork();
  const roundsOf = (fw: FrameworkFixture) => em().count(ConsultationRound, { framework: fw.id });
  const auditActions = async (roundId: string) =>
    (await platform.api.db.orm.em.getConnection().execute<{ action: string }[]>('select action from audit_entry where subject_id = ? order by id', [roundId])).map((r) => r.action);

  /** axe runs as a script in the page: checked where scripts run (the same pages render without them). */
  async function noViolations(p: Page, javaScript = true) {
    if (javaScript) expect(await axeViolations(p)).toEqual([]);
  }

  /** Follows a link or button that leads to another page (a redirect after a post, or a plain link). */
  async function go(p: Page, click: () => Promise<void>, url: (u: URL) => boolean) {
    await Promise.all([p.waitForURL(url), click()]);
    await p.waitForLoadState('load');
  }

  for (const javaScript of [false, true]) {
    const mode = javaScript ? 'js' : 'nojs';
    test(`draft, refusal, edit, schedule, extend, open and close early ${javaScript ? 'with' : 'without'} JavaScript`, async () => {
      const fw = frameworks[mode];
      const p = await (await newContext(browser, platform.webUrl, { javaScript })).newPage();
      await startSession(p, demo.facilitator, '/rounds');
      await go(p, () => p.getByRole('link', { name: 'Nueva ronda' }).click(), (u) => u.pathname === '/rounds/new');
      await p.locator('#round-framework').selectOption(fw.slug);
      await go(p, () => p.getByRole('button', { name: 'Continuar' }).click(), (u) => u.searchParams.get('framework') === fw.slug);
      if (javaScript) await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset);
      await noViolations(p, javaScript);
      // Every indicator is offered and ticked, at its current version.
      const boxes = p.locator('input[name="indicators"]');
      expect(await boxes.count()).toBe(4);
      for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true);

      // A refusal: title only in English (the source is Spanish), no indicator, closing in the past.
      await p.locator('#round-title-en').fill('English only');
      for (const area of ['A0', 'A1']) {
        const clear = p.getByRole('button', { name: `Desmarcar todo ${area}`, exact: true });
        if (javaScript) await clear.click();
        else await go(p, () => clear.click(), (u) => u.search.includes('/select'));
      }
      for (const box of await boxes.all()) expect(await box.isChecked()).toBe(false);
      expect(await p.locator('#round-title-en').inputValue()).toBe('English only');
      await p.locator('#round-opensAt').fill('2020-01-01T10:00');
      await p.locator('#round-closesAt').fill('2020-01-02T10:00');
      await p.getByRole('button', { name: 'Guardar el borrador' }).click();
      await expect.poll(() => p.locator('#title-error').textContent(), { timeout: 15_000 }).toBe('Escriba el título en el idioma original del marco.');
      expect(await p.locator('#indicators-error').textContent()).toBe('Elija al menos un indicador.');
      expect(await p.locator('#closesAt-error').textContent()).toBe('La fecha de cierre ya pasó.');
      expect(await p.locator('#round-title-en').inputValue()).toBe('English only');
      expect(await roundsOf(fw)).toBe(0);
      await noViolations(p, javaScript);

      // Put right: a Spanish title, area A0's indicators, dates ahead.
      await p.locator('#round-title-es').fill(`Ronda de prueba ${mode}`);
      const all = p.getByRole('button', { name: 'Marcar todo A0', exact: true });
      if (javaScript) await all.click();
      else await go(p, () => all.click(), (u) => u.search.includes('/select'));
      await p.locator('#round-opensAt').fill('2030-01-01T10:00');
      await p.locator('#round-closesAt').fill('2030-02-01T10:00');
      await p.locator('input[name="audience"][value="WORKING_GROUP"]').check();
      await go(p, () => p.getByRole('button', { name: 'Guardar el borrador' }).click(), (u) => /^\/rounds\/[0-9a-f-]{36}$/.test(u.pathname));
      const roundId = new URL(p.url()).pathname.split('/')[2];
      await expect.poll(() => p.getByRole('status').filter({ hasText: 'Borrador guardado.' }).count(), { timeout: 15_000 }).toBe(1);
      expect(await p.locator('.tag').first().textContent()).toBe('Borrador');
      const stored = await em().findOneOrFail(ConsultationRound, { id: roundId });
      expect(stored).toMatchObject({ draft: true, audienceWorkingGroup: true, title: { es: `Ronda de prueba ${mode}` } });
      // The local times were read in the browser's zone (Lima, UTC−5) with scripts, in UTC without them.
      expect(stored.opensAt.toISOString()).toBe(javaScript ? '2030-01-01T15:00:00.000Z' : '2030-01-01T10:00:00.000Z');
      expect(await em().count(RoundVersion, { round: roundId })).toBe(2);
      await noViolations(p, javaScript);

      // Edit the draft: the form holds what was saved.
      await go(p, () => p.getByRole('link', { name: 'Editar el borrador' }).click(), (u) => u.pathname.endsWith('/edit'));
      if (javaScript) await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset);
      expect(await p.locator('#round-title-es').inputValue()).toBe(`Ronda de prueba ${mode}`);
      expect(await p.locator('input[name="audience"][value="WORKING_GROUP"]').isChecked()).toBe(true);
      expect(await p.locator('input[name="indicators"]:checked').count()).toBe(2);
      await noViolations(p, javaScript);
      await p.locator('#round-title-pt').fill(`Rodada de teste ${mode}`);
      await go(p, () => p.getByRole('button', { name: 'Guardar el borrador' }).click(), (u) => u.pathname === `/rounds/${roundId}`);
      await expect.poll(async () => (await em().findOneOrFail(ConsultationRound, { id: roundId })).title.pt).toBe(`Rodada de teste ${mode}`);

      // Schedule, after confirming: nothing changes until the question is answered.
      await go(p, () => p.getByRole('link', { name: 'Programar' }).click(), (u) => u.searchParams.get('confirm') === 'schedule');
      await expect.poll(() => p.locator('#lifecycle-question').isVisible()).toBe(true);
      await noViolations(p, javaScript);
      expect((await em().findOneOrFail(ConsultationRound, { id: roundId })).draft).toBe(true);
      await go(p, () => p.getByRole('button', { name: 'Sí, programar' }).click(), (u) => u.pathname === `/rounds/${roundId}` && !u.search);
      await expect.poll(() => p.getByRole('status').filter({ hasText: 'La ronda quedó programada.' }).count(), { timeout: 15_000 }).toBe(1);
      expect(await p.locator('.tag').first().textContent()).toBe('Programada');

      // Extend: the new closing date, in the facilitator's zone, confirmed.
      await p.locator('#extend-closesAt').fill('2030-03-01T10:00');
      await go(p, () => p.getByRole('button', { name: 'Prolongar' }).click(), (u) => u.searchParams.get('confirm') === 'extend');
      await noViolations(p, javaScript);
      await go(p, () => p.getByRole('button', { name: 'Sí, prolongar' }).click(), (u) => u.pathname === `/rounds/${roundId}` && !u.search);
      await expect.poll(() => p.getByRole('status').filter({ hasText: 'Se movió la fecha de cierre.' }).count(), { timeout: 15_000 }).toBe(1);
      // Read in the browser's zone (Lima, UTC−5) with scripts; without them, in UTC.
      expect((await em().findOneOrFail(ConsultationRound, { id: roundId })).closesAt.toISOString()).toBe(javaScript ? '2030-03-01T15:00:00.000Z' : '2030-03-01T10:00:00.000Z');

      // Open now, after confirming.
      await go(p, () => p.getByRole('link', { name: 'Abrir ahora' }).click(), (u) => u.searchParams.get('confirm') === 'open');
      await expect.poll(() => p.locator('#lifecycle-question').isVisible()).toBe(true);
      await go(p, () => p.getByRole('button', { name: 'Sí, abrir ahora' }).click(), (u) => u.pathname === `/rounds/${roundId}` && !u.search);
      await expect.poll(() => p.getByRole('status').filter({ hasText: 'La ronda está abierta.' }).count(), { timeout: 15_000 }).toBe(1);
      expect(await p.locator('.tag').first().textContent()).toBe('Abierta');

      // Close early, after confirming.
      await go(p, () => p.getByRole('link', { name: 'Cerrar antes de tiempo' }).click(), (u) => u.searchParams.get('confirm') === 'close');
      await go(p, () => p.getByRole('button', { name: 'Sí, cerrar ahora' }).click(), (u) => u.pathname === `/rounds/${roundId}` && !u.search);
      await expect.poll(() => p.getByRole('status').filter({ hasText: 'La ronda quedó cerrada.' }).count(), { timeout: 15_000 }).toBe(1);
      await noViolations(p, javaScript);
      expect(await auditActions(roundId)).toEqual(['round.created', 'round.draft_updated', 'round.scheduled', 'round.extended', 'round.opened', 'round.closed']);
      await p.context().close();
    }, 120_000);
  }

  test('a draft whose closing date has passed cannot be opened: the reason is shown and nothing changes', async () => {
    const fw = frameworks.nojs;
    const facilitator = await platform.api.as(demo.facilitator);
    const { createRound } = await facilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: { frameworkId: fw.id, title: { es: 'Ronda vencida' }, opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: new Date(Date.now() + 7200_000).toISOString(), draft: true },
    });
    await em().nativeUpdate(ConsultationRound, { id: createRound.id }, { opensAt: new Date(Date.now() - 7200_000), closesAt: new Date(Date.now() - 3600_000) });
    const p = await (await newContext(browser, platform.webUrl, { javaScript: true })).newPage();
    await startSession(p, demo.facilitator, `/rounds/${createRound.id}?confirm=open`);
    await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset);
    await p.getByRole('button', { name: 'Sí, abrir ahora' }).click();
    await expect.poll(() => p.getByText('La fecha de cierre ya pasó.').count(), { timeout: 15_000 }).toBe(1);
    expect((await em().findOneOrFail(ConsultationRound, { id: createRound.id })).draft).toBe(true);
    await noViolations(p);
    await p.context().close();
  }, 60_000);
});
