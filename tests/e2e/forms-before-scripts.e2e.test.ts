import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Indicator } from '../../api/src/indicators/indicator.entity.js';
import { propose } from '../api/ballots/fixtures.js';
import { demo } from '../support/api.js';
import { hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * On a slow link a facilitator starts typing before the page's scripts arrive; when they do, hydration
 * must not put the server's values back over what was typed, chosen or ticked. Each case holds the
 * scripts back, fills the form, lets the scripts through and waits until they have taken the page over.
 */
describe.skipIf(!hasBrowser)('facilitator forms keep what was typed before the scripts arrived', () => {
  let platform: Platform;
  let browser: Browser;
  let roundId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const facilitator = await platform.api.as(demo.facilitator);
    const { rounds } = await facilitator.data<{ rounds: { id: string; framework: { slug: string } }[] }>(`{ rounds { id framework { slug } } }`);
    roundId = rounds.find((r) => r.framework.slug === 'spwg-lac-certification')!.id;
    // The console offers its create form only while a revision awaits a ballot.
    const indicator = await platform.api.db.orm.em.fork().findOneOrFail(Indicator, { code: 'GEN-02' }, { populate: ['currentVersion'] });
    await propose(facilitator, indicator.id, indicator.currentVersion!.id);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** Opens `path` signed in as `email` with its scripts held back, runs `fill`, then lets the scripts hydrate the page. */
  async function fillBeforeScripts(email: string, path: string, fill: (p: Page) => Promise<void>): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl)).newPage();
    await startSession(p, email);
    let release!: () => void;
    const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
    await p.route('**/_app/immutable/**/*.js', async (route) => {
      await scriptsHeld;
      await route.continue();
    });
    await p.goto(path, { waitUntil: 'domcontentloaded' });
    expect(await p.evaluate(() => 'hydrated' in document.documentElement.dataset)).toBe(false);
    await fill(p);
    release();
    await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset, undefined, { timeout: 15_000 });
    return p;
  }

  test('the on-behalf entry form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, `/rounds/${roundId}/on-behalf`, async (p) => {
      await p.locator('#ob-kind').selectOption('MEETING');
      await p.locator('#ob-eventName').fill('Taller de Lima');
      await p.locator('#ob-personName').fill('Rosa Quispe');
      await p.locator('#ob-body').fill('Pedimos separar el indicador por zona rural.');
    });
    expect(await p.locator('#ob-kind').inputValue()).toBe('MEETING');
    expect(await p.locator('#ob-eventName').inputValue()).toBe('Taller de Lima');
    expect(await p.locator('#ob-personName').inputValue()).toBe('Rosa Quispe');
    expect(await p.locator('#ob-body').inputValue()).toBe('Pedimos separar el indicador por zona rural.');
    await p.context().close();
  });

  test('the disposition queue’s response and status', async () => {
    const p = await fillBeforeScripts(demo.facilitator, `/rounds/${roundId}/dispositions`, async (p) => {
      await p.locator('#dispose-status').selectOption('REJECTED');
      await p.locator('#dispose-response').fill('Fuera del alcance de esta revisión.');
    });
    expect(await p.locator('#dispose-status').inputValue()).toBe('REJECTED');
    expect(await p.locator('#dispose-response').inputValue()).toBe('Fuera del alcance de esta revisión.');
    await p.context().close();
  });

  test('the new theme form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, `/rounds/${roundId}/themes`, async (p) => {
      await p.locator('#create-es').fill('Zonas rurales');
      await p.locator('#create-en').fill('Rural areas');
    });
    expect(await p.locator('#create-es').inputValue()).toBe('Zonas rurales');
    expect(await p.locator('#create-en').inputValue()).toBe('Rural areas');
    await p.context().close();
  });

  test('the ballot console’s new ballot form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/ballots/console', async (p) => {
      await p.locator('#titleEs').fill('Votación de la segunda ronda');
      await p.locator('input[name="quorumNumerator"]').fill('3');
      await p.locator('#rule').selectOption({ index: 1 });
      await p.locator('input[name="secrecy"][value="OPEN"]').check();
    });
    expect(await p.locator('#titleEs').inputValue()).toBe('Votación de la segunda ronda');
    expect(await p.locator('input[name="quorumNumerator"]').inputValue()).toBe('3');
    expect(await p.locator('#rule').evaluate((select: HTMLSelectElement) => select.selectedIndex)).toBe(1);
    expect(await p.locator('input[name="secrecy"][value="OPEN"]').isChecked()).toBe(true);
    await p.context().close();
  });

  test('the draft editor', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/frameworks/spwg-lac-certification/POV-02/draft', async (p) => {
      await p.locator('#draft-TITLE-es').fill('Clientes en situación de pobreza');
      await p.locator('#change-summary').fill('Título más corto.');
    });
    expect(await p.locator('#draft-TITLE-es').inputValue()).toBe('Clientes en situación de pobreza');
    expect(await p.locator('#change-summary').inputValue()).toBe('Título más corto.');
    await p.context().close();
  });

  test('the new framework form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/frameworks/new', async (p) => {
      await p.locator('#new-slug').fill('marco-lento');
      await p.locator('input[name="kind"][value="PRACTICES"]').check();
      await p.locator('#new-sourceLanguage').selectOption('en');
      await p.locator('#new-name-en').fill('Slow framework');
      await p.locator('#new-description-es').fill('Escrito antes de los scripts.');
    });
    expect(await p.locator('#new-slug').inputValue()).toBe('marco-lento');
    expect(await p.locator('input[name="kind"][value="PRACTICES"]').isChecked()).toBe(true);
    expect(await p.locator('#new-sourceLanguage').inputValue()).toBe('en');
    expect(await p.locator('#new-name-en').inputValue()).toBe('Slow framework');
    expect(await p.locator('#new-description-es').inputValue()).toBe('Escrito antes de los scripts.');
    await p.context().close();
  });

  test('the structure page’s new section and new indicator forms', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/frameworks/spwg-lac-certification/structure', async (p) => {
      await p.locator('#add-section-code').fill('GEN.X');
      await p.locator('#add-section-title-es').fill('Subárea nueva');
      await p.locator('#add-indicator-code').fill('GEN-42');
      await p.locator('#add-indicator-TITLE-es').fill('Indicador escrito deprisa');
      await p.locator('#add-indicator-STATEMENT-pt').fill('Declaração escrita antes dos scripts.');
      await p.locator('input[name="publish"]').check();
    });
    expect(await p.locator('#add-section-code').inputValue()).toBe('GEN.X');
    expect(await p.locator('#add-section-title-es').inputValue()).toBe('Subárea nueva');
    expect(await p.locator('#add-indicator-code').inputValue()).toBe('GEN-42');
    expect(await p.locator('#add-indicator-TITLE-es').inputValue()).toBe('Indicador escrito deprisa');
    expect(await p.locator('#add-indicator-STATEMENT-pt').inputValue()).toBe('Declaração escrita antes dos scripts.');
    expect(await p.locator('input[name="publish"]').isChecked()).toBe(true);
    await p.context().close();
  });

  test('the invitation form on the people page', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/admin/people', async (p) => {
      await p.locator('#invite-name').fill('Ana Torres');
      await p.locator('#invite-email').fill('ana.torres@example.org');
      await p.locator('form[action="?/invite"] input[name="roles"][value="STAKEHOLDER"]').uncheck();
      await p.locator('form[action="?/invite"] input[name="roles"][value="MEMBER"]').check();
    });
    expect(await p.locator('#invite-name').inputValue()).toBe('Ana Torres');
    expect(await p.locator('#invite-email').inputValue()).toBe('ana.torres@example.org');
    expect(await p.locator('form[action="?/invite"] input[name="roles"][value="STAKEHOLDER"]').isChecked()).toBe(false);
    expect(await p.locator('form[action="?/invite"] input[name="roles"][value="MEMBER"]').isChecked()).toBe(true);
    await p.context().close();
  });

  test('the new release form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/frameworks/spwg-lac-certification/releases', async (p) => {
      await p.locator('#release-number').fill('2026.1');
      await p.locator('#release-notes').fill('Versión para el piloto de certificación.');
      await p.locator('#release-final').check();
    });
    expect(await p.locator('#release-number').inputValue()).toBe('2026.1');
    expect(await p.locator('#release-notes').inputValue()).toBe('Versión para el piloto de certificación.');
    expect(await p.locator('#release-final').isChecked()).toBe(true);
    await p.context().close();
  });

  test('the new round form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/rounds/new?framework=spwg-lac-certification', async (p) => {
      await p.locator('#round-title-es').fill('Tercera ronda de consulta');
      await p.locator('#round-instructions-es').fill('Comente cada indicador de género.');
      await p.locator('input[name="indicators"]').first().uncheck();
      await p.locator('input[name="audience"][value="WORKING_GROUP"]').check();
      await p.locator('#round-closesAt').fill('2031-03-01T12:00');
    });
    expect(await p.locator('#round-title-es').inputValue()).toBe('Tercera ronda de consulta');
    expect(await p.locator('#round-instructions-es').inputValue()).toBe('Comente cada indicador de género.');
    expect(await p.locator('input[name="indicators"]').first().isChecked()).toBe(false);
    expect(await p.locator('input[name="audience"][value="WORKING_GROUP"]').isChecked()).toBe(true);
    expect(await p.locator('#round-closesAt').inputValue()).toBe('2031-03-01T12:00');
    await p.context().close();
  });

  test('the revision workbench', async () => {
    // A closed round with a comment proposing a change: the USSPM round, so the others here stay open.
    const facilitator = await platform.api.as(demo.facilitator);
    const stakeholder = await platform.api.as(demo.stakeholder);
    const { rounds } = await facilitator.data(`{ rounds { id framework { slug } indicators { indicator { id } indicatorVersion { id } } } }`);
    const usspm = rounds.find((r: { framework: { slug: string } }) => r.framework.slug === 'usspm');
    const [{ indicator, indicatorVersion }] = usspm.indicators;
    const { addComment } = await stakeholder.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId: usspm.id, targetKind: 'INDICATOR_VERSION', targetId: indicatorVersion.id, type: 'EDITORIAL', body: 'Título más claro.', proposedChange: 'Un título más claro', anchor: { field: 'TITLE', language: 'ES' } },
    });
    await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { id } }`, { id: usspm.id });
    const p = await fillBeforeScripts(demo.facilitator, `/rounds/${usspm.id}/indicators/${indicator.id}/revise`, async (p) => {
      await p.locator('#text-TITLE-es').fill('Título escrito antes de los scripts');
      await p.locator(`#answers-${addComment.id}`).check();
      await p.locator('#change-summary').fill('Resumen escrito deprisa.');
    });
    expect(await p.locator('#text-TITLE-es').inputValue()).toBe('Título escrito antes de los scripts');
    expect(await p.locator(`#answers-${addComment.id}`).isChecked()).toBe(true);
    expect(await p.locator('#change-summary').inputValue()).toBe('Resumen escrito deprisa.');
    await p.context().close();
  });

  test('the seal verification form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/certification/verify', async (p) => {
      await p.locator('#seal-code').fill('SPWG-7Q4K-2M9X');
    });
    expect(await p.locator('#seal-code').inputValue()).toBe('SPWG-7Q4K-2M9X');
    await p.context().close();
  });

  test('the new meeting form', async () => {
    const p = await fillBeforeScripts(demo.facilitator, '/meetings/new', async (p) => {
      await p.locator('input[name=titleEs]').fill('Foro regional de Managua');
      await p.locator('input[name=place]').fill('Hotel Crowne Plaza, Managua');
      await p.locator('input[name=capacity]').fill('80');
    });
    expect(await p.locator('input[name=titleEs]').inputValue()).toBe('Foro regional de Managua');
    expect(await p.locator('input[name=place]').inputValue()).toBe('Hotel Crowne Plaza, Managua');
    expect(await p.locator('input[name=capacity]').inputValue()).toBe('80');
    await p.context().close();
  });

  test('the people page’s filters and a picker’s search', async () => {
    const people = await fillBeforeScripts(demo.facilitator, '/admin/people', async (p) => {
      await p.locator('form.filters input[name=q]').fill('Karla');
      await p.locator('form.filters input[name=country]').fill('pe');
    });
    expect(await people.locator('form.filters input[name=q]').inputValue()).toBe('Karla');
    expect(await people.locator('form.filters input[name=country]').inputValue()).toBe('pe');
    await people.context().close();
    const ballots = await fillBeforeScripts(demo.facilitator, '/ballots/console', async (p) => {
      await p.locator('#ballot-organization-search-text').fill('Red Financiera');
    });
    expect(await ballots.locator('#ballot-organization-search-text').inputValue()).toBe('Red Financiera');
    await ballots.context().close();
  });

  test('a filter form still follows the link that clears it, though its fields no longer follow the page’s values', async () => {
    const p = await (await newContext(browser, platform.webUrl)).newPage();
    await startSession(p, demo.facilitator, '/audit');
    await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset, undefined, { timeout: 15_000 });
    await p.locator('#audit-from').fill('2026-01-01T00:00');
    await Promise.all([p.waitForURL(/from=/), p.getByRole('button', { name: 'Filtrar' }).click()]);
    await Promise.all([p.waitForURL((url) => url.pathname === '/audit' && !url.search), p.getByRole('link', { name: 'Quitar filtros' }).click()]);
    await expect.poll(() => p.locator('#audit-from').inputValue(), { timeout: 15_000 }).toBe('');
    await p.goto('/admin/people');
    await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset, undefined, { timeout: 15_000 });
    const filters = p.locator('form.filters', { has: p.locator('input[name=q]') });
    await filters.locator('input[name=q]').fill('Karla');
    await Promise.all([p.waitForURL(/q=Karla/), filters.getByRole('button', { name: 'Buscar' }).click()]);
    await Promise.all([p.waitForURL((url) => url.pathname === '/admin/people' && !url.search), filters.getByRole('link', { name: 'Quitar los filtros' }).click()]);
    await expect.poll(() => p.locator('form.filters input[name=q]').inputValue(), { timeout: 15_000 }).toBe('');
    await p.context().close();
  });
});
