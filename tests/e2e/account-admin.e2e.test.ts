import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OrganizationRequest } from '../../api/src/accounts/organization-request.entity.js';
import { OrganizationKind } from '../../api/src/organizations/organization.entity.js';
import { Role, User } from '../../api/src/users/user.entity.js';
import { demo, DEMO_PASSWORD } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../api/rounds/fixtures.js';

/**
 * A person takes their data away and deletes their account from the account page; a facilitator
 * suspends and reinstates someone and approves an organization asked for at sign-up. On a 360 px
 * phone, with JavaScript and without it.
 */
describe.skipIf(!hasBrowser)('my data, and the facilitators’ account pages', () => {
  let platform: Platform;
  let browser: Browser;
  let fw: FrameworkFixture;
  let roundId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    fw = await createFramework(platform.api.db.orm, { slug: 'cuentas-admin-e2e', areas: 1, perArea: 1 });
    roundId = (await openRound(await platform.api.as(demo.facilitator), fw)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** A throwaway participant (so no demo account is deleted or suspended), with a pending organization request when asked. */
  async function participant(name: string, requestOrganization?: string) {
    const em = platform.api.db.orm.em.fork();
    const user = em.create(User, { email: `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}@example.org`, name, roles: [Role.STAKEHOLDER], passwordHash: await platform.api.app.hasher.hash(DEMO_PASSWORD) });
    if (requestOrganization) em.create(OrganizationRequest, { name: requestOrganization, country: 'BO', kind: OrganizationKind.MFI, requestedBy: user });
    await em.flush();
    return user;
  }

  // With JavaScript a form sends through use:enhance and the page updates in place; without it the browser loads the answer.
  // Either way the tests wait for what the person then sees.
  const TIMEOUT = 180_000;

  const row = async (sql: string, params: unknown[]) => (await platform.api.db.orm.em.fork().execute(sql, params))[0];

  for (const javaScript of [true, false]) {
    const mode = `JavaScript ${javaScript ? 'on' : 'off'}`;
    // axe-core runs as a script in the page, so the pass with JavaScript checks it (the same HTML either way).
    const expectNoAxeViolations = async (p: Page) => {
      if (javaScript) expect(await axeViolations(p)).toEqual([]);
    };

    test(`a person downloads their data, then deletes their account, ${javaScript ? 'keeping' : 'withdrawing'} their comments (${mode})`, async () => {
      const me = await participant(`Persona Que Se Va ${javaScript ? 'Js' : 'Html'}`);
      const author = await platform.api.as(me.email);
      const body = `Comentario de quien borra su cuenta (${mode}).`;
      const { addComment } = await author.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body } });

      const context = await newContext(browser, platform.webUrl, { javaScript, width: 360 });
      const p = await context.newPage();
      await startSession(p, me.email, '/account');
      await p.getByRole('heading', { name: 'Mis datos' }).waitFor();
      await expectNoAxeViolations(p);

      const link = p.getByRole('link', { name: 'Descargar mis datos (JSON)' });
      expect(await link.getAttribute('href')).toBe('/exports/me.json');
      const download = await context.request.get('/exports/me.json');
      expect(download.headers()['content-disposition']).toContain('attachment');
      const data = await download.json();
      expect(data.profile.email).toBe(me.email);
      expect(data.comments.map((c: { body: string }) => c.body)).toEqual([body]);

      await p.locator('summary', { hasText: 'Eliminar mi cuenta…' }).click();
      await p.getByLabel(javaScript ? 'Conservarlos en el expediente' : 'Retirarlos', { exact: false }).check();
      await p.getByLabel('Su contraseña, para confirmar').fill('no-es-mi-clave-2026');
      await p.getByLabel('Entiendo que mi cuenta se elimina para siempre').check();
      await p.getByRole('button', { name: 'Eliminar mi cuenta', exact: true }).click();
      await expect.poll(() => p.locator('#delete-password-error').textContent(), { timeout: 20_000 }).toContain('La contraseña no es correcta');
      await expectNoAxeViolations(p);
      expect(await row('select active from app_user where id = ?', [me.id])).toEqual({ active: true });

      await p.getByLabel('Su contraseña, para confirmar').fill(DEMO_PASSWORD);
      await p.getByLabel('Entiendo que mi cuenta se elimina para siempre').check();
      await Promise.all([p.waitForURL('**/account/deleted'), p.getByRole('button', { name: 'Eliminar mi cuenta', exact: true }).click()]);
      await p.getByRole('heading', { name: 'Cuenta eliminada' }).waitFor();
      await expectNoAxeViolations(p);
      await p.goto('/account');
      expect(new URL(p.url()).pathname).toBe('/signin');

      expect(await row('select name, active, password_hash from app_user where id = ?', [me.id])).toEqual({ name: '', active: false, password_hash: null });
      const kept = await row('select author_name, withdrawn_at from comment where id = ?', [addComment.id]);
      expect(kept.author_name).toBe('');
      expect(kept.withdrawn_at === null).toBe(javaScript);
      expect((await row(`select data from audit_entry where action = 'user.deleted' and subject_id = ?`, [me.id])).data.comments).toBe(javaScript ? 'KEEP_AS_FORMER_PARTICIPANT' : 'WITHDRAW');
      await context.close();
    }, TIMEOUT);

    test(`a facilitator suspends and reinstates an account, and approves an organization request (${mode})`, async () => {
      const suffix = `${javaScript ? 'Js' : 'Html'} ${Date.now()}`;
      const target = await participant(`Persona Suspendida ${suffix}`);
      const asker = await participant(`Persona Con Solicitud ${suffix}`, `Cooperativa Andina ${suffix}`);
      const context = await newContext(browser, platform.webUrl, { javaScript, width: 360 });
      const p = await context.newPage();
      await startSession(p, demo.facilitator, `/admin/people?q=${encodeURIComponent(target.name)}`);
      const card = p.locator(`#user-${target.id}`);
      await card.waitFor();
      await expectNoAxeViolations(p);

      await card.locator('summary', { hasText: 'Suspender la cuenta' }).click();
      await card.getByLabel('Motivo (queda en el registro de auditoría)').fill('Mensajes abusivos en la ronda');
      await card.getByRole('button', { name: 'Suspender', exact: true }).click();
      await expect.poll(() => card.locator('.notice.success').textContent(), { timeout: 20_000 }).toContain('está suspendida');
      await expect.poll(() => card.textContent()).toContain('Mensajes abusivos en la ronda');
      expect(await card.textContent()).toContain('Suspendida desde');
      await expectNoAxeViolations(p);
      expect(await row('select active, suspension_reason from app_user where id = ?', [target.id])).toEqual({ active: false, suspension_reason: 'Mensajes abusivos en la ronda' });

      await card.getByRole('button', { name: /^Restablecer/ }).click();
      await expect.poll(() => card.locator('.notice.success').textContent(), { timeout: 20_000 }).toContain('vuelve a estar activa');
      expect(await row('select active from app_user where id = ?', [target.id])).toEqual({ active: true });
      const actions = await platform.api.db.orm.em.fork().execute<{ action: string }[]>('select action from audit_entry where subject_id = ? order by id', [target.id]);
      expect(actions.map((a) => a.action)).toEqual(['user.suspended', 'user.reinstated']);

      await Promise.all([p.waitForURL('**/admin/organization-requests'), p.getByRole('link', { name: /solicitud(es)? de organización/i }).click()]);
      const request = p.locator('li.card', { hasText: `Cooperativa Andina ${suffix}` });
      await request.waitFor();
      expect(await request.textContent()).toContain(asker.name);
      await expectNoAxeViolations(p);
      await request.getByRole('button', { name: /^Aprobar/ }).click();
      await expect.poll(() => p.locator('.notice.success').textContent(), { timeout: 20_000 }).toContain(`«Cooperativa Andina ${suffix}» aprobada`);
      expect(await p.locator('li.card', { hasText: `Cooperativa Andina ${suffix}` }).count()).toBe(0);
      await expectNoAxeViolations(p);
      expect(await row('select o.name from app_user u join organization o on o.id = u.organization_id where u.id = ?', [asker.id])).toEqual({ name: `Cooperativa Andina ${suffix}` });
      await context.close();
    }, TIMEOUT);
  }
});
