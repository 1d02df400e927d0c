import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import type { GraphQLClient } from '../support/client.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { CAMPAIGN_LETTER } from '../api/analysis/campaign.js';
import { CREATE_THEME } from '../api/analysis/fixtures.js';
import { ADD_COMMENT, ballotOn, createFramework, openRound, propose } from '../api/ballots/fixtures.js';
import type { FrameworkFixture } from '../api/rounds/fixtures.js';

/**
 * Post/redirect/get: every form that succeeds answers 303 with the page it belongs to, which shows
 * the confirmation. Without JavaScript, a reload then reads that page again instead of sending the
 * form a second time: the action is recorded once. With JavaScript the same redirect is followed in
 * place, and the page opens at what the form was about.
 */
describe.skipIf(!hasBrowser)('a reload never sends a form twice', () => {
  let platform: Platform;
  let browser: Browser;
  let facilitator: GraphQLClient;
  let fw: FrameworkFixture;
  let roundId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    facilitator = await platform.api.as(demo.facilitator);
    fw = await createFramework(platform.api.db.orm, { slug: 'prg', areas: 2, perArea: 3 });
    roundId = (await openRound(facilitator, fw)).id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function pageAs(email: string, javaScript = false): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, { javaScript })).newPage();
    await startSession(p, email);
    return p;
  }

  const sql = async (query: string, params: unknown[] = []) => platform.api.db.orm.em.getConnection().execute(query, params);
  const lastAuditId = async (): Promise<string> => (await sql('select coalesce(max(id), 0)::text as id from audit_entry'))[0].id;
  /** Audit entries written since `after` whose action matches `action` (a LIKE pattern): one per mutation. */
  const recorded = async (after: string, action: string): Promise<number> =>
    (await sql('select count(*)::int as n from audit_entry where id > ? and action like ?', [after, action]))[0].n;

  /**
   * Sends a form without JavaScript by clicking `button`: the POST answers 303, the page it lands on has
   * no `?/action` in its address and shows `confirmation` (role=status); after `then` (checks on the
   * page as the redirect left it), a reload reads the page with a GET, the confirmation is gone (it is
   * read once, unless the page states it `lasting`ly, as a published summary does), and `action` was
   * recorded exactly once. Returns the address the redirect led to.
   */
  async function sendThenReload(
    p: Page,
    button: Locator,
    confirmation: string | RegExp,
    action: string,
    { then, lasting = false }: { then?: () => Promise<void>; lasting?: boolean } = {},
  ): Promise<URL> {
    const before = await lastAuditId();
    const [landing] = await Promise.all([p.waitForNavigation(), button.click()]);
    const post = landing?.request().redirectedFrom();
    expect.soft(post?.method(), 'the form was answered with a redirect').toBe('POST');
    expect.soft(await post?.response().then((r) => r?.status())).toBe(303);
    expect.soft(p.url()).not.toContain('?/');
    const shown = p.getByRole('status').filter({ hasText: confirmation });
    expect.soft(await shown.count(), `«${confirmation}» is shown`).toBe(1);
    await then?.();
    const arrivedAt = new URL(p.url());
    const reloaded = await p.reload();
    expect.soft(reloaded?.request().method(), 'a reload reads the page').toBe('GET');
    expect.soft(await shown.count(), 'the confirmation is read once').toBe(lasting ? 1 : 0);
    expect(await recorded(before, action), `${action} recorded once`).toBe(1);
    return arrivedAt;
  }

  test('a stakeholder comments, replies, edits, withdraws, comments on the round and rates practices', async () => {
    const p = await pageAs(demo.stakeholder);
    await p.goto(`/rounds/${roundId}/indicators/${fw.areas[0].indicators[0].id}`);
    await p.locator('#comment-body').fill('Un comentario enviado una sola vez.');
    const at = await sendThenReload(p, p.getByRole('button', { name: 'Enviar comentario' }), 'Su comentario quedó registrado.', 'comment.added');
    // The page opens at the new comment, which carries the confirmation.
    expect(at.hash).toMatch(/^#comment-[0-9a-f-]+$/);
    const commentId = at.hash.slice('#comment-'.length);
    expect(await p.locator('article.comment', { hasText: 'Un comentario enviado una sola vez.' }).count()).toBe(1);

    const own = p.locator(`#comment-${commentId} > .comment-actions`);
    await own.locator('summary', { hasText: 'Responder' }).click();
    await own.getByLabel('Respuesta', { exact: true }).fill('Y una respuesta, también una sola vez.');
    const reply = await sendThenReload(p, own.getByRole('button', { name: 'Enviar respuesta' }), 'Su respuesta quedó registrada.', 'comment.replied');
    expect(reply.hash).toMatch(/^#comment-[0-9a-f-]+$/);
    expect(reply.hash).not.toBe(at.hash);
    expect(await p.locator('article.comment', { hasText: 'Y una respuesta, también una sola vez.' }).count()).toBe(2); // the reply, inside its comment

    await own.locator('summary', { hasText: 'Editar' }).click();
    await own.getByLabel('Comentario', { exact: true }).fill('Un comentario corregido una sola vez.');
    const edited = await sendThenReload(p, own.getByRole('button', { name: 'Guardar cambios' }), 'Se guardaron los cambios de su comentario.', 'comment.edited');
    expect(edited.hash).toBe(at.hash);

    await sendThenReload(p, own.getByRole('button', { name: 'Retirar mi comentario' }), 'Su comentario quedó retirado.', 'comment.withdrawn');

    await p.goto(`/rounds/${roundId}`);
    await p.locator('#general-body').fill('Un comentario sobre el marco, una sola vez.');
    const general = await sendThenReload(p, p.getByRole('button', { name: 'Enviar comentario' }), 'Su comentario quedó registrado.', 'comment.added');
    expect(general.hash).toBe('#general-heading');

    const { rounds } = await facilitator.data(`{ rounds { id framework { slug } } }`);
    const usspm = rounds.find((r: { framework: { slug: string } }) => r.framework.slug === 'usspm');
    await p.goto(`/rounds/${usspm.id}/ratings`);
    await p.locator('main fieldset').first().getByLabel('No pertinente').check();
    await sendThenReload(p, p.getByRole('button', { name: 'Guardar mis valoraciones' }), 'Se guardó 1 valoración.', 'rating.%', { then: async () => {
      expect(await p.locator('main fieldset').first().getByLabel('No pertinente').isChecked()).toBe(true);
    } });
    await p.context().close();
  });

  test('a member votes', async () => {
    const target = fw.areas[1].indicators[0];
    const revision = await propose(facilitator, target.id, target.versionId);
    const ballot = await ballotOn(facilitator, [revision.id]);
    const p = await pageAs(demo.member);
    await p.goto(`/ballots/${ballot.id}`);
    const question = p.getByTestId('question').first();
    await question.getByLabel('A favor', { exact: true }).check();
    const at = await sendThenReload(p, question.getByRole('button', { name: 'Votar' }), /^Su voto quedó registrado/, 'vote.cast');
    expect(at.hash).toBe(`#vote-${ballot.questions[0].id}`);
    expect(await question.getByTestId('my-vote').textContent()).toContain('Su voto actual: A favor');
    await p.context().close();
  });

  test('a facilitator disposes of and tags comments in a filtered queue, manages themes and enters feedback on behalf', async () => {
    const stakeholder = await platform.api.as(demo.stakeholder);
    const versionId = fw.areas[0].indicators[1].versionId;
    for (const body of ['Primer comentario para la cola.', 'Segundo comentario para la cola.']) {
      await stakeholder.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'TECHNICAL', body } });
    }
    const { createTheme: theme } = await facilitator.data(CREATE_THEME, { input: { roundId, label: { es: 'Cartera en riesgo' } } });
    const f = await pageAs(demo.facilitator);

    // The queue keeps its filters: the form posts to `?<filters>&/dispose` and comes back to `?<filters>`.
    await f.goto(`/rounds/${roundId}/dispositions?disposition=NONE&type=TECHNICAL`);
    const item = (text: string) => f.locator('.queue > li', { hasText: text });
    await item('Primer comentario').locator('input[name=commentIds]').check();
    await f.locator('#dispose-status').selectOption('NOTED');
    await f.locator('#dispose-response').fill('Tomado en cuenta.');
    const disposed = await sendThenReload(f, f.getByRole('button', { name: 'Aplicar a los marcados' }), '1 comentario recibió su disposición.', 'disposition.%');
    expect(disposed.search).toBe('?disposition=NONE&type=TECHNICAL');
    expect(disposed.hash).toBe('#queue-done');
    expect(await item('Primer comentario').count()).toBe(0);

    await item('Segundo comentario').locator('input[name=commentIds]').check();
    const tagPanel = f.locator('section[aria-labelledby=tag-heading]');
    await tagPanel.getByLabel('Cartera en riesgo').check();
    await sendThenReload(f, tagPanel.getByRole('button', { name: 'Asignar los temas' }), 'Se asignó 1 tema.', 'theme.tagged');
    await item('Segundo comentario').locator('input[name=commentIds]').check();
    await tagPanel.getByLabel('Cartera en riesgo').check();
    await sendThenReload(f, tagPanel.getByRole('button', { name: 'Quitar los temas' }), 'Se quitó 1 tema.', 'theme.untagged');

    await f.goto(`/rounds/${roundId}/themes`);
    await f.locator('#create-es').fill('Zonas rurales');
    const created = await sendThenReload(f, f.getByRole('button', { name: 'Crear el tema' }), 'Se creó el tema «Zonas rurales».', 'theme.created', { then: async () => {
      expect(await f.locator('#create-es').inputValue(), 'the form starts empty again').toBe('');
    } });
    expect(created.hash).toBe('#create-heading');
    const card = f.locator(`#theme-${theme.id}`);
    await card.getByText('Cambiar el nombre o las traducciones').click();
    await card.getByLabel('English').fill('Portfolio at risk');
    const relabelled = await sendThenReload(f, card.getByRole('button', { name: 'Guardar' }), 'Se guardaron los nombres del tema.', 'theme.updated');
    expect(relabelled.hash).toBe(`#theme-${theme.id}`);
    await sendThenReload(f, card.getByRole('button', { name: 'Bajar Cartera en riesgo' }), 'El tema cambió de lugar en la lista.', 'theme.updated');
    expect(await f.getByTestId('theme').locator('h3').allTextContents()).toEqual(['Zonas rurales', 'Cartera en riesgo']);
    await card.locator('summary', { hasText: 'Eliminar' }).click();
    await sendThenReload(f, card.getByRole('button', { name: 'Eliminar el tema «Cartera en riesgo»' }), 'Se eliminó el tema.', 'theme.deleted');
    expect(await f.getByTestId('theme').count()).toBe(1);

    await f.goto(`/rounds/${roundId}/on-behalf`);
    await f.getByLabel('Origen').selectOption('WORKSHOP');
    await f.getByLabel('Evento').fill('Taller de Piura');
    await f.getByLabel('Persona').fill('Participantes del taller');
    await f.getByLabel('Sobre').selectOption(`INDICATOR_VERSION:${versionId}`);
    await f.getByLabel('Comentario', { exact: true }).fill('En el taller pidieron medir por ciclo agrícola.');
    await sendThenReload(f, f.getByRole('button', { name: 'Ingresar el comentario' }), /^Se ingresó el comentario/, 'comment.entered_on_behalf', { then: async () => {
      // Ready for the next comment of the same workshop.
      expect(await f.getByLabel('Evento').inputValue()).toBe('Taller de Piura');
      expect(await f.getByLabel('Comentario', { exact: true }).inputValue()).toBe('');
    } });
    await f.context().close();
  });

  test('a facilitator regroups near-duplicates, takes one out, confirms the group and disposes of it', async () => {
    const versionId = fw.areas[0].indicators[2].versionId;
    const copies = [CAMPAIGN_LETTER, CAMPAIGN_LETTER.replaceAll(',', ''), CAMPAIGN_LETTER.replace('pedimos', 'solicitamos')];
    for (const [i, email] of [demo.member, demo.member2, demo.member3].entries()) {
      const member = await platform.api.as(email);
      await member.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body: `${copies[i]}\n\nFirma ${i + 1}` } });
    }
    const f = await pageAs(demo.facilitator);
    await f.goto(`/rounds/${roundId}/duplicates`);
    await sendThenReload(f, f.getByRole('button', { name: 'Volver a agrupar la ronda' }), 'La ronda tiene 1 grupo.', 'near_duplicates.regrouped');
    const group = f.getByTestId('group');
    await group.locator('input[name=commentIds]').first().check();
    const split = await sendThenReload(f, group.getByRole('button', { name: 'Sacar los marcados del grupo' }), 'Se sacó 1 comentario del grupo.', 'near_duplicates.removed');
    expect(split.hash).toBe(`#${await group.getAttribute('id')}`);
    await sendThenReload(f, group.getByRole('button', { name: 'Confirmar: dicen lo mismo' }), 'Grupo confirmado.', 'near_duplicates.confirmed');
    await group.getByLabel('Disposición', { exact: true }).selectOption('NOTED');
    await group.getByLabel('Respuesta a quienes comentaron').fill('Se tendrá en cuenta.');
    await sendThenReload(f, group.getByRole('button', { name: 'Aplicar a los 2 comentarios' }), '2 comentarios recibieron su disposición.', 'near_duplicates.disposed');
    await f.context().close();
  });

  test('a facilitator runs the ballot console, saves a draft, and closes, resolves and publishes a round', async () => {
    const [toBallot, toDelete] = [fw.areas[1].indicators[1], fw.areas[1].indicators[2]];
    await propose(facilitator, toBallot.id, toBallot.versionId);
    const draftBallot = await ballotOn(facilitator, [(await propose(facilitator, toDelete.id, toDelete.versionId)).id], {}, false);
    const f = await pageAs(demo.facilitator);
    await f.goto('/ballots/console');
    await f.getByLabel('Título (español)').fill('Votación sin reenvíos');
    await f.getByLabel(/A1-02 v\d+:/).last().check();
    const created = await sendThenReload(f, f.getByRole('button', { name: 'Crear en borrador' }), /^Votación creada en borrador/, 'ballot.created');
    expect(created.hash).toMatch(/^#ballot-[0-9a-f-]+$/);
    const card = f.locator(created.hash);
    await sendThenReload(f, card.getByRole('button', { name: /^Abrir/ }), 'Votación abierta.', 'ballot.opened');
    await sendThenReload(f, card.getByRole('button', { name: 'Cerrar ahora y decidir' }), 'Votación cerrada y decidida.', 'ballot.closed');
    await sendThenReload(f, f.locator(`#ballot-${draftBallot.id}`).getByRole('button', { name: 'Eliminar el borrador' }), /^Borrador eliminado/, 'ballot.deleted');

    await f.goto('/frameworks/spwg-lac-certification/POV-02/draft');
    const title = `Clientes nuevos bajo la línea de pobreza (${Date.now()})`;
    await f.locator('#draft-TITLE-es').fill(title);
    await sendThenReload(f, f.getByRole('button', { name: 'Guardar borrador' }), /^Borrador guardado \(revisión \d+\)\./, 'indicator.draft_saved');
    expect(await f.locator('#draft-TITLE-es').inputValue()).toBe(title);

    const empty = await createFramework(platform.api.db.orm, { slug: 'prg-empty', areas: 1, perArea: 1 });
    const round = await openRound(facilitator, empty);
    // Closing early is asked from the round's status panel and confirmed on the page it returns.
    await f.goto(`/rounds/${round.id}?confirm=close`);
    await sendThenReload(f, f.getByRole('button', { name: 'Sí, cerrar ahora' }), 'La ronda quedó cerrada.', 'round.closed');
    await sendThenReload(f, f.getByRole('button', { name: 'Marcar la ronda como resuelta' }), 'La ronda quedó resuelta.', 'round.resolved');
    await f.goto(`/rounds/${round.id}/export`);
    const published = await sendThenReload(f, f.getByRole('button', { name: 'Publicar el resumen' }), /^Publicado el /, 'round.summary_published', { lasting: true });
    expect(published.hash).toBe('#publish');
    await f.context().close();
  });

  test('an admin invites a person, creates an organization and changes a person’s roles', async () => {
    const a = await pageAs(demo.admin);
    await a.goto('/admin/people');
    await a.locator('#invite-name').fill('Persona Invitada');
    await a.locator('#invite-email').fill('invitada-prg@example.org');
    await sendThenReload(a, a.getByRole('button', { name: 'Enviar invitación' }), /^No hay servidor de correo configurado/, 'invitation.created', { then: async () => {
      expect(await a.getByTestId('invitation-link').getAttribute('href')).toMatch(/\/invitation\//);
    } });
    await a.locator('#org-name').fill('Cooperativa Sin Reenvíos');
    await a.locator('#org-country').fill('PE');
    await sendThenReload(a, a.getByRole('button', { name: 'Crear organización' }), 'Organización «Cooperativa Sin Reenvíos» creada.', 'organization.created');
    const person = a.locator('.card', { has: a.getByRole('heading', { name: 'Rosa Mamani' }) });
    await person.locator('summary', { hasText: 'Cambiar roles' }).click();
    await person.getByLabel('Miembro del grupo de trabajo').check();
    const at = await sendThenReload(a, person.getByRole('button', { name: 'Guardar roles' }), 'Se guardaron los roles.', 'user.roles_changed');
    expect(at.hash).toBe(`#${await person.getAttribute('id')}`);
    await a.context().close();
  });

  test('with JavaScript, a comment returns to the page at the new comment, focused, with an empty form and a confirmation that outlives a live update', async () => {
    // An indicator no other test comments on.
    const indicator = fw.areas[1].indicators[0];
    const p = await pageAs(demo.stakeholderEn, true);
    await p.goto(`/rounds/${roundId}/indicators/${indicator.id}`, { waitUntil: 'networkidle' });
    await p.locator('#comment-body').fill('Sent with JavaScript, exactly once.');
    await p.getByRole('button', { name: 'Send comment' }).click();
    await p.waitForURL(/#comment-[0-9a-f-]+$/);
    const url = new URL(p.url());
    expect(url.search).toBe('');
    const mine = p.locator(url.hash);
    await expect.poll(() => mine.getByRole('status').textContent()).toBe('Your comment was recorded.');
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe(url.hash.slice(1));
    expect(await p.locator('#comment-body').inputValue()).toBe('');
    expect(await axeViolations(p)).toEqual([]);

    // Someone else's comment arrives live and the page reloads its data: the confirmation stays.
    const other = await platform.api.as(demo.member);
    await other.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: indicator.versionId, type: 'GENERAL', body: 'Arriving live.' } });
    await expect.poll(() => p.locator('article.comment', { hasText: 'Arriving live.' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await mine.getByRole('status').textContent()).toBe('Your comment was recorded.');

    await p.reload();
    expect(await p.getByRole('status').filter({ hasText: 'Your comment was recorded.' }).count()).toBe(0);
    expect(await p.locator('article.comment', { hasText: 'Sent with JavaScript, exactly once.' }).count()).toBe(1);
    await p.context().close();
  });
});
