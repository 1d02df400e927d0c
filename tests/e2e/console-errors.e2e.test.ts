import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/** The main journeys, walked as a member and as a facilitator at phone and desktop widths: the browser logs no error on the way. */
describe.skipIf(!hasBrowser)('the main journeys log no error in the browser', () => {
  let platform: Platform;
  let browser: Browser;
  let roundId: string;
  let indicatorIds: string[];

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const client = await platform.api.as(demo.facilitator);
    const { rounds } = await client.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } }`);
    const round = rounds.find((r: { framework: { slug: string } }) => r.framework.slug === 'spwg-lac-certification');
    roundId = round.id;
    indicatorIds = round.indicators.map((i: { indicator: { id: string } }) => i.indicator.id);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });

  /** A signed-in page that records every console error and uncaught exception. */
  async function watched(email: string, width: number): Promise<{ page: Page; errors: string[] }> {
    const page = await (await newContext(browser, platform.webUrl, { width })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()} (${page.url()})`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message} (${page.url()})`));
    await startSession(page, email);
    return { page, errors };
  }

  async function roundsListToRound(page: Page) {
    await page.goto('/rounds');
    await page.locator(`main a[href="/rounds/${roundId}"]`).first().click();
    await page.waitForURL((url) => url.pathname === `/rounds/${roundId}`);
  }

  async function commentOnIndicator(page: Page, indicatorId: string, body: string) {
    await page.locator(`main a[href="/rounds/${roundId}/indicators/${indicatorId}"]`).first().click();
    await page.waitForURL((url) => url.pathname === `/rounds/${roundId}/indicators/${indicatorId}`);
    await page.locator('#comment-body').fill(body);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await poll(() => page.locator('article.comment', { hasText: body }).count()).toBe(1);
  }

  async function switchLanguage(page: Page) {
    await page.getByRole('button', { name: 'English' }).click();
    await poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Español' }).click();
    await poll(() => page.locator('html').getAttribute('lang')).toBe('es');
  }

  test.each([
    { width: 390, email: demo.member },
    { width: 1280, email: demo.member2 },
  ])('a member at $width px: sign in, rounds, a round, comment on an indicator, vote, switch language', async ({ width, email }) => {
    const { page, errors } = await watched(email, width);
    await roundsListToRound(page);
    await commentOnIndicator(page, indicatorIds[width === 390 ? 0 : 1], `Comentario de un miembro a ${width} px.`);

    await page.goto('/ballots');
    await page.getByRole('link', { name: 'Votación de revisiones tras la primera ronda: rural y pobreza' }).click();
    await page.waitForURL(/\/ballots\/[0-9a-f-]+$/);
    const question = page.getByTestId('question').first();
    await question.getByLabel('Abstención', { exact: true }).check();
    await question.locator('button[type=submit]').click();
    await poll(() => question.getByTestId('my-vote').textContent()).toContain('Abstención');

    await switchLanguage(page);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  test.each([390, 1280])('a facilitator at %i px: sign in, rounds, a round, an indicator, the disposition queue, an export, switch language', async (width) => {
    const { page, errors } = await watched(demo.facilitator, width);
    await roundsListToRound(page);
    await commentOnIndicator(page, indicatorIds[width === 390 ? 2 : 3], `Comentario de la facilitación a ${width} px.`);

    // The queue: a comment partially accepted is counted under that disposition, and ticking it lists that many.
    await page.goto(`/rounds/${roundId}`);
    await page.locator(`main a[href="/rounds/${roundId}/dispositions"]`).click();
    await page.waitForURL((url) => url.pathname === `/rounds/${roundId}/dispositions`);
    const left = (await page.getByTestId('left').textContent())!;
    await page.locator('.queue li input[type=checkbox]').first().check();
    await page.locator('#dispose-status').selectOption('PARTIALLY_ACCEPTED');
    await page.locator('#dispose-response').fill('Se tendrá en cuenta en parte.');
    await page.getByRole('button', { name: 'Aplicar a los marcados' }).click();
    await poll(() => page.getByTestId('left').textContent()).not.toBe(left);
    const partly = page.locator('.filter-form label', { hasText: 'Aceptado en parte' });
    const counted = Number((await partly.textContent())!.match(/\((\d+)\)/)![1]);
    expect(counted).toBeGreaterThan(0);
    await page.locator('.filter-form label', { hasText: 'Sin disposición' }).locator('input').uncheck();
    await partly.locator('input').check();
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await page.waitForURL((url) => url.searchParams.getAll('disposition').join() === 'PARTIALLY_ACCEPTED');
    await poll(() => page.getByText(/^Se muestran \d+ de \d+\.$/).textContent()).toMatch(new RegExp(` de ${counted}\\.$`));
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/rounds/${roundId}`);
    await page.locator(`main a[href="/rounds/${roundId}/export"]`).click();
    await page.waitForURL((url) => url.pathname === `/rounds/${roundId}/export`);
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const [quick] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
    expect(quick.suggestedFilename()).toMatch(/\.json$/);

    await switchLanguage(page);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
