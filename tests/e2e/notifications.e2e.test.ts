import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConsultationRound } from '../../api/src/rounds/round.entity.js';
import { RoundVersion } from '../../api/src/rounds/round-version.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { settled } from '../support/jobs.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { linkIn } from '../support/smtp.js';

const PREFER = `mutation($kind: NotificationKind!, $delivery: NotificationDelivery!) { setNotificationPreference(kind: $kind, delivery: $delivery) { kind } }`;
const PREFERENCES = `{ myNotificationPreferences { kind delivery } }`;

/**
 * A person hears of a reply to their comment: by e-mail (a real SMTP server) and in the header's count;
 * reads it on /notifications and marks it read; chooses per kind on their account page; and, signed
 * out, stops a kind through the link in the mail — on a 360 px phone, with JavaScript and without.
 */
describe.skipIf(!hasBrowser)('notifications', () => {
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform({ smtp: true });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function submit(p: Page, name: string | RegExp) {
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name }).first().click()]);
  }

  /** The stakeholder comments on the demo's open round and a member replies: the stakeholder is told. */
  async function replyToStakeholder() {
    const em = platform.api.db.orm.em.fork();
    const now = new Date();
    const round = await em.findOneOrFail(ConsultationRound, { framework: { slug: 'spwg-lac-certification' }, opensAt: { $lte: now }, closesAt: { $gt: now }, resolvedAt: null, audienceAll: true }, { orderBy: { opensAt: 'asc' } });
    const pinned = await em.findOneOrFail(RoundVersion, { round }, { orderBy: { position: 'asc' } });
    const author = await platform.api.as(demo.stakeholder);
    const { addComment } = await author.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: pinned.indicatorVersion.id, type: 'GENERAL', body: `Comentario que recibirá respuesta ${Date.now()}` },
    });
    await (await platform.api.as(demo.member)).data(`mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`, { input: { parentId: addComment.id, body: 'Gracias, lo revisamos.' } });
    return author;
  }

  for (const javaScript of [true, false]) {
    test(`a reply reaches the author by mail and in the app; settings and a signed-out unsubscribe (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const setup = await platform.api.as(demo.stakeholder);
      await setup.data(PREFER, { kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE' });
      await setup.data(`mutation { markNotificationsRead }`);
      const mailsBefore = platform.smtp!.received.length;
      await replyToStakeholder();
      const mail = await platform.smtp!.waitFor(demo.stakeholder, (m) => platform.smtp!.received.indexOf(m) >= mailsBefore && (m.subject ?? '').startsWith('Nueva respuesta a su comentario en'));
      await settled(platform.api.db.orm);

      const context = await newContext(browser, platform.webUrl, { javaScript, width: 360 });
      const p = await context.newPage();
      const expectNoAxeViolations = async () => {
        if (javaScript) expect(await axeViolations(p)).toEqual([]);
        expect(await scrollsSideways(p)).toBe(false);
      };
      await startSession(p, demo.stakeholder);
      await expect.poll(() => p.getByTestId('notifications-link').textContent()).toContain('Avisos (1 nuevo)');
      await p.getByTestId('notifications-link').click();
      await p.waitForURL('**/notifications');
      await expectNoAxeViolations();
      const item = p.locator('[data-testid=notifications] li').first();
      expect(await item.textContent()).toContain('Nueva respuesta a su comentario en');
      await submit(p, /^Marcar como leído/);
      await expect.poll(() => p.getByTestId('notifications-link').textContent()).not.toContain('nuevo');
      await expect.poll(() => p.locator('.notice.success').first().textContent()).toContain('Marcado como leído');
      await expectNoAxeViolations();

      await p.goto('/account');
      await p.getByRole('group', { name: 'Se publica el resumen de una ronda en la que participé' }).getByLabel('Nunca').check();
      await submit(p, 'Guardar la configuración de avisos');
      await expect.poll(() => p.locator('.notice.success').first().textContent()).toContain('Se guardó su configuración de avisos');
      expect((await setup.data(PREFERENCES)).myNotificationPreferences).toContainEqual({ kind: 'SUMMARY_PUBLISHED', delivery: 'NEVER' });
      await expectNoAxeViolations();
      await setup.data(PREFER, { kind: 'SUMMARY_PUBLISHED', delivery: 'DIGEST' });

      // Signed out, from the mail: opening the link changes nothing; its button stops the kind.
      const signedOut = await (await newContext(browser, platform.webUrl, { javaScript, width: 360 })).newPage();
      const link = linkIn(mail.text, `${platform.webUrl}/notifications/unsubscribe?token=`);
      await signedOut.goto(link.replace('token=', 'token=falso'));
      await submit(signedOut, 'Dejar de recibir estos correos');
      await expect.poll(() => signedOut.locator('.notice.error').first().textContent()).toContain('Este enlace no es válido');
      await signedOut.goto(link);
      if (javaScript) expect(await axeViolations(signedOut)).toEqual([]);
      expect((await setup.data(PREFERENCES)).myNotificationPreferences).toContainEqual({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE' });
      await submit(signedOut, 'Dejar de recibir estos correos');
      await expect.poll(() => signedOut.locator('.notice.success').first().textContent()).toContain('Alguien responde a mi comentario');
      if (javaScript) expect(await axeViolations(signedOut)).toEqual([]);
      expect((await setup.data(PREFERENCES)).myNotificationPreferences).toContainEqual({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'NEVER' });
      await context.close();
      await signedOut.context().close();
    }, 300_000);
  }
});
