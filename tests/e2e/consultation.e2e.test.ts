import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { demoRounds, startPlatform, type Platform } from '../support/platform.js';

describe.skipIf(!hasBrowser)('consultation in the browser', () => {
  let platform: Platform;
  let browser: Browser;
  let roundId: string;
  let usspmRoundId: string;
  let indicatorId: (code: string) => string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    ({ roundId, usspmRoundId, indicatorId } = await demoRounds(platform));
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function pageAs(email: string, options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const context = await newContext(browser, platform.webUrl, options);
    const p = await context.newPage();
    await startSession(p, email);
    return p;
  }

  /** Selects `quote` inside the field's text the way a mouse drag does: a DOM selection over it. */
  async function selectInField(p: Page, field: string, quote: string) {
    await p.locator(`[data-field=${field}]`).evaluate((el, q) => {
      const text = el.textContent ?? '';
      const start = text.indexOf(q);
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent!.length;
        if (start >= seen && start <= seen + len) range.setStart(node, start - seen);
        if (start + q.length >= seen && start + q.length <= seen + len) { range.setEnd(node, start + q.length - seen); break; }
        seen += len;
      }
      const selection = document.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    }, quote);
  }

  test('a stakeholder selects a passage and comments; a facilitator disposes of it; the stakeholder sees the response', async () => {
    const quote = 'la proporción de mujeres en la gerencia';
    // This attempt's own words: a retry runs beside a timed-out attempt that may still be writing its comment.
    const asked = `period (${randomUUID().slice(0, 8)})`;
    const stakeholder = await pageAs(demo.stakeholder);
    await stakeholder.goto(`/rounds/${roundId}/indicators/${indicatorId('GEN-08')}`, { waitUntil: 'networkidle' });
    const statement = (await stakeholder.locator('[data-field=STATEMENT]').textContent())!;
    const passage = statement.includes(quote) ? quote : statement.slice(4, 40);
    await selectInField(stakeholder, 'STATEMENT', passage);
    await expect.poll(() => stakeholder.locator('#comment-exact').inputValue(), { timeout: 15_000 }).toBe(passage);
    expect(await stakeholder.locator('#comment-field').inputValue()).toMatch(/^STATEMENT:/);
    await stakeholder.locator('#comment-type').selectOption('TECHNICAL');
    await stakeholder.locator('#comment-body').fill(`Please say **which** ${asked}: the fiscal year or the calendar year?`);
    await stakeholder.locator('#comment-proposed').fill('at the close of each fiscal year');
    await stakeholder.getByRole('button', { name: 'Enviar comentario' }).click();

    const mine = stakeholder.locator('article.comment', { hasText: asked });
    await expect.poll(() => mine.count(), { timeout: 15_000 }).toBe(1);
    expect(await mine.locator('blockquote').textContent()).toContain(passage);
    expect(await mine.locator('.body strong').textContent()).toBe('which');
    // The passage is highlighted in the text and links to the comment.
    const mark = stakeholder.locator(`[data-field=STATEMENT] mark a[href="#${await mine.getAttribute('id')}"]`);
    expect(await mark.textContent()).toContain(passage);
    expect(await axeViolations(stakeholder)).toEqual([]);

    const facilitator = await pageAs(demo.facilitator);
    await facilitator.goto(`/rounds/${roundId}/dispositions`, { waitUntil: 'networkidle' });
    const leftBefore = (await facilitator.getByTestId('left').textContent())!;
    const item = facilitator.locator('.queue li', { hasText: asked });
    await item.locator('input[type=checkbox]').check();
    await facilitator.locator('#dispose-status').selectOption('PARTIALLY_ACCEPTED');
    await facilitator.locator('#dispose-response').fill('Se precisará el ejercicio fiscal en la versión siguiente.');
    await facilitator.getByRole('button', { name: 'Aplicar a los marcados' }).click();
    await expect.poll(() => facilitator.locator('.notice.success').textContent(), { timeout: 15_000 }).toContain('1 comentario recibió su disposición');
    await expect.poll(() => facilitator.getByTestId('left').textContent(), { timeout: 15_000 }).not.toBe(leftBefore);
    expect(await facilitator.locator('.queue li', { hasText: asked }).count()).toBe(0);
    expect(await axeViolations(facilitator)).toEqual([]);

    await stakeholder.reload({ waitUntil: 'networkidle' });
    const answered = stakeholder.locator('article.comment', { hasText: asked });
    expect(await answered.locator('.disposition').textContent()).toContain('Aceptado en parte');
    expect(await answered.locator('.disposition').textContent()).toContain('Se precisará el ejercicio fiscal');

    // A second answered comment on the page: each answer is named for its comment, not one landmark twice.
    const [{ id: versionId }] = await platform.api.db.orm.em
      .fork()
      .execute<{ id: string }[]>('select indicator_version_id as id from round_version where round_id = ? and indicator_id = ?', [roundId, indicatorId('GEN-08')]);
    const other = await platform.api.as(demo.stakeholderEn);
    const { addComment } = await other.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body: 'A second comment that gets an answer.' },
    });
    const facilitatorApi = await platform.api.as(demo.facilitator);
    await facilitatorApi.data(`mutation($input: DispositionInput!) { setDispositions(input: $input) { id } }`, { input: { commentIds: [addComment.id], status: 'NOTED', response: 'Tomado en cuenta.' } });
    await stakeholder.reload({ waitUntil: 'networkidle' });
    expect(await stakeholder.locator('article.comment .disposition').count()).toBeGreaterThanOrEqual(2);
    expect(await axeViolations(stakeholder)).toEqual([]);
  });

  test('from the keyboard: select a passage with Shift + arrows, then comment', async () => {
    const p = await pageAs('momotombo@consulta.demo');
    await p.goto(`/rounds/${roundId}/indicators/${indicatorId('RUR-05')}`, { waitUntil: 'networkidle' });
    await p.getByRole('button', { name: 'Seleccionar con el teclado' }).first().focus();
    await p.keyboard.press('Enter');
    const box = p.locator('textarea[aria-readonly=true]');
    await box.focus();
    // The caret starts at the end of the text: select the last twelve characters.
    await p.keyboard.press('End');
    for (let i = 0; i < 12; i++) await p.keyboard.press('Shift+ArrowLeft');
    const expected = (await box.inputValue()).slice(-12);
    await expect.poll(() => p.locator('#comment-exact').inputValue(), { timeout: 15_000 }).toBe(expected);
    await p.keyboard.press('Enter');
    await expect.poll(() => p.evaluate(() => document.activeElement?.id), { timeout: 15_000 }).toBe('comment-body');
    await p.keyboard.type('Comentario hecho solo con el teclado.');
    await p.getByRole('button', { name: 'Enviar comentario' }).click();
    const mine = p.locator('article.comment', { hasText: 'solo con el teclado' });
    await expect.poll(() => mine.count(), { timeout: 15_000 }).toBe(1);
    expect(await mine.locator('blockquote').textContent()).toContain(expected);
  });

  test('without JavaScript, at 360 px: comment on a field with a typed quote, reply, and rate practices', async () => {
    const p = await pageAs('horizonte@consulta.demo', { javaScript: false, width: 360 });
    await p.goto(`/rounds/${roundId}/indicators/${indicatorId('POV-03')}`);
    expect(await scrollsSideways(p)).toBe(false);
    const options = await p.locator('#comment-field option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await p.locator('#comment-field').selectOption(options.find((v) => v.startsWith('MEASUREMENT:'))!);
    const measurement = (await p.locator('[data-field=MEASUREMENT]').textContent())!.trim();
    await p.locator('#comment-exact').fill(measurement.slice(0, 20));
    await p.locator('#comment-body').fill('Comentario sin JavaScript.');
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Enviar comentario' }).click()]);
    const mine = p.locator('article.comment', { hasText: 'Comentario sin JavaScript.' });
    expect(await mine.count()).toBe(1);
    expect(await mine.locator('blockquote').textContent()).toContain(measurement.slice(0, 20));

    // A quote that is not in the field: the form says so and nothing is stored.
    await p.locator('#comment-field').selectOption(options.find((v) => v.startsWith('MEASUREMENT:'))!);
    await p.locator('#comment-exact').fill('palabras que no están');
    await p.locator('#comment-body').fill('No debería guardarse.');
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Enviar comentario' }).click()]);
    expect(await p.locator('.notice.error').textContent()).toContain('Ese pasaje no está en el campo elegido');
    await p.goto(`/rounds/${roundId}/indicators/${indicatorId('POV-03')}`);
    expect(await p.locator('article.comment', { hasText: 'No debería guardarse.' }).count()).toBe(0);

    await p.goto(`/rounds/${usspmRoundId}/ratings`);
    expect(await scrollsSideways(p)).toBe(false);
    const first = p.locator('main fieldset').first();
    await first.getByLabel('No pertinente').check();
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Guardar mis valoraciones' }).click()]);
    expect(await p.locator('.notice.success').textContent()).toContain('Se guardó 1 valoración');
    expect(await p.locator('main fieldset').first().getByLabel('No pertinente').isChecked()).toBe(true);
  });

  test('the round page shows the deadline in the viewer’s time zone and their progress', async () => {
    const p = await pageAs(demo.stakeholder, { width: 360 });
    await p.goto(`/rounds/${roundId}`);
    expect(await p.locator('.countdown').textContent()).toMatch(/Quedan \d+ días/);
    expect(await p.locator('#progress-text').textContent()).toMatch(/Ha comentado \d+ de 24 indicadores/);
    expect(await scrollsSideways(p)).toBe(false);
    expect(await axeViolations(p)).toEqual([]);
  });
});
