import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Comment } from '../../api/src/comments/comment.entity.js';
import { PracticeRating } from '../../api/src/ratings/practice-rating.entity.js';
import { User } from '../../api/src/users/user.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, signIn } from '../support/browser.js';
import { contextWithLink, setOffline } from '../support/link.js';
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
    const context = await contextWithLink(browser, platform.webUrl, { width: 360 });
    const page = await context.newPage();
    await signIn(page, email);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    return { context, page };
  }

  /**
   * Where axe looks on a page read or written offline: the notices this feature adds (the page's own
   * forms are checked by their own tests). The whole ratings page took axe 23 s on a loaded machine,
   * which pushed this file's longest test past its 60 s.
   */
  const OFFLINE_NOTICES = ['.offline-notices', '[data-saved-copy]'];

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

    await setOffline(context, true);
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
    expect(await axeViolations(page, OFFLINE_NOTICES)).toEqual([]);

    await page.goto(`/rounds/${usspmRoundId}/ratings`);
    await page.waitForSelector('html[data-hydrated]');
    const practice = page.locator('main fieldset').nth(2);
    const choice = (await practice.getByLabel('No pertinente', { exact: true }).isChecked()) ? { label: 'Esencial', value: 'ESSENTIAL' } : { label: 'No pertinente', value: 'NOT_RELEVANT' };
    const practiceId = (await practice.getByLabel(choice.label, { exact: true }).getAttribute('name'))!.replace('value-', '');
    await practice.getByLabel(choice.label, { exact: true }).check();
    await page.getByRole('button', { name: 'Guardar mis valoraciones' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('2 envíos en espera');
    expect(await axeViolations(page, OFFLINE_NOTICES)).toEqual([]);
    expect(await commentsWith(body)).toBe(0);

    await setOffline(context, false);
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

  test('a comment and a reply kept offline in a round that closed meanwhile are refused, and their texts stay with the person', async () => {
    const { context, page } = await signedIn(demo.member);
    const parentId = await commentToReplyTo('GEN-05');
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-05')}`;
    await open(page, indicatorPath);
    await setOffline(context, true);
    const body = `Escrito antes del cierre ${Date.now()}.`;
    await page.locator('#comment-body').fill(body);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    const thread = page.locator(`article.comment:has(input[name=parentId][value="${parentId}"])`);
    await thread.getByText('Responder').first().click();
    const reply = `Respuesta escrita antes del cierre ${Date.now()}.`;
    await thread.locator(`#reply-${parentId}`).fill(reply);
    await thread.getByRole('button', { name: 'Enviar respuesta' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('2 envíos en espera');
    // The round closes while the phone has no link.
    await em().execute(`update consultation_round set closes_at = now() - interval '1 minute' where id = ?`, [roundId]);
    try {
      await setOffline(context, false);
      await expect.poll(() => page.getByTestId('outbox-refused').count(), { timeout: 20_000 }).toBe(2);
      const [comment, answer] = [page.getByTestId('outbox-refused').first(), page.getByTestId('outbox-refused').nth(1)];
      expect(await comment.textContent()).toMatch(/Su comentario: no fue aceptado/);
      expect(await comment.locator('textarea').inputValue()).toBe(body);
      expect(await answer.textContent()).toMatch(/Su respuesta: no fue aceptado/);
      expect(await answer.locator('textarea').inputValue()).toBe(reply);
      for (const refused of [comment, answer]) expect(await refused.getByRole('alert').textContent()).toBe('La ronda ya cerró; no se guardó nada.');
      expect(await commentsWith(body)).toBe(0);
      expect(await commentsWith(reply)).toBe(0);
      expect(await axeViolations(page, ['.offline-notices'])).toEqual([]);
    } finally {
      await em().execute(`update consultation_round set closes_at = now() + interval '30 days' where id = ?`, [roundId]);
    }
    await context.close();
  });

  /** A comment by someone else on an indicator of the round, for the person under test to reply to. */
  async function commentToReplyTo(code: string): Promise<string> {
    const [{ id: versionId }] = await em().execute<{ id: string }[]>('select indicator_version_id as id from round_version where round_id = ? and indicator_id = ?', [roundId, indicatorId(code)]);
    const other = await platform.api.as(demo.stakeholderEn);
    const { addComment } = await other.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body: `A comment to answer on ${code}.` },
    });
    return addComment.id;
  }

  /** The open ballot of the demo that the working group's members vote on, and its first question. */
  async function openBallot(): Promise<{ path: string; ballotId: string; questionId: string }> {
    const client = await platform.api.as(demo.facilitator);
    const { ballots } = await client.data(`{ ballots { id status questions { id } } }`);
    const ballot = ballots.find((b: { status: string }) => b.status === 'OPEN');
    return { path: `/ballots/${ballot.id}`, ballotId: ballot.id, questionId: ballot.questions[0].id };
  }

  /** The votes recorded for a question with this reason: the vote rows, and the audit entries a cast writes (one per cast, a replaced vote too). */
  const votesWith = async (questionId: string, reason: string) => ({
    rows: Number((await em().execute<{ n: string }[]>('select count(*) as n from ballot_vote where question_id = ? and reason = ?', [questionId, reason]))[0].n),
    casts: Number((await em().execute<{ n: string }[]>(`select count(*) as n from audit_entry where action = 'vote.cast' and subject_id = ? and data->>'reason' = ?`, [questionId, reason]))[0].n),
  });

  test('a vote and a reply written without a link wait on the phone, and each lands once when the link returns', async () => {
    const { context, page } = await signedIn(demo.member);
    const parentId = await commentToReplyTo('GEN-07');
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-07')}`;
    const ballot = await openBallot();
    await open(page, indicatorPath);
    await open(page, ballot.path);

    await setOffline(context, true);
    await expect.poll(() => page.getByTestId('no-link').count()).toBe(1);
    const question = page.getByTestId('question').first();
    const reason = `Votado sin conexión ${Date.now()}: la redacción es clara.`;
    await question.getByLabel('A favor', { exact: true }).check();
    await question.getByLabel(/^Motivo/).fill(reason);
    await question.locator('form button[type=submit]').click();
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('1 envío en espera');
    expect(await page.getByTestId('outbox-waiting').textContent()).toContain('Su voto (A favor)');

    await page.goto(indicatorPath);
    await page.waitForSelector('html[data-hydrated]');
    const thread = page.locator(`article.comment:has(input[name=parentId][value="${parentId}"])`);
    await thread.getByText('Responder').first().click();
    const body = `Respuesta escrita sin conexión ${Date.now()}.`;
    await thread.locator(`#reply-${parentId}`).fill(body);
    await thread.getByRole('button', { name: 'Enviar respuesta' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('2 envíos en espera');
    expect(await thread.locator(`#reply-${parentId}`).inputValue()).toBe('');
    expect(await axeViolations(page, OFFLINE_NOTICES)).toEqual([]);
    expect(await commentsWith(body)).toBe(0);
    expect(await votesWith(ballot.questionId, reason)).toEqual({ rows: 0, casts: 0 });

    await setOffline(context, false);
    await expect.poll(() => page.getByTestId('outbox-sent').textContent(), { timeout: 20_000 }).toContain('2 envíos');
    expect(await page.getByTestId('outbox-waiting').count()).toBe(0);
    expect(await em().count(Comment, { body, parentId })).toBe(1);
    expect(await votesWith(ballot.questionId, reason)).toEqual({ rows: 1, casts: 1 });
    // The page read itself again: the reply is in its thread.
    await expect.poll(() => page.getByText(body, { exact: true }).count()).toBe(1);
    await open(page, ballot.path);
    expect(await page.getByTestId('question').first().getByTestId('my-vote').textContent()).toContain('Su voto actual: A favor');
    await context.close();
  });

  test('a vote kept offline on a ballot that closed meanwhile is refused: the choice and the reason stay, and the refusal says why', async () => {
    const { context, page } = await signedIn(demo.member2);
    const ballot = await openBallot();
    await open(page, ballot.path);
    await setOffline(context, true);
    const question = page.getByTestId('question').first();
    const reason = `En contra, escrito antes del cierre ${Date.now()}.`;
    await question.getByLabel('En contra', { exact: true }).check();
    await question.getByLabel(/^Motivo/).fill(reason);
    await question.locator('form button[type=submit]').click();
    await expect.poll(() => page.getByTestId('outbox-waiting').count()).toBe(1);
    // The ballot closes while the phone has no link.
    const [{ closes }] = await em().execute<{ closes: Date }[]>('select closes_at as closes from ballot where id = ?', [ballot.ballotId]);
    await em().execute(`update ballot set closes_at = now() - interval '1 minute' where id = ?`, [ballot.ballotId]);
    try {
      await setOffline(context, false);
      await expect.poll(() => page.getByTestId('outbox-refused').count(), { timeout: 20_000 }).toBe(1);
      const refused = page.getByTestId('outbox-refused');
      expect(await refused.textContent()).toMatch(/Su voto: no fue aceptado/);
      expect(await refused.getByRole('alert').textContent()).toBe('La votación ya está cerrada; su voto no se registró.');
      expect(await refused.textContent()).toContain('Su elección: En contra');
      expect(await refused.locator('textarea').inputValue()).toBe(reason);
      expect(await votesWith(ballot.questionId, reason)).toEqual({ rows: 0, casts: 0 });
      expect(await axeViolations(page, ['.offline-notices'])).toEqual([]);
    } finally {
      await em().execute('update ballot set closes_at = ? where id = ?', [closes, ballot.ballotId]);
    }
    // Kept on the device, not lost with the page: a reload shows it again.
    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.getByTestId('outbox-refused').locator('textarea').inputValue()).toBe(reason);
    await context.close();
  });

  test('the answering page of an assessment reads again without a link; an answer written there goes to the same outbox, waits on any page, and is sent from there once', async () => {
    const momotombo = 'momotombo@consulta.demo';
    const institution = await platform.api.as(momotombo);
    const { certificationAssessments } = await institution.data(`{ certificationAssessments { id organization { name } } }`);
    const assessmentId = certificationAssessments.find((a: { organization: { name: string } }) => a.organization.name === 'Crédito Solidario Momotombo').id;
    const answerOf = async (code: string) =>
      ((await institution.data(`query($id: ID!) { certificationAssessment(id: $id) { answers { judgment notes revision schemeIndicator { code } } } }`, { id: assessmentId }))
        .certificationAssessment.answers as { judgment: string; notes: string; revision: number; schemeIndicator: { code: string } }[]).find((a) => a.schemeIndicator.code === code);
    const { context, page } = await signedIn(momotombo);
    await open(page, '/certification/registry');
    const areaPath = `/certification/assessments/${assessmentId}/areas/4`;
    await open(page, areaPath);
    await expect.poll(() => page.evaluate(async (path) => !!(await caches.match(path)), areaPath)).toBe(true);

    // Read again without a link, from the copy kept for this person, with the time it was saved.
    await setOffline(context, true);
    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
    expect(await page.locator('[data-saved-copy]').textContent()).toMatch(/Copia guardada, del .+/);
    expect(await axeViolations(page, OFFLINE_NOTICES)).toEqual([]);
    const answer = page.getByTestId('indicator-4B.1');
    const notes = `Escrito sin conexión ${Date.now()}: hoja resumen con cada desembolso.`;
    await answer.getByLabel('Cumple', { exact: true }).check();
    await answer.getByLabel('Notas').fill(notes);
    await expect.poll(() => answer.getByTestId('save-state').textContent(), { timeout: 15_000 }).toContain('Sin conexión');
    // One store for every write kept on the device: the answer, under its idempotency key, what it says
    // sealed (offline-sealed.e2e.test.ts); sealed with the key kept from when the page had a link.
    const kept = await onDevice<{ key: string; kind: string; fields?: unknown }>(page, 'outbox');
    expect(kept.map((e) => e.kind)).toEqual(['answer']);
    expect(kept[0].key).toMatch(/^[0-9a-f-]{36}$/);
    expect(kept[0].fields).toBeUndefined();
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('consulta:answers')))).toEqual([]);
    // Beside its form, the answer says where it stands itself; the outbox's notice is for the other pages.
    expect(await page.getByTestId('outbox-waiting').count()).toBe(0);

    await page.goto('/certification/registry');
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.getByTestId('outbox-waiting').textContent()).toContain('1 envío en espera');
    expect(await page.getByTestId('outbox-waiting').textContent()).toContain('Su respuesta de evaluación');
    expect(await answerOf('4B.1')).toBeUndefined();
    await setOffline(context, false);
    await expect.poll(() => page.getByTestId('outbox-sent').textContent(), { timeout: 20_000 }).toContain('1 envío');
    expect(await answerOf('4B.1')).toEqual({ judgment: 'MET', notes, revision: 1, schemeIndicator: { code: '4B.1' } });
    await context.close();
  });

  /** What this device keeps in one of its stores (IndexedDB): the outbox or the drafts. */
  const onDevice = <T>(page: Page, store: 'outbox' | 'drafts') =>
    page.evaluate(
      (name) =>
        new Promise<T[]>((resolve, reject) => {
          const open = indexedDB.open('consulta-offline');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction(name).objectStore(name).getAll();
            all.onsuccess = () => resolve(all.result);
          };
        }),
      store,
    );

  /** How many drafts this device keeps (sealed: their texts are not to be read there). */
  const draftsOnDevice = async (page: Page) => (await onDevice(page, 'drafts')).length;

  test('a half-written comment survives a reload and a lost session; on a shared browser drafts and waiting sends go only to, and only as, their writer', async () => {
    const { context, page } = await signedIn(demo.member3);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-06')}`;
    await open(page, indicatorPath);
    const draft = `A medio escribir ${Date.now()}: el indicador debería`;
    await page.locator('#comment-body').fill(draft);
    await expect.poll(() => draftsOnDevice(page)).toBe(1);

    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.getByTestId('draft-offer').count()).toBe(1);
    expect(await axeViolations(page, ['[data-testid=draft-offer]'])).toEqual([]);
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
    await expect.poll(() => draftsOnDevice(page)).toBe(0);

    // Written offline, then the session is lost: one comment waits to be sent, another is a draft.
    await setOffline(context, true);
    const waiting = `${draft} (en espera)`;
    await page.locator('#comment-body').fill(waiting);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await expect.poll(() => page.getByTestId('outbox-waiting').count()).toBe(1);
    const kept = `${draft} (borrador)`;
    await page.locator('#comment-body').fill(kept);
    await expect.poll(() => draftsOnDevice(page)).toBe(1);
    await context.clearCookies();
    await setOffline(context, false);

    // Another person signs in in a second tab; the first tab, still its writer's, tries to send with the newcomer's cookie: refused, kept.
    const other = await context.newPage();
    await signIn(other, demo.member2, undefined, indicatorPath);
    await other.waitForSelector('html[data-hydrated]');
    const retried = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().headers()['x-consulta-writer'] !== undefined);
    await page.evaluate(() => dispatchEvent(new Event('online')));
    expect(await (await retried).json()).toMatchObject({ type: 'redirect', location: '/signin' });
    expect(await commentsWith(waiting)).toBe(0);
    await expect.poll(() => page.getByTestId('outbox-waiting').count()).toBe(1);
    await page.close();
    // The newcomer is offered nothing of the writer's, and nothing is sent as them.
    expect(await other.getByTestId('draft-offer').count()).toBe(0);
    expect(await other.getByTestId('outbox-waiting').count()).toBe(0);
    for (const text of [waiting, kept]) expect(await other.getByText(text).count()).toBe(0);
    expect(await other.locator('#comment-body').inputValue()).toBe('');
    expect(await commentsWith(waiting)).toBe(0);

    // The writer signs in again: the waiting comment is sent as theirs, once, and the draft is offered back.
    await other.getByRole('button', { name: 'Cerrar sesión' }).click();
    await other.waitForURL((url) => url.pathname === '/');
    await signIn(other, demo.member3, undefined, indicatorPath);
    await other.waitForSelector('html[data-hydrated]');
    await expect.poll(() => other.getByTestId('outbox-sent').count(), { timeout: 20_000 }).toBe(1);
    const writer = await em().findOneOrFail(User, { email: demo.member3 });
    expect(await em().count(Comment, { body: waiting, authorId: writer.id })).toBe(1);
    expect(await commentsWith(waiting)).toBe(1);
    await expect.poll(() => other.getByTestId('draft-offer').count()).toBe(1);
    await other.getByRole('button', { name: 'Recuperar el borrador' }).click();
    expect(await other.locator('#comment-body').inputValue()).toBe(kept);
    await context.close();
  });

  test('a visitor who is not signed in reads a published standard again without a link', async () => {
    const context = await contextWithLink(browser, platform.webUrl, { width: 360 });
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
    await setOffline(context, true);
    await page.reload();
    expect(await page.locator('main h1').textContent()).toBe(heading);
    await context.close();
  });

  test('a new service worker drops the asset caches of earlier builds, except one a kept page still loads', async () => {
    const context = await contextWithLink(browser, platform.webUrl, { width: 360 });
    const page = await context.newPage();
    // A file, not a page of the app: no service worker yet, and the device's caches as earlier builds left them.
    await page.goto('/favicon.svg');
    await page.evaluate(async () => {
      const asset = () => new Response('/* an earlier build */', { headers: { 'content-type': 'text/javascript' } });
      await (await caches.open('assets')).put('/_app/immutable/chunks/former.js', asset());
      await (await caches.open('assets-gone-build')).put('/_app/immutable/chunks/gone.js', asset());
      await (await caches.open('assets-kept-build')).put('/_app/immutable/chunks/kept.js', asset());
      const saved = new Response('<html><body>A page kept under an earlier build</body></html>', {
        headers: { 'content-type': 'text/html', 'x-consulta-keep': 'public', 'x-consulta-saved-at': new Date().toISOString(), 'x-consulta-build': 'kept-build' },
      });
      await (await caches.open('pages-public')).put(`${location.origin}/public/earlier`, saved);
    });
    await open(page, '/public');
    // Activated: the worker's activate step (and the pruning in it) has finished.
    const assetCaches = await page.evaluate(async () => {
      const worker = (await navigator.serviceWorker.ready).active!;
      if (worker.state !== 'activated') await new Promise((r) => worker.addEventListener('statechange', () => worker.state === 'activated' && r(null)));
      return (await caches.keys()).filter((name) => name.startsWith('assets'));
    });
    expect(assetCaches).toContain('assets-kept-build');
    expect(assetCaches).not.toContain('assets-gone-build');
    expect(assetCaches).not.toContain('assets');
    // The page kept under the earlier build still reads with its scripts and styles offline.
    expect(await page.evaluate(async () => (await (await caches.match('/_app/immutable/chunks/kept.js'))?.text()) ?? null)).toBe('/* an earlier build */');
    await context.close();
  });

  test('the pages kept for a person are bounded: the 100 kept last, none older than 30 days', async () => {
    const { context, page } = await signedIn(demo.stakeholder);
    await open(page, `/rounds/${roundId}`);
    const personCache = () => page.evaluate(async () => (await caches.keys()).find((name) => name.startsWith('pages-person-')) ?? null);
    await expect.poll(personCache).not.toBeNull();
    const name = (await personCache())!;
    const kept = () => page.evaluate(async (cacheName) => (await (await caches.open(cacheName)).keys()).map((r) => new URL(r.url).pathname), name);
    await expect.poll(kept).toContain(`/rounds/${roundId}`);
    // 120 pages kept earlier, the first 30 of them 31 days ago.
    await page.evaluate(async (cacheName) => {
      const cache = await caches.open(cacheName);
      const day = 86_400_000;
      for (let i = 0; i < 120; i++) {
        const savedAt = new Date(Date.now() - (i < 30 ? 31 * day : day)).toISOString();
        await cache.put(`${location.origin}/earlier/${i}`, new Response('<html></html>', { headers: { 'content-type': 'text/html', 'x-consulta-saved-at': savedAt } }));
      }
    }, name);
    const indicatorPath = `/rounds/${roundId}/indicators/${indicatorId('GEN-03')}`;
    await open(page, indicatorPath);
    // Keeping the indicator page bounds the cache: the round page and earlier/0-20 (over 100), then earlier/21-29 (over 30 days).
    const earlier = async () => (await kept()).filter((path) => path.startsWith('/earlier/'));
    await expect.poll(async () => (await earlier()).length).toBe(90);
    expect(await earlier()).toEqual(Array.from({ length: 90 }, (_, i) => `/earlier/${30 + i}`));
    const paths = await kept();
    expect(paths.length).toBeLessThanOrEqual(100);
    expect(paths).toContain(indicatorPath);
    // The round page went with the oldest, unless its live feed reloaded it after the earlier pages
    // were stamped (an event of the round committed after the page read it, replayed to the feed):
    // then it is kept as newer than all of them, which is the same rule.
    expect(paths.indexOf(`/rounds/${roundId}`)).toSatisfy((at: number) => at === -1 || at > paths.indexOf('/earlier/119'));
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
    await setOffline(context, true);
    const response = await page.goto(`/rounds/${roundId}`).catch(() => null);
    expect(response?.ok() ?? false).toBe(false);
    await context.close();
  });
});
