import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFramework, openRound, propose, vote } from '../api/ballots/fixtures.js';
import { PDF } from '../api/certification/evidence-files.js';
import { addItem, schedule } from '../api/meetings/fixtures.js';
import { demo } from '../support/api.js';
import type { GraphQLClient } from '../support/client.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

describe.skipIf(!hasBrowser)('meetings in the browser', () => {
  let platform: Platform;
  let browser: Browser;
  let facilitatorApi: GraphQLClient;
  let meetingId: string;
  let revisionItemTitle: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    facilitatorApi = await platform.api.as(demo.facilitator);
    const fw = await createFramework(platform.api.db.orm, { slug: 'meeting-e2e', areas: 1, perArea: 2 });
    const round = await openRound(facilitatorApi, fw);
    const [first, second] = fw.areas[0].indicators;
    const revision = await propose(facilitatorApi, second.id, second.versionId);
    const meeting = await schedule(facilitatorApi, { title: { es: 'Llamada de revisión de indicadores' } }, 0);
    meetingId = meeting.id;
    await addItem(facilitatorApi, meetingId, { title: { es: 'Bienvenida y orden del día' } });
    await addItem(facilitatorApi, meetingId, { title: { es: 'Indicador en consulta' }, linkKind: 'INDICATOR', roundId: round.id, indicatorVersionId: first.versionId });
    revisionItemTitle = 'Votación de la revisión';
    await addItem(facilitatorApi, meetingId, { title: { es: revisionItemTitle }, linkKind: 'REVISION', indicatorVersionId: revision.id });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function page(email: string): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl)).newPage();
    await startSession(p, email);
    return p;
  }
  const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout });
  const following = (p: Page) => p.locator('[data-live="live"]').waitFor();

  test('the facilitator moves through the agenda and a participant follows; a raised hand reaches the facilitator; a point from the room becomes a comment from this meeting', async () => {
    const facilitator = await page(demo.facilitator);
    const participant = await page(demo.stakeholder);
    await Promise.all([facilitator.goto(`/meetings/${meetingId}/live`), participant.goto(`/meetings/${meetingId}/live`)]);
    await Promise.all([following(facilitator), following(participant)]);
    const current = participant.getByTestId('current-item');
    expect(await current.textContent()).toContain('La reunión aún no empezó su agenda.');
    expect(await axeViolations(participant)).toEqual([]);

    await facilitator.getByLabel('Ir al punto').selectOption({ label: '1. Bienvenida y orden del día' });
    await facilitator.getByRole('button', { name: 'Ir', exact: true }).click();
    const moved = Date.now();
    await poll(() => current.textContent(), 2000).toContain('Bienvenida y orden del día');
    expect(Date.now() - moved).toBeLessThan(2000);

    // The facilitator's own page has moved too before it goes on.
    await poll(() => facilitator.getByTestId('current-item').textContent()).toContain('Bienvenida y orden del día');
    await facilitator.getByRole('button', { name: 'Punto siguiente' }).click();
    await poll(() => current.textContent(), 2000).toContain('Indicador en consulta');
    await poll(() => current.textContent()).toContain('A0-01');

    await participant.getByRole('button', { name: 'Pedir la palabra' }).click();
    await poll(() => facilitator.getByTestId('hands').textContent()).toContain('Rosa Mamani');

    await facilitator.getByLabel('Intervención de la sala').fill('Pedimos contar también a las socias de los bancos comunales.');
    await facilitator.getByLabel('Quién la hizo').fill('Marta Díaz');
    await facilitator.getByRole('button', { name: 'Registrar como comentario' }).click();
    const comments = participant.getByTestId('comments');
    await poll(() => comments.textContent()).toContain('Pedimos contar también a las socias de los bancos comunales.');
    expect(await comments.getByTestId('from-this-meeting').count()).toBe(1);
    expect(await comments.textContent()).toContain('Marta Díaz');
    expect(await axeViolations(facilitator)).toEqual([]);
    await participant.context().close();
    await facilitator.context().close();
  });

  test('a quick ballot’s tally moves on the presenter view as members vote', async () => {
    const facilitator = await page(demo.facilitator);
    const presenter = await page(demo.stakeholder);
    await facilitator.goto(`/meetings/${meetingId}/live`);
    await facilitator.getByLabel('Ir al punto').selectOption({ label: `3. ${revisionItemTitle}` });
    await facilitator.getByRole('button', { name: 'Ir', exact: true }).click();
    await facilitator.getByRole('button', { name: 'Abrir una votación rápida' }).click();
    await poll(() => facilitator.getByTestId('tally').count()).toBe(1);

    await presenter.goto(`/meetings/${meetingId}/present`);
    await following(presenter);
    const approve = presenter.getByTestId('approve');
    expect(await approve.textContent()).toBe('0');
    expect(await axeViolations(presenter)).toEqual([]);

    const { meeting } = await facilitatorApi.data(`query($id: ID!) { meeting(id: $id) { currentItem { ballot { questions { id } } } } }`, { id: meetingId });
    const questionId = meeting.currentItem.ballot.questions[0].id;
    const [m1, m2, m3] = await Promise.all([demo.member, demo.member2, demo.member3].map((e) => platform.api.as(e)));
    await vote(m1, questionId, 'APPROVE');
    await poll(() => approve.textContent()).toBe('1');
    await vote(m2, questionId, 'APPROVE');
    await poll(() => approve.textContent()).toBe('2');
    await vote(m3, questionId, 'REJECT');
    await poll(() => presenter.getByTestId('reject').textContent()).toBe('1');
    await presenter.context().close();
    await facilitator.context().close();
  });

  test('the list, a meeting’s page and the scheduling form have no axe violations; registration works without JavaScript', async () => {
    const f = await page(demo.facilitator);
    for (const path of ['/meetings', `/meetings/${meetingId}`, '/meetings/new']) {
      await f.goto(path);
      expect(await axeViolations(f), path).toEqual([]);
    }
    await f.context().close();

    // axe needs scripts: the page without them is checked for what it does.
    const p = await (await newContext(browser, platform.webUrl, { javaScript: false })).newPage();
    await startSession(p, demo.stakeholderEn, `/meetings/${meetingId}`);
    await p.getByRole('button', { name: 'Register' }).click();
    await poll(() => p.getByTestId('my-registration').textContent()).toContain('You have a place.');
    await p.goto(`/meetings/${meetingId}/live`);
    expect(await p.locator('noscript').count()).toBeGreaterThan(0);
    await p.context().close();
  });

  test('without JavaScript the facilitator moves an agenda item down and attaches a file to it', async () => {
    const meeting = await schedule(facilitatorApi, { title: { es: 'Llamada sin JavaScript' } });
    for (const title of ['Apertura', 'Cierre']) await addItem(facilitatorApi, meeting.id, { title: { es: title } });
    const p = await (await newContext(browser, platform.webUrl, { javaScript: false })).newPage();
    await startSession(p, demo.facilitator, `/meetings/${meeting.id}`);
    await p.getByRole('button', { name: 'Bajar el punto «Apertura»' }).click();
    await poll(() => p.locator('ol.agenda > li h3').allTextContents()).toEqual(['Cierre', 'Apertura']);
    const item = p.locator('ol.agenda > li').filter({ has: p.getByRole('heading', { name: 'Apertura' }) });
    await item.locator('summary').click();
    await item.getByLabel('Archivo de material').setInputFiles({ name: 'orden-del-dia.pdf', mimeType: 'application/pdf', buffer: PDF });
    await item.getByRole('button', { name: 'Adjuntar el archivo' }).click();
    const link = p.getByRole('link', { name: 'orden-del-dia.pdf' });
    await poll(() => link.count()).toBe(1);
    expect((await p.request.get((await link.getAttribute('href'))!)).status()).toBe(200);
    await p.context().close();
  });
});
