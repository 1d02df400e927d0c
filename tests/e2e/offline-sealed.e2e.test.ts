import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Comment } from '../../api/src/comments/comment.entity.js';
import { demo } from '../support/api.js';
import { hasBrowser, launchBrowser, newContext, signIn } from '../support/browser.js';
import { demoRounds, startPlatform, type Platform } from '../support/platform.js';

/**
 * On a shared phone, what one person keeps on the device (drafts, writes waiting for a link) is sealed
 * for them: the device holds ciphertext only, nobody else (nor anyone once they signed out) can read
 * it, and they get it back when they sign in again.
 */
describe.skipIf(!hasBrowser)('drafts and waiting writes sealed for their writer on a shared phone', () => {
  let platform: Platform;
  let browser: Browser;
  let roundId: string;
  let indicatorId: (code: string) => string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    ({ roundId, indicatorId } = await demoRounds(platform));
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const commentsWith = (body: string) => platform.api.db.orm.em.fork().count(Comment, { body });

  async function open(page: Page, path: string) {
    await page.goto(path);
    await page.waitForSelector('html[data-hydrated]');
  }

  async function signOut(page: Page) {
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL((url) => url.pathname === '/');
  }

  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, platform.webUrl, { width: 360 });
    const page = await context.newPage();
    await signIn(page, email);
    await page.waitForSelector('html[data-hydrated]');
    return { context, page };
  }

  /** Everything the device's offline database and local storage hold, as text, binary parts decoded: a text kept in clear anywhere shows. */
  const deviceText = (page: Page) =>
    page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('consulta-offline');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const records = await Promise.all(
        [...db.objectStoreNames].map(
          (name) =>
            new Promise<unknown[]>((resolve) => {
              const all = db.transaction(name).objectStore(name).getAll();
              all.onsuccess = () => resolve(all.result);
            }),
        ),
      );
      db.close();
      const text = (v: unknown) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder().decode(v as ArrayBuffer) : v);
      return JSON.stringify(records, (_key, value) => text(value)) + JSON.stringify({ ...localStorage });
    });

  /**
   * What the signed-in session's key opens of one store, as the page could read it; null when the
   * session gets no key (signed out). Reads the device directly, not through the app's own code.
   */
  const openedWithSessionKey = (page: Page, store: 'drafts' | 'outbox') =>
    page.evaluate(async (name) => {
      const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ offlineKey }' }) });
      const { data } = (await response.json()) as { data: { offlineKey: string } | null };
      if (!data) return null;
      const curve = { name: 'ECDH', namedCurve: 'P-256' };
      const privateKey = await crypto.subtle.importKey('jwk', JSON.parse(data.offlineKey), curve, false, ['deriveKey']);
      const records = await new Promise<{ sealed?: { epk: JsonWebKey; iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer }; epk?: JsonWebKey }[]>((resolve, reject) => {
        const request = indexedDB.open('consulta-offline');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const all = request.result.transaction(name).objectStore(name).getAll();
          all.onsuccess = () => resolve(all.result);
        };
      });
      const opened: string[] = [];
      for (const record of records) {
        // A draft is kept sealed as it is; an outbox entry keeps whose, what kind and when beside its sealed part.
        const sealed = record.sealed ?? (record as unknown as { epk: JsonWebKey; iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer });
        try {
          const epk = await crypto.subtle.importKey('jwk', sealed.epk, curve, false, []);
          const key = await crypto.subtle.deriveKey({ name: 'ECDH', public: epk }, privateKey, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
          opened.push(new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.data)));
        } catch {
          // Not this person's.
        }
      }
      return opened;
    }, store);

  const draftsKept = async (page: Page) => (await deviceText(page)).match(/"epk"/g)?.length ?? 0;

  test('a half-written comment is kept sealed: not in clear on the device, not for the next person, back for its writer', async () => {
    const { context, page } = await signedIn(demo.member);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-08')}`;
    await open(page, indicatorPath);
    const draft = `Borrador confidencial ${Date.now()}: el regulador no consultó a las redes`;
    await page.locator('#comment-body').fill(draft);
    await expect.poll(() => draftsKept(page)).toBe(1);
    expect(await deviceText(page)).not.toContain('Borrador confidencial');
    // Only the public half of the key stays on the device; the private half never does, nor in the page cache.
    expect(await deviceText(page)).not.toMatch(/"d"\s*:/);
    expect((await openedWithSessionKey(page, 'drafts'))!.some((text) => text.includes(draft))).toBe(true);
    const { privateHalf, cacheControl } = await page.evaluate(async () => {
      const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ offlineKey }' }) });
      return { privateHalf: JSON.parse((await response.json()).data.offlineKey).d as string, cacheControl: response.headers.get('cache-control') };
    });
    expect(cacheControl).toMatch(/\bno-store\b/);
    const inPageCaches = await page.evaluate(async (d) => {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) if ((await (await cache.match(request))!.text()).includes(d)) return true;
      }
      return false;
    }, privateHalf);
    expect(inPageCaches).toBe(false);

    // Signed out: the draft stays, sealed, and nothing on this browser gets the key to open it.
    await signOut(page);
    expect(await draftsKept(page)).toBe(1);
    expect(await deviceText(page)).not.toContain('Borrador confidencial');
    expect(await openedWithSessionKey(page, 'drafts')).toBeNull();

    // The next person on the phone is offered nothing, and their key opens nothing of it.
    await signIn(page, demo.member2, undefined, indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    expect(await openedWithSessionKey(page, 'drafts')).toEqual([]);
    expect(await page.getByTestId('draft-offer').count()).toBe(0);
    expect(await page.locator('#comment-body').inputValue()).toBe('');
    expect(await page.getByText('Borrador confidencial').count()).toBe(0);
    await signOut(page);

    // Its writer signs in again: offered back, with its text.
    await signIn(page, demo.member, undefined, indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.getByTestId('draft-offer').count()).toBe(1);
    await page.getByRole('button', { name: 'Recuperar el borrador' }).click();
    expect(await page.locator('#comment-body').inputValue()).toBe(draft);
    await context.close();
  });

  test('a page read again without a link seals a draft with the key kept from before, and offers it back once the link returns', async () => {
    const { context, page } = await signedIn(demo.stakeholder);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-03')}`;
    await open(page, indicatorPath);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    await expect.poll(() => page.evaluate(async (path) => !!(await caches.match(path)), indicatorPath)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
    const draft = `Sin conexión y a medio escribir ${Date.now()}`;
    await page.locator('#comment-body').fill(draft);
    await expect.poll(() => draftsKept(page)).toBe(1);
    expect(await deviceText(page)).not.toContain('a medio escribir');
    // Read again without a link: this page has no key to open it yet.
    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
    expect(await page.getByTestId('draft-offer').count()).toBe(0);

    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('draft-offer').count(), { timeout: 20_000 }).toBe(1);
    await page.getByRole('button', { name: 'Recuperar el borrador' }).click();
    expect(await page.locator('#comment-body').inputValue()).toBe(draft);
    await context.close();
  });

  test('a comment written without a link waits sealed; signed out before the link returns, it is sent once when its writer signs in again', async () => {
    const { context, page } = await signedIn(demo.member3);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-02')}`;
    await open(page, indicatorPath);
    await context.setOffline(true);
    const body = `Escrito sin conexión y confidencial ${Date.now()}: la evaluación de la institución es débil.`;
    await page.locator('#comment-body').fill(body);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('1 envío en espera');
    expect(await deviceText(page)).not.toContain('confidencial');
    expect(await deviceText(page)).toContain('"kind":"comment"');

    // The session is lost before the link returns; this tab's retry finds no session and keeps the write.
    await context.clearCookies();
    await context.setOffline(false);
    await expect.poll(() => openedWithSessionKey(page, 'outbox')).toBeNull();
    expect(await deviceText(page)).not.toContain('confidencial');
    expect(await commentsWith(body)).toBe(0);

    // The next person on the phone sees nothing of it and sends nothing of it.
    await signIn(page, demo.member2, undefined, indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    expect(await openedWithSessionKey(page, 'outbox')).toEqual([]);
    expect(await page.getByTestId('outbox-waiting').count()).toBe(0);
    expect(await page.getByText('Escrito sin conexión y confidencial').count()).toBe(0);
    await signOut(page);
    expect(await commentsWith(body)).toBe(0);

    // Its writer signs in again: sent, once.
    await signIn(page, demo.member3, undefined, indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.getByTestId('outbox-sent').count(), { timeout: 20_000 }).toBe(1);
    expect(await commentsWith(body)).toBe(1);
    expect(await page.getByTestId('outbox-waiting').count()).toBe(0);
    await expect.poll(() => page.locator('article.comment', { hasText: body }).count()).toBe(1);
    await context.close();
  });
});
