import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Indicator } from '../../api/src/indicators/indicator.entity.js';
import { ballotOn, propose } from '../api/ballots/fixtures.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

describe.skipIf(!hasBrowser)('ballots in the browser', () => {
  let platform: Platform;
  let browser: Browser;
  let ballotPath: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function page(email: string, options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, options)).newPage();
    await startSession(p, email);
    return p;
  }
  const firstQuestion = (p: Page) => p.getByTestId('question').first();
  // A form post and the page's reload take a few seconds on a busy machine.
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

  test('a member votes, changes the vote (a REJECT needs a reason), and sees it kept', async () => {
    const p = await page(demo.member);
    await p.goto('/ballots');
    await p.getByRole('link', { name: 'Votación de revisiones tras la primera ronda: rural y pobreza' }).click();
    await p.waitForURL(/\/ballots\/[0-9a-f-]+$/);
    ballotPath = new URL(p.url()).pathname;
    const q = firstQuestion(p);
    await poll(() => q.getByRole('heading', { level: 2 }).textContent()).toContain('RUR-03');
    expect(await q.locator('ins').count()).toBeGreaterThan(0);
    expect(await q.getByText('«Rurales no agrícolas» puede confundirse').count()).toBe(1);
    expect(await p.getByTestId('deadline').textContent()).toContain('Cierra el');
    expect(await q.getByTestId('my-vote').textContent()).toContain('Todavía no ha votado.');

    await q.getByLabel('A favor', { exact: true }).check();
    await q.getByRole('button', { name: 'Votar' }).click();
    await poll(() => q.getByTestId('my-vote').textContent()).toContain('Su voto actual: A favor');

    await q.getByLabel('En contra', { exact: true }).check();
    await q.getByRole('button', { name: 'Cambiar mi voto' }).click();
    await poll(() => q.getByRole('alert').textContent()).toContain('Para votar en contra, explique el motivo.');
    expect(await q.getByTestId('my-vote').textContent()).toContain('A favor');

    await q.getByLabel('Motivo (obligatorio si vota en contra)').fill('Falta definir qué es una actividad rural no agropecuaria en zonas periurbanas.');
    await q.getByRole('button', { name: 'Cambiar mi voto' }).click();
    await poll(() => q.getByTestId('my-vote').textContent()).toContain('Su voto actual: En contra');
    // Secret until the close: a member sees no tally.
    expect(await p.getByRole('table').count()).toBe(0);
    expect(await axeViolations(p)).toEqual([]);
    await p.context().close();
  });

  test('voting works as a plain form without JavaScript, on a small phone', async () => {
    const p = await page(demo.member3, { javaScript: false, width: 360 });
    await p.goto(ballotPath);
    expect(await scrollsSideways(p)).toBe(false);
    const q = firstQuestion(p);
    await q.getByLabel('Abstención', { exact: true }).check();
    await Promise.all([p.waitForLoadState('load'), q.getByRole('button', { name: 'Votar' }).click()]);
    await poll(() => firstQuestion(p).getByTestId('my-vote').textContent()).toContain('Su voto actual: Abstención');
    await p.context().close();
  });

  test('the facilitator deletes a draft ballot from the console, and its revision is offered for a new ballot', async () => {
    const facilitator = await platform.api.as(demo.facilitator);
    const indicator = await platform.api.db.orm.em.fork().findOneOrFail(Indicator, { code: 'GEN-02' }, { populate: ['currentVersion'] });
    const revision = await propose(facilitator, indicator.id, indicator.currentVersion!.id, { statement: 'Redacción de prueba para un borrador con errores.' });
    await ballotOn(facilitator, [revision.id], {}, false);

    const f = await page(demo.facilitator);
    await f.goto('/ballots/console');
    const card = f.getByTestId('console-ballot').filter({ hasText: 'Votación de prueba' });
    const offered = f.locator(`input[name="revisionIds"][value="${revision.id}"]`);
    expect(await offered.count()).toBe(0);
    f.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Eliminar el borrador' }).click();
    await poll(() => f.getByRole('status').filter({ hasText: 'Borrador eliminado; sus revisiones pueden ir a otra votación.' }).count()).toBe(1);
    await poll(() => card.count()).toBe(0);
    await poll(() => offered.count()).toBe(1);
    await f.context().close();
  });

  test('the facilitator closes the ballot from the console; the member sees the results with the tally', async () => {
    const f = await page(demo.facilitator);
    await f.goto('/ballots/console');
    const card = f.getByTestId('console-ballot').filter({ hasText: 'Votación de revisiones tras la primera ronda' });
    await card.getByRole('button', { name: 'Cerrar ahora y decidir' }).click();
    await poll(() => card.getByRole('status').textContent()).toContain('Votación cerrada y decidida.');
    await f.context().close();

    const p = await page(demo.member);
    await p.goto(ballotPath);
    await p.getByRole('link', { name: 'Ver resultados' }).first().click();
    await p.waitForURL(/\/results$/);
    const r = p.getByTestId('result').first();
    // RUR-03: the RFR member's seeded APPROVE, this member's REJECT, COPEME's ABSTAIN: 3 of 3 took part; ISO's quarter clause fails.
    expect(await r.getByTestId('count-APPROVE').textContent()).toBe('1');
    expect(await r.getByTestId('count-REJECT').textContent()).toBe('1');
    expect(await r.getByTestId('count-ABSTAIN').textContent()).toBe('1');
    expect(await r.getByTestId('outcome').textContent()).toBe('Rechazada');
    expect(await r.getByText('Quórum alcanzado').count()).toBe(1);
    expect(await axeViolations(p)).toEqual([]);
    await p.context().close();
  });
});
