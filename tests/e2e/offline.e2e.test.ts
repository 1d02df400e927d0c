import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Comment } from '../../api/src/comments/comment.entity.js';
import { PracticeRating } from '../../api/src/ratings/practice-rating.entity.js';
import { User } from '../../api/src/users/user.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, signIn } from '../support/browser.js';
import { demoRounds, startPlatform, type Platform } from '../support/platform.js';

describe.skipIf(!hasBrowser)('a stakeholder with an intermittent link', () => {
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

  const em = () => platform.api.db.orm.em.fork();
  const commentsWith = (body: string) => em().count(Comment, { body });

  /** Signed in, with the service worker in control of the page. */
  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, platform.webUrl, { width: 360 });
    const page = await context.newPage();
    await signIn(page, email);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    return { context, page };
  }

  /** A full page load that waits for the scripts to take over. */
  async function open(page: Page, path: string) {
    await page.goto(path);
    await page.waitForSelector('html[data-hydrated]');
  }

  test('reads the round and an indicator without a link, writes a comment and a rating, and they land once when the link returns', async () => {
    const { context, page } = await signedIn(demo.stakeholder);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-03')}`;
    await open(page, `/rounds/${roundId}`);
    await open(page, indicatorPath);
    const statement = await page.locator('[data-field=STATEMENT]').first().textContent();
    await open(page, `/rounds/${usspmRoundId}/ratings`);
    expect(await page.locator('[data-saved-copy]').count()).toBe(0);

    await context.setOffline(true);
    await page.goto(`/rounds/${roundId}`);
    await expect.poll(() => page.locator('[data-saved-copy]').count()).toBe(1);
    expect(await page.locator('[data-saved-copy]').textContent()).toMatch(/Copia guardada, del .+/);
    await page.goto(indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    expect(await page.locator('[data-field=STATEMENT]').first().textContent()).toBe(statement);
    await expect.poll(() => page.getByTestId('no-link').count()).toBe(1);

    const body = `Escrito sin conexión ${Date.now()}: conviene aclarar el periodo.`;
    await page.locator('#comment-body').fill(body);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('1 envío en espera');
    expect(await page.locator('#comment-body').inputValue()).toBe('');
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`/rounds/${usspmRoundId}/ratings`);
    await page.waitForSelector('html[data-hydrated]');
    const practice = page.locator('main fieldset').nth(2);
    const choice = (await practice.getByLabel('No pertinente', { exact: true }).isChecked()) ? { label: 'Esencial', value: 'ESSENTIAL' } : { label: 'No pertinente', value: 'NOT_RELEVANT' };
    const practiceId = (await practice.getByLabel(choice.label, { exact: true }).getAttribute('name'))!.replace('value-', '');
    await practice.getByLabel(choice.label, { exact: true }).check();
    await page.getByRole('button', { name: 'Guardar mis valoraciones' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('2 envíos en espera');
    expect(await axeViolations(page)).toEqual([]);
    expect(await commentsWith(body)).toBe(0);

    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-sent').textContent(), { timeout: 20_000 }).toContain('2 envíos');
    expect(await page.getByTestId('outbox-waiting').count()).toBe(0);
    expect(await commentsWith(body)).toBe(1);
    const stakeholder = await em().findOneOrFail(User, { email: demo.stakeholder });
    expect(await em().count(PracticeRating, { round: usspmRoundId, userId: stakeholder.id, indicator: practiceId, value: choice.value as PracticeRating['value'] })).toBe(1);
    // The page read itself again: the rating is checked as saved.
    await expect.poll(() => page.locator('main fieldset').nth(2).getByLabel(choice.label, { exact: true }).isChecked()).toBe(true);
    await page.goto(indicatorPath);
    expect(await page.locator('article.comment', { hasText: body }).count()).toBe(1);
    await context.close();
  });

  test('a comment whose answer is lost after the server wrote it is sent again and still lands once', async () => {
    const { context, page } = await signedIn(demo.stakeholderEn);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-04')}`;
    await open(page, indicatorPath);
    let dropped = 0;
    await page.route((url) => url.search.includes('/comment'), async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      dropped++;
      await route.abort('connectionreset');
    });
    const body = `Answer lost on the way back ${Date.now()}.`;
    await page.locator('#comment-body').fill(body);
    await page.locator('form:has(#comment-body) button[type=submit]').click();
    await expect.poll(() => page.getByTestId('outbox-waiting').count()).toBe(1);
    expect(dropped).toBe(1);
    expect(await commentsWith(body)).toBe(1);

    await page.unrouteAll();
    await page.reload();
    await expect.poll(() => page.getByTestId('outbox-sent').count(), { timeout: 20_000 }).toBe(1);
    expect(await commentsWith(body)).toBe(1);
    await expect.poll(() => page.locator('article.comment', { hasText: body }).count()).toBe(1);
    await context.close();
  });

  test('a comment kept offline in a round that closed meanwhile is refused, and its text stays with the person', async () => {
    const { context, page } = await signedIn(demo.member);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-05')}`;
    await open(page, indicatorPath);
    await context.setOffline(true);
    const body = `Escrito antes del cierre ${Date.now()}.`;
    await page.locator('#comment-body').fill(body);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').count()).toBe(1);
    // The round closes while the phone has no link.
    await em().execute(`update consultation_round set closes_at = now() - interval '1 minute' where id = ?`, [roundId]);
    try {
      await context.setOffline(false);
      await expect.poll(() => page.getByTestId('outbox-refused').count(), { timeout: 20_000 }).toBe(1);
      const refused = page.getByTestId('outbox-refused');
      expect(await refused.textContent()).toMatch(/no fue aceptado/);
      expect(await refused.locator('textarea').inputValue()).toBe(body);
      expect(await commentsWith(body)).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await em().execute(`update consultation_round set closes_at = now() + interval '30 days' where id = ?`, [roundId]);
    }
    await context.close();
  });

  /** The drafts kept on this device (IndexedDB), as their texts. */
  const draftsOnDevice = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('consulta-offline');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('drafts').objectStore('drafts').getAll();
            all.onsuccess = () => resolve(all.result.map((d: { fields: { body: string } }) => d.fields.body));
          };
        }),
    );

  test('a half-written comment survives a reload and a lost session, and is offered back to its writer only', async () => {
    const { context, page } = await signedIn(demo.member3);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-06')}`;
    await open(page, indicatorPath);
    const draft = `A medio escribir ${Date.now()}: el indicador debería`;
    await page.locator('#comment-body').fill(draft);
    await expect.poll(() => draftsOnDevice(page)).toContain(draft);

    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.getByTestId('draft-offer').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Recuperar el borrador' }).click();
    expect(await page.locator('#comment-body').inputValue()).toBe(draft);

    // The session is lost (expired, or the cookies cleared): signing in again brings the draft back.
    await context.clearCookies();
    await page.goto(indicatorPath);
    await page.waitForURL((url) => url.pathname === '/signin');
    await signIn(page, demo.member3, undefined, indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.getByTestId('draft-offer').count()).toBe(1);
    await page.getByRole('button', { name: 'Recuperar el borrador' }).click();
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await expect.poll(() => commentsWith(draft)).toBe(1);
    await expect.poll(() => draftsOnDevice(page)).not.toContain(draft);

    // Another person on the same phone is offered nobody else's draft.
    await page.locator('#comment-body').fill(`${draft} (otra vez)`);
    await expect.poll(() => draftsOnDevice(page)).toContain(`${draft} (otra vez)`);
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await signIn(page, demo.member2, undefined, indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    expect(await page.getByTestId('draft-offer').count()).toBe(0);
    await context.close();
  });

  test('a visitor who is not signed in reads a published standard again without a link', async () => {
    const context = await newContext(browser, platform.webUrl, { width: 360 });
    const page = await context.newPage();
    await open(page, '/public');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    const release = page.locator('main a[href^="/public/releases/"]').first();
    const path = (await release.getAttribute('href'))!;
    await open(page, path);
    const heading = await page.locator('main h1').textContent();
    await context.setOffline(true);
    await page.reload();
    expect(await page.locator('main h1').textContent()).toBe(heading);
    await context.close();
  });

  test('signing out drops the saved pages: the next person on the phone finds none', async () => {
    const { context, page } = await signedIn(demo.member2);
    await open(page, `/rounds/${roundId}`);
    const kept = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('pages-person-')).length);
    expect(await kept()).toBe(1);
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(kept).toBe(0);
    await context.setOffline(true);
    const response = await page.goto(`/rounds/${roundId}`).catch(() => null);
    expect(response?.ok() ?? false).toBe(false);
    await context.close();
  });
});
