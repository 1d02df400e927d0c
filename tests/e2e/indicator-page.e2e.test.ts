import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession, type ContextOptions } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * The indicator page in a round, as a person meets it on a 390 px phone and a 1280 px desktop, with
 * and without JavaScript: choosing a passage shows its effect where the person is, each field has one
 * control, the page scrolls as one, lines keep their spaces, and a text not yet translated is read in
 * the reader's next language with a mark that says which.
 */
describe.skipIf(!hasBrowser)('the indicator page on a phone and on a desktop', () => {
  let platform: Platform;
  let browser: Browser;
  let roundId: string;
  let indicatorId: (code: string) => string;
  let ballots: { open: string; closed: string };

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const client = await platform.api.as(demo.facilitator);
    const data = await client.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } ballots { id status } }`);
    const spwg = data.rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    roundId = spwg.id;
    indicatorId = (code) => spwg.indicators.find((i: any) => i.indicator.code === code).indicator.id;
    ballots = { open: data.ballots.find((b: any) => b.status === 'OPEN').id, closed: data.ballots.find((b: any) => b.status === 'CLOSED').id };
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const indicatorPage = (code: string) => `/rounds/${roundId}/indicators/${indicatorId(code)}`;

  async function pageAs(email: string, options: ContextOptions): Promise<Page> {
    const context = await newContext(browser, platform.webUrl, options);
    const p = await context.newPage();
    await startSession(p, email);
    return p;
  }

  /** Selects `quote` inside the field's text the way a finger or a mouse does: a DOM selection over it. */
  async function selectInField(p: Page, field: string, quote: string) {
    await p.locator(`[data-field=${field}]`).evaluate((el, q) => {
      const start = (el.textContent ?? '').indexOf(q);
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent!.length;
        if (start >= seen && start <= seen + length) range.setStart(node, start - seen);
        if (start + q.length >= seen && start + q.length <= seen + length) {
          range.setEnd(node, start + q.length - seen);
          break;
        }
        seen += length;
      }
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
    }, quote);
  }

  /** Whether the element is wholly inside the window as it is scrolled now. */
  const onScreen = (target: Locator) =>
    target.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
    });

  /** Some words from the middle of a field's text, to quote. */
  async function wordsOf(p: Page, field: string) {
    const words = (await p.locator(`[data-field=${field}]`).textContent())!.trim().split(/\s+/);
    return words.slice(1, 6).join(' ');
  }

  test.each([390, 1280])('at %i px, each field has one control to comment on it, and the hint says where the text is', async (width) => {
    const p = await pageAs(demo.stakeholder, { width });
    await p.goto(indicatorPage('GEN-02'), { waitUntil: 'networkidle' });
    const text = p.getByRole('region', { name: 'Texto en consulta' });
    const fields = await text.locator('h3').count();
    expect(fields).toBe(7);
    expect(await text.getByRole('button').count()).toBe(0);
    expect(await text.getByRole('link', { name: /^Comentar todo el campo/ }).count()).toBe(fields);
    expect(await p.locator('#comment-exact-hint').innerText()).toBe(
      width < 600
        ? 'Seleccione el texto de arriba, o copie aquí las palabras exactas del campo elegido.'
        : 'Seleccione el texto a la izquierda, o copie aquí las palabras exactas del campo elegido.',
    );
    if (width > 600) {
      // Beside the text, the form is in view: the selection fills it, and no bar is needed.
      const passage = await wordsOf(p, 'STATEMENT');
      await selectInField(p, 'STATEMENT', passage);
      await expect.poll(() => p.locator('#comment-exact').inputValue(), { timeout: 15_000 }).toBe(passage);
      expect(await p.getByRole('button', { name: 'Comentar este pasaje' }).count()).toBe(0);
    }
    expect(await axeViolations(p)).toEqual([]);
    await p.context().close();
  });

  test('on a phone, a selected passage shows a bar at the bottom that scrolls to the filled form', async () => {
    const p = await pageAs('momotombo@consulta.demo', { width: 390 });
    await p.goto(indicatorPage('GEN-03'), { waitUntil: 'networkidle' });
    const passage = await wordsOf(p, 'MEASUREMENT');
    await p.locator('[data-field=MEASUREMENT]').scrollIntoViewIfNeeded();
    expect(await onScreen(p.locator('#comment-exact')), 'the form starts out of sight, below the text').toBe(false);

    await selectInField(p, 'MEASUREMENT', passage);
    const go = p.getByRole('button', { name: 'Comentar este pasaje' });
    await expect.poll(() => go.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await onScreen(go)).toBe(true);
    expect(await p.getByTestId('passage-bar').textContent()).toContain(passage);
    expect(await axeViolations(p)).toEqual([]);

    await go.click();
    await expect.poll(() => onScreen(p.locator('#comment-exact')), { timeout: 15_000 }).toBe(true);
    expect(await p.locator('#comment-exact').inputValue()).toBe(passage);
    expect(await p.locator('#comment-field').inputValue()).toMatch(/^MEASUREMENT:/);
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('comment-body');
    await expect.poll(() => go.count()).toBe(0);

    await p.keyboard.type('Comentario escrito en el teléfono.');
    await p.getByRole('button', { name: 'Enviar comentario' }).click();
    const mine = p.locator('article.comment', { hasText: 'Comentario escrito en el teléfono.' });
    await expect.poll(() => mine.count(), { timeout: 15_000 }).toBe(1);
    expect(await mine.locator('blockquote').textContent()).toContain(passage);
    await p.context().close();
  });

  test.each([390, 1280])('at %i px without JavaScript, nothing that needs it is shown, and «Comentar todo el campo» is a plain link to the form', async (width) => {
    const p = await pageAs('horizonte@consulta.demo', { javaScript: false, width });
    await p.goto(indicatorPage('POV-02'));
    expect(await p.getByRole('button', { name: 'Seleccionar con el teclado' }).count()).toBe(0);
    expect(await p.getByText('Seleccione un pasaje del texto para comentarlo', { exact: false }).isVisible()).toBe(false);
    expect(await p.locator('#comment-exact-hint').innerText()).toBe('Copie aquí las palabras exactas del campo elegido.');

    await Promise.all([p.waitForURL((url) => url.searchParams.has('field')), p.getByRole('link', { name: 'Comentar todo el campo (Medición)' }).click()]);
    expect(await p.locator('#comment-field').inputValue()).toMatch(/^MEASUREMENT:/);
    await p.locator('#comment-body').fill(`Sobre toda la medición, sin JavaScript, a ${width} px.`);
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Enviar comentario' }).click()]);
    const mine = p.locator('article.comment', { hasText: `sin JavaScript, a ${width} px.` });
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toContain('Sobre todo el campo Medición');
    await p.context().close();
  });

  test.each([390, 1280])('at %i px the page scrolls as one: the comments sit in no box of their own, and a comment sent is in view', async (width) => {
    const p = await pageAs(demo.stakeholderEn, { width, locale: 'en-US' });
    await p.goto(indicatorPage('GEN-01'), { waitUntil: 'networkidle' });
    const ownScroll = await p.locator('#comments-heading').evaluate((el) => {
      for (let box = el.parentElement; box && box !== document.documentElement; box = box.parentElement) {
        const overflow = getComputedStyle(box).overflowY;
        if ((overflow === 'auto' || overflow === 'scroll') && box.scrollHeight > box.clientHeight) return box.className;
      }
      return null;
    });
    expect(ownScroll).toBeNull();
    // The end of the last comment is reached by scrolling the page to its end.
    await p.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const lastEnds = () => p.locator('article.comment').last().evaluate((el) => el.getBoundingClientRect().bottom);
    await expect.poll(async () => { const bottom = await lastEnds(); return bottom > 0 && bottom <= (await p.evaluate(() => window.innerHeight)); }).toBe(true);

    await p.evaluate(() => window.scrollTo(0, 0));
    await p.locator('#comment-body').fill(`Sent at ${width} px and shown at once.`);
    await p.getByRole('button', { name: 'Send comment' }).click();
    const mine = p.locator('article.comment', { hasText: `Sent at ${width} px and shown at once.` });
    await expect.poll(() => mine.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => onScreen(mine.locator('.by')), { timeout: 15_000 }).toBe(true);
    await p.context().close();
  });

  test.each([390, 1280])('at %i px, author lines and other «a · b» lines keep their spaces', async (width) => {
    const p = await pageAs(demo.member, { width, javaScript: width > 600 });
    await p.goto(indicatorPage('GEN-01'));
    expect(await p.locator('article.comment .by').first().innerText()).toMatch(/^\S.* · .+ \([A-Z]{2}\)$/);
    const thread = p.locator('article.comment').first();
    expect(await thread.locator('summary').first().textContent()).toBe(`Responder a ${(await thread.locator('.by').first().textContent())!.split(' · ')[0]}`);
    const glued: string[] = [];
    for (const path of [indicatorPage('GEN-01'), '/rounds', `/ballots/${ballots.open}`, `/ballots/${ballots.closed}/results`, '/ballots']) {
      await p.goto(path);
      const text = await p.locator('main').innerText();
      for (const m of text.matchAll(/.{0,20}(\S·|·\S|:«).{0,20}/g)) glued.push(`${path}: ${m[0]}`);
    }
    expect(glued).toEqual([]);
    await p.context().close();
  });

  test.each([
    [390, false],
    [1280, true],
  ])('at %i px (JavaScript: %s), a text not yet in Portuguese is read in the reader’s next language, marked with the one shown', async (width, javaScript) => {
    const { indicatorByCode } = await (await platform.api.as(demo.facilitator)).data(
      `{ indicatorByCode(frameworkSlug: "spwg-lac-certification", code: "POV-04") { currentVersion { fields { field translations { es en pt } } } } }`,
    );
    const statement = indicatorByCode.currentVersion.fields.find((f: any) => f.field === 'STATEMENT').translations;
    expect(statement.pt, 'the demo has no Portuguese for this text').toBeNull();

    // An English speaker who reads Consulta in Portuguese (the account's language) reads English before Spanish.
    const english = await pageAs('parceira@consulta.demo', { width, javaScript, locale: 'en-US' });
    await english.goto(indicatorPage('POV-04'));
    expect(await english.locator('html').getAttribute('lang')).toBe('pt');
    expect(await english.locator('[data-field=STATEMENT]').getAttribute('lang')).toBe('en');
    expect((await english.locator('[data-field=STATEMENT]').textContent())!.trim()).toBe(statement.en);
    expect(await english.locator('main').getByText('Exibido em inglês: ainda não traduzido para o português', { exact: true }).count()).toBeGreaterThan(0);
    // axe-core runs in the page: only with JavaScript.
    if (javaScript) expect(await axeViolations(english)).toEqual([]);
    await english.goto('/frameworks/spwg-lac-certification');
    expect(await english.locator('main').getByText('Exibido em inglês: ainda não traduzido para o português', { exact: true }).count()).toBeGreaterThan(0);
    await english.context().close();

    // With only Spanish besides, the text is in Spanish, and says so.
    const spanish = await pageAs('parceira@consulta.demo', { width, javaScript, locale: 'es-ES' });
    await spanish.goto(indicatorPage('POV-04'));
    expect(await spanish.locator('[data-field=STATEMENT]').getAttribute('lang')).toBe('es');
    expect((await spanish.locator('[data-field=STATEMENT]').textContent())!.trim()).toBe(statement.es);
    expect(await spanish.locator('main').getByText('Exibido em espanhol: ainda não traduzido para o português', { exact: true }).count()).toBeGreaterThan(0);
    await spanish.context().close();
  });
});
