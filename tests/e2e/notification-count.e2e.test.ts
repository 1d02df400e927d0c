import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { User } from '../../api/src/users/user.entity.js';
import { demo } from '../support/api.js';
import { hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { settled } from '../support/jobs.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * The header's count of unread notifications is on every page a person signed in sees: it rides on the
 * request that reads the viewer, so it costs no call of its own.
 */
describe.skipIf(!hasBrowser)('the header’s unread count', () => {
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform({ recordApiCalls: true });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  test('a signed-in page load asks the API once, for the viewer with the count', async () => {
    // What the demo's own events tell the stakeholder lands first; then exactly one is unread.
    await settled(platform.api.db.orm);
    const em = platform.api.db.orm.em.fork();
    const stakeholder = await em.findOneOrFail(User, { email: demo.stakeholder });
    await em.getConnection().execute(`update notification set read_at = now() where user_id = ? and read_at is null`, [stakeholder.id]);
    await em.getConnection().execute(
      `insert into notification (id, user_id, kind, key, link, subject, subject_language, delivery) values (gen_random_uuid(), ?, 'ROUND_OPENED', 'count-test', '/rounds', '{"es": "Ronda de prueba"}', 'es', 'NEVER')`,
      [stakeholder.id],
    );

    const context = await newContext(browser, platform.webUrl, { javaScript: false });
    const p = await context.newPage();
    await startSession(p, demo.stakeholder);
    platform.apiOperations.length = 0;
    await p.goto('/');
    expect(await p.getByTestId('notifications-link').textContent()).toContain('Avisos (1 nuevo)');
    // The home page reads nothing of its own: the layout's viewer query is the whole cost.
    expect(platform.apiOperations).toEqual(['Viewer']);
    await context.close();
  });
});
