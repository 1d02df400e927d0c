import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import type { GraphQLClient } from '../support/client.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession, type ContextOptions } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * The revision workbench: a facilitator revises one indicator of a closed round from the comments that
 * propose a change, takes one up into the draft, watches the word diff, and proposes the revision for a
 * ballot; the comment then says, to its author too, which version took it up. With and without JavaScript.
 */
describe.skipIf(!hasBrowser)('the revision workbench', () => {
  let platform: Platform;
  let browser: Browser;
  let facilitator: GraphQLClient;
  let roundId: string;
  let indicatorId: (code: string) => string;
  /** The demo comment (its id) on `code` whose proposed text contains `words`. */
  let proposal: (code: string, words: string) => Promise<string>;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    facilitator = await platform.api.as(demo.facilitator);
    const data = await facilitator.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } }`);
    const spwg = data.rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    roundId = spwg.id;
    indicatorId = (code) => spwg.indicators.find((i: any) => i.indicator.code === code).indicator.id;
    proposal = async (code, words) => {
      const { roundComments } = await facilitator.data(`query($r: ID!, $i: ID!) { roundComments(roundId: $r, filter: { indicatorIds: [$i] }, first: 50) { edges { node { id proposedChange } } } }`, {
        r: roundId,
        i: indicatorId(code),
      });
      return roundComments.edges.find((e: any) => e.node.proposedChange?.includes(words)).node.id;
    };
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
  const indicatorPage = (code: string) => `/rounds/${roundId}/indicators/${indicatorId(code)}`;
  const awaiting = async () => (await facilitator.data(`{ revisionsAwaitingBallot { id indicator { code } } }`)).revisionsAwaitingBallot as { id: string; indicator: { code: string } }[];
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });

  test('while the round takes comments there is nothing to revise', async () => {
    const p = await pageAs(demo.facilitator);
    await p.goto(indicatorPage('GEN-01'));
    expect(await p.getByRole('link', { name: 'Revisar este indicador' }).count()).toBe(0);
    await p.goto(`${indicatorPage('GEN-01')}/revise`);
    expect(await p.getByText('La ronda todavía recibe comentarios').count()).toBe(1);
    expect(await p.getByRole('button', { name: 'Proponer a votación' }).count()).toBe(0);
    await p.context().close();
    await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { status } }`, { id: roundId });
  });

  test('a stakeholder cannot open the workbench', async () => {
    const p = await pageAs(demo.stakeholder);
    await p.goto(indicatorPage('GEN-01'));
    expect(await p.getByRole('link', { name: 'Revisar este indicador' }).count()).toBe(0);
    const response = await p.goto(`${indicatorPage('GEN-01')}/revise`);
    expect(response?.status()).toBe(403);
    await p.context().close();
  });

  test('with JavaScript: take up a proposed change, see the diff as the draft changes, propose it; the author then sees it taken up', async () => {
    const commentId = await proposal('GEN-01', 'contadas una sola vez');
    const p = await pageAs(demo.facilitator);
    await p.goto(indicatorPage('GEN-01'));
    await p.getByRole('link', { name: 'Revisar este indicador' }).click();
    await p.waitForURL(/\/revise$/);
    await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset);
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toContain('Revisar GEN-01');
    // Only the comments that propose a change.
    const cards = p.locator('article.proposal');
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await cards.filter({ hasNotText: 'Texto propuesto' }).count()).toBe(0);
    expect(await axeViolations(p)).toEqual([]);

    const statement = p.locator('#text-STATEMENT-es');
    const before = await statement.inputValue();
    expect(before).toContain('nuevos prestatarios');
    await p.locator(`#proposal-${commentId}`).getByRole('button', { name: /Tomar en la revisión/ }).click();
    // The proposed words replace the passage the comment quoted, in its field and language.
    await poll(() => statement.inputValue()).toContain('nuevas personas prestatarias (contadas una sola vez aunque tengan varios créditos)');
    expect(await statement.inputValue()).not.toContain('nuevos prestatarios');
    expect(await p.locator(`#answers-${commentId}`).isChecked()).toBe(true);
    const diff = p.getByTestId('revision-diff');
    await poll(() => diff.locator('ins').allTextContents().then((t) => t.join(' '))).toContain('personas');
    expect(await diff.locator('del').allTextContents().then((t) => t.join(' '))).toContain('nuevos');

    // Typing changes the diff too.
    await statement.fill(`${await statement.inputValue()} Se informa cada trimestre.`);
    await poll(() => diff.locator('ins').allTextContents().then((t) => t.join(' '))).toContain('trimestre');
    expect(await axeViolations(p)).toEqual([]);

    await p.locator('#change-summary').fill('Contar personas, no créditos, como pidió el comentario.');
    await p.getByRole('button', { name: 'Proponer a votación' }).click();
    const notice = p.locator('#proposed');
    await poll(() => notice.textContent()).toMatch(/La versión (\d+) queda propuesta/);
    const number = /La versión (\d+)/.exec((await notice.textContent())!)![1];
    const revision = (await awaiting()).find((r) => r.indicator.code === 'GEN-01');
    expect(revision).toBeTruthy();
    await poll(() => p.locator(`#proposal-${commentId}`).getByTestId('taken-up').textContent()).toContain(`Tomado en la versión ${number}`);

    // The console opens with the revision chosen for a new ballot.
    await p.getByRole('link', { name: 'Someterla a votación en la consola de votaciones' }).click();
    await p.waitForURL(/\/ballots\/console/);
    expect(await p.locator(`input[name="revisionIds"][value="${revision!.id}"]`).isChecked()).toBe(true);
    await p.context().close();

    // The author reads it on their comment in the round.
    const author = await pageAs(demo.stakeholder);
    await author.goto(indicatorPage('GEN-01'));
    await poll(() => author.locator(`#comment-${commentId}`).getByTestId('taken-up').textContent()).toContain(`Tomado en la versión ${number}, propuesta a votación`);
    expect(await axeViolations(author)).toEqual([]);
    await author.context().close();
  });

  // axe runs scripts in the page, so it checks the workbench in the test above, with JavaScript.
  test('without JavaScript: take up and preview post the form back with the diff; bad input is refused at its field and stores nothing; then it is proposed', async () => {
    const commentId = await proposal('GEN-02', 'cada dos años');
    const p = await pageAs(demo.facilitator, { javaScript: false, width: 390 });
    await p.goto(`${indicatorPage('GEN-02')}/revise`);
    const count = (await awaiting()).length;

    // Nothing changed yet: refused, in Spanish, at the text.
    await p.locator('#change-summary').fill('Sin cambios.');
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'Proponer a votación' }).click()]);
    expect(await p.locator('#texts-error').textContent()).toContain('El texto es igual al de la versión consultada');
    expect(await p.locator('#change-summary').inputValue()).toBe('Sin cambios.');

    // «Ver los cambios» shows the diff of what was typed.
    const title = p.locator('#text-TITLE-es');
    await title.fill(`${await title.inputValue()} (revisado)`);
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'Ver los cambios' }).click()]);
    expect(await p.getByTestId('revision-diff').locator('ins').allTextContents().then((t) => t.join(' '))).toContain('revisado');
    expect(await title.inputValue()).toContain('(revisado)');

    // «Tomar en la revisión» posts the form and comes back with the proposed text in its place and the comment ticked.
    await Promise.all([p.waitForLoadState('load'), p.locator(`#proposal-${commentId}`).getByRole('button', { name: /Tomar en la revisión/ }).click()]);
    expect(await p.locator('#text-LEVELS-es').inputValue()).toContain('al menos una vez cada dos años');
    expect(await title.inputValue()).toContain('(revisado)');
    expect(await p.locator(`#answers-${commentId}`).isChecked()).toBe(true);
    expect(await p.getByTestId('revision-diff').locator('ins').allTextContents().then((t) => t.join(' '))).toMatch(/cada.*dos años/);

    // A summary of only spaces is refused at its field; the draft is kept and nothing is stored.
    await p.locator('#change-summary').fill('   ');
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'Proponer a votación' }).click()]);
    expect(await p.locator('#change-summary-error').textContent()).toContain('Escriba qué cambia y por qué');
    expect(await p.locator('#text-LEVELS-es').inputValue()).toContain('cada dos años');
    expect(await p.locator(`#answers-${commentId}`).isChecked()).toBe(true);
    expect((await awaiting()).length).toBe(count);

    await p.locator('#change-summary').fill('Verificación cada dos años, como propuso el comentario.');
    await Promise.all([p.waitForURL(/\/revise#proposed$/), p.getByRole('button', { name: 'Proponer a votación' }).click()]);
    expect(await p.locator('#proposed').textContent()).toMatch(/La versión \d+ queda propuesta/);
    expect((await awaiting()).length).toBe(count + 1);
    expect(await p.locator(`#proposal-${commentId}`).getByTestId('taken-up').textContent()).toMatch(/Tomado en la versión \d+/);
    // Reloading reads the page again instead of proposing twice.
    await p.reload();
    expect((await awaiting()).length).toBe(count + 1);
    await p.context().close();
  });
});
