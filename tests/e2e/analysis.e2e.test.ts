import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import type { GraphQLClient } from '../support/client.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { CAMPAIGN_LETTER } from '../api/analysis/campaign.js';

interface DemoRound {
  id: string;
  framework: { slug: string };
  indicators: { indicator: { id: string; code: string; section: { id: string; code: string } }; indicatorVersion: { id: string } }[];
}

/**
 * Feedback analysis in the browser, on the demo consultation round: themes and bulk tagging in the
 * disposition queue, reviewing a near-duplicate group, entering workshop feedback, and the dashboard.
 */
describe.skipIf(!hasBrowser)('feedback analysis in the browser', () => {
  let platform: Platform;
  let browser: Browser;
  let facilitatorApi: GraphQLClient;
  let spwg: DemoRound;
  let usspm: DemoRound;
  const letters: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    facilitatorApi = await platform.api.as(demo.facilitator);
    const { rounds } = await facilitatorApi.data<{ rounds: DemoRound[] }>(
      `{ rounds { id framework { slug } indicators { indicator { id code section { id code } } indicatorVersion { id } } } }`,
    );
    spwg = rounds.find((r) => r.framework.slug === 'spwg-lac-certification')!;
    usspm = rounds.find((r) => r.framework.slug === 'usspm')!;
    expect(spwg && usspm, 'the demo has the SPWG and USSPM rounds').toBeTruthy();
    // The demo has no campaign: three members send the same letter with small edits, through the real API.
    const versionId = version('GEN-02');
    const copies = [CAMPAIGN_LETTER, CAMPAIGN_LETTER.replaceAll(',', ''), CAMPAIGN_LETTER.replace('pedimos', 'solicitamos')];
    for (const [i, email] of [demo.member, demo.member2, demo.member3].entries()) {
      const member = await platform.api.as(email);
      const { addComment } = await member.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
        input: { roundId: spwg.id, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body: `${copies[i]}\n\nFirma ${i + 1}` },
      });
      letters.push(addComment.id);
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const version = (code: string) => spwg.indicators.find((i) => i.indicator.code === code)!.indicatorVersion.id;
  async function pageAs(email: string, options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, options)).newPage();
    await startSession(p, email);
    return p;
  }
  // A form post and the page's reload take a few seconds on a busy machine.
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });
  const notice = (p: Page) => p.locator('.notice.success');

  test('a facilitator defines themes, then tags comments in bulk: the ticked ones, and all those matching a filter', async () => {
    // The demo round has themes of its own (analysis.json); new ones come after them.
    const LABELS = `query($id: ID!) { roundThemes(roundId: $id) { label { value } } }`;
    const demoThemes = (await facilitatorApi.data(LABELS, { id: spwg.id })).roundThemes.map((t: { label: { value: string } }) => t.label.value);
    expect(demoThemes.length, 'the demo has themes').toBeGreaterThan(0);
    const f = await pageAs(demo.facilitator);
    await f.goto(`/rounds/${spwg.id}/themes`);
    for (const [es, en] of [['Género y cartera', 'Gender and portfolio'], ['Zonas rurales', 'Rural areas']]) {
      await f.locator('#create-es').fill(es);
      await f.locator('#create-en').fill(en);
      await f.getByRole('button', { name: 'Crear el tema' }).click();
      await poll(() => notice(f).textContent()).toContain(`Se creó el tema «${es}».`);
    }
    const names = () => f.getByTestId('theme').locator('h3').allTextContents();
    expect(await names()).toEqual([...demoThemes, 'Género y cartera', 'Zonas rurales']);
    await f.getByRole('button', { name: 'Subir Zonas rurales' }).click();
    await poll(names).toEqual([...demoThemes, 'Zonas rurales', 'Género y cartera']);
    const gender = f.getByTestId('theme').filter({ hasText: 'Género y cartera' });
    await gender.getByText('Cambiar el nombre o las traducciones').click();
    await gender.getByLabel('Português').fill('Gênero e carteira');
    await gender.getByLabel('Français').fill('Genre et portefeuille');
    await gender.getByRole('button', { name: 'Guardar' }).click();
    await poll(() => notice(f).textContent()).toContain('Se guardaron los nombres del tema.');
    const { roundThemes } = await facilitatorApi.data(`query($id: ID!) { roundThemes(roundId: $id) { translations { es pt fr } } }`, { id: spwg.id });
    expect(roundThemes[demoThemes.length + 1].translations).toEqual({ es: 'Género y cartera', pt: 'Gênero e carteira', fr: 'Genre et portefeuille' });
    // A theme made by mistake goes away.
    await f.locator('#create-es').fill('Provisional');
    await f.getByRole('button', { name: 'Crear el tema' }).click();
    await poll(names).toEqual([...demoThemes, 'Zonas rurales', 'Género y cartera', 'Provisional']);
    const mistake = f.getByTestId('theme').filter({ hasText: 'Provisional' });
    await mistake.locator('summary', { hasText: 'Eliminar' }).click();
    await mistake.getByRole('button', { name: 'Eliminar el tema «Provisional»' }).click();
    await poll(names).toEqual([...demoThemes, 'Zonas rurales', 'Género y cartera']);
    expect(await axeViolations(f)).toEqual([]);

    // The ticked comments: the two on GEN-01 (already disposed, so the queue shows all dispositions).
    await f.goto(`/rounds/${spwg.id}/dispositions?disposition=ALL`);
    const item = (text: string) => f.locator('.queue > li', { hasText: text });
    await item('En nuestra institución').locator('input[name=commentIds]').check();
    await item('Un umbral único').locator('input[name=commentIds]').check();
    const tagPanel = f.locator('section[aria-labelledby=tag-heading]');
    await tagPanel.getByLabel('Género y cartera').check();
    await tagPanel.getByRole('button', { name: 'Asignar los temas' }).click();
    await poll(() => notice(f).textContent()).toContain('Se asignaron 2 temas.');
    await poll(() => item('Un umbral único').getByTestId('themes').textContent()).toContain('Género y cartera');
    expect(await item('En nuestra institución').getByTestId('themes').textContent()).toContain('Género y cartera');

    // Every comment the filter matches: all of rural development's (4 in the demo, whatever their disposition).
    await f.locator('#filter-section').selectOption({ label: 'RUR' });
    await Promise.all([f.waitForURL(/section=/), f.getByRole('button', { name: 'Aplicar filtros' }).click()]);
    await tagPanel.getByLabel('Zonas rurales').check();
    await tagPanel.getByLabel('Los 4 comentarios que cumplen los filtros').check();
    await tagPanel.getByRole('button', { name: 'Asignar los temas' }).click();
    await poll(() => notice(f).textContent()).toContain('Se asignaron 4 temas.');
    expect(f.url()).toContain('section=');

    // The queue filtered by theme shows those four, each marked; then one is untagged and leaves the list.
    await f.goto(`/rounds/${spwg.id}/dispositions?disposition=ALL`);
    await f.locator('.filter-form').getByLabel('Zonas rurales (4)').check();
    await Promise.all([f.waitForURL(/theme=/), f.getByRole('button', { name: 'Aplicar filtros' }).click()]);
    const shown = f.locator('.queue > li');
    await poll(() => shown.count()).toBe(4);
    for (const text of await shown.allTextContents()) expect(text).toMatch(/RUR-0\d/);
    // Each marked; some carry the demo's own themes as well.
    const marks = await shown.getByTestId('themes').allTextContents();
    expect(marks).toHaveLength(4);
    for (const mark of marks) expect(mark).toContain('Zonas rurales');
    expect(await axeViolations(f)).toEqual([]);
    await shown.first().locator('input[name=commentIds]').check();
    await tagPanel.getByLabel('Zonas rurales').check();
    await tagPanel.getByRole('button', { name: 'Quitar los temas' }).click();
    await poll(() => notice(f).textContent()).toContain('Se quitó 1 tema.');
    await poll(() => shown.count()).toBe(3);
    await f.context().close();
  });

  test('a facilitator reviews the campaign group: regroups, takes one letter out, confirms, and disposes of the rest at once', async () => {
    const f = await pageAs(demo.facilitator);
    await f.goto(`/rounds/${spwg.id}/duplicates`);
    // The demo's own campaign (analysis.json, on GEN-06) is a group too; this test works on the letters it sent.
    expect(await f.getByTestId('group').count()).toBe(2);
    const group = f.getByTestId('group').filter({ hasText: 'Como socias de la cooperativa' });
    expect(await group.count()).toBe(1);
    expect(await group.locator('h3').textContent()).toMatch(/Grupo de 3 comentarios\s*· sugerido/);
    expect(await group.locator('blockquote').textContent()).toContain('Como socias de la cooperativa');
    expect(await axeViolations(f)).toEqual([]);

    await f.getByRole('button', { name: 'Volver a agrupar la ronda' }).click();
    await poll(() => notice(f).textContent()).toContain('La ronda tiene 2 grupos.');

    await group.getByLabel(/Javier Quispe/).check();
    await group.getByRole('button', { name: 'Sacar los marcados del grupo' }).click();
    await poll(() => group.locator('h3').textContent()).toMatch(/Grupo de 2 comentarios/);

    await group.getByRole('button', { name: 'Confirmar: dicen lo mismo' }).click();
    await poll(() => group.locator('h3').textContent()).toMatch(/· confirmado/);

    await group.getByLabel('Disposición', { exact: true }).selectOption('NOTED');
    await group.getByLabel('Respuesta a quienes comentaron').fill('Se tendrá en cuenta el ciclo agrícola al medir la retención.');
    await group.getByRole('button', { name: 'Aplicar a los 2 comentarios' }).click();
    await poll(() => notice(f).textContent()).toContain('2 comentarios recibieron su disposición.');
    expect(await axeViolations(f)).toEqual([]);

    // Each member keeps its own record: the two letters are NOTED, the one taken out is still waiting.
    const COMMENT = `query($id: ID!) { comment(id: $id) { disposition { status } nearDuplicateGroup { size } } }`;
    const nodes = await Promise.all(letters.map(async (id) => (await facilitatorApi.data(COMMENT, { id })).comment));
    expect(nodes.map((c: { disposition: { status: string } | null }) => c.disposition?.status ?? null)).toEqual(['NOTED', 'NOTED', null]);
    expect(nodes[2].nearDuplicateGroup).toBeNull();

    // The queue marks each grouped comment with its group.
    await f.goto(`/rounds/${spwg.id}/dispositions?disposition=ALL`);
    const letter = f.locator('.queue > li', { hasText: 'Firma 1' });
    expect(await letter.getByRole('link', { name: 'En un grupo de 2 comentarios casi idénticos' }).count()).toBe(1);
    await f.context().close();
  });

  test('without JavaScript, on a phone, a facilitator enters workshop feedback; the queue marks it as entered on behalf', async () => {
    const f = await pageAs(demo.facilitator, { javaScript: false, width: 360 });
    await f.goto(`/rounds/${spwg.id}/on-behalf`);
    expect(await scrollsSideways(f)).toBe(false);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await f.getByLabel('Origen').selectOption('WORKSHOP');
    await f.getByLabel('Evento').fill('Taller regional de desempeño social');
    await f.getByLabel('Fecha').fill(yesterday);
    await f.getByLabel('Lugar').fill('Cusco');
    await f.getByLabel('Sobre').selectOption(`INDICATOR_VERSION:${version('GEN-03')}`);
    await f.getByLabel('Campo').selectOption('MEASUREMENT');
    await f.getByLabel('Tipo de comentario').selectOption('TECHNICAL');
    await f.getByLabel('Comentario', { exact: true }).fill('En el taller de Cusco pidieron medir la cartera en riesgo por ciclo de crédito.');

    // Nobody named: refused, with the reason next to the field and what was typed kept.
    await Promise.all([f.waitForLoadState('load'), f.getByRole('button', { name: 'Ingresar el comentario' }).click()]);
    await poll(() => f.locator('#ob-personName-error').textContent()).toContain('Indique en nombre de quién');
    expect(await f.getByLabel('Comentario', { exact: true }).inputValue()).toContain('taller de Cusco');

    await f.getByLabel('Persona').fill('Participantes del taller');
    await f.getByText('Otra organización').click();
    await f.getByLabel('Nombre de la organización').fill('Cooperativa Andina');
    await f.getByLabel('Tipo de organización').selectOption('MFI');
    await f.getByLabel('País').fill('pe');
    await Promise.all([f.waitForLoadState('load'), f.getByRole('button', { name: 'Ingresar el comentario' }).click()]);
    await poll(() => notice(f).textContent()).toContain('Se ingresó el comentario');
    // Ready for the next comment of the same workshop.
    expect(await f.getByLabel('Evento').inputValue()).toBe('Taller regional de desempeño social');
    expect(await f.getByLabel('Comentario', { exact: true }).inputValue()).toBe('');

    await f.getByRole('link', { name: 'Ver lo ingresado en la cola' }).click();
    // The demo's workshop and e-mailed letters are listed too (analysis.json); this one once.
    const entered = f.locator('.queue > li', { hasText: 'taller de Cusco' });
    await poll(() => entered.count()).toBe(1);
    const mark = (await entered.getByTestId('on-behalf').textContent())!.replace(/\s+/g, ' ');
    expect(mark).toContain('Ingresado por la facilitación: Taller, «Taller regional de desempeño social»');
    expect(mark).toContain('Cusco');
    expect(mark).toContain('ingresado por Karla Hernández');
    expect(await entered.textContent()).toContain('Participantes del taller, Cooperativa Andina (PE)');
    expect(await scrollsSideways(f)).toBe(false);
    await f.context().close();
  });

  test('without JavaScript, a facilitator finds an organization by name and lists its comments only', async () => {
    const ORGS = `query($id: ID!, $filter: CommentFilter) { roundComments(roundId: $id, filter: $filter, first: 1) { facets { organizations(first: 200) { value label count } } } }`;
    const { roundComments } = await facilitatorApi.data(ORGS, { id: spwg.id, filter: { withdrawn: false } });
    const all = roundComments.facets.organizations as { value: string | null; label: string | null; count: number }[];
    const named = all.filter((o) => o.value && o.label);
    expect(named.length).toBeGreaterThan(1);
    // The page offers the 20 with the most comments, comments without an organization aside.
    const offered = all.slice(0, 20).filter((o) => o.value && o.label);
    const sought = named[named.length - 1];
    const f = await pageAs(demo.facilitator, { javaScript: false });
    await f.goto(`/rounds/${spwg.id}/dispositions?disposition=ALL`);
    const options = () => f.locator('#filter-organization option').allTextContents();
    expect((await options()).slice(1)).toEqual(offered.map((o) => `${o.label} (${o.count})`));
    await f.getByLabel('Buscar organización por nombre').fill(sought.label!.toLowerCase());
    await Promise.all([f.waitForURL(/organizationSearch=/), f.getByRole('button', { name: 'Aplicar filtros' }).click()]);
    expect(await options()).toEqual(['Todas las organizaciones', `${sought.label} (${sought.count})`]);
    await f.getByLabel('Organización', { exact: true }).selectOption({ label: `${sought.label} (${sought.count})` });
    await Promise.all([f.waitForURL(/organization=/), f.getByRole('button', { name: 'Aplicar filtros' }).click()]);
    const shown = f.locator('.queue > li');
    expect(await shown.count()).toBe(Math.min(sought.count, 50));
    for (const text of await shown.allTextContents()) expect(text).toContain(`, ${sought.label}`);
    expect(await f.getByLabel('Organización', { exact: true }).inputValue()).toBe(sought.value);
    // (The queue's filters, this select among them, pass axe in the first test, with scripts.)
    await f.context().close();
  });

  test('the dashboard shows each chart with its numbers, accessible and within a phone’s width (and so is the on-behalf form)', async () => {
    const { roundDashboard: d } = await facilitatorApi.data(`query($id: ID!) { roundDashboard(roundId: $id) { comments onBehalf bySource { key count } } }`, { id: spwg.id });
    // The demo's workshop entries (analysis.json) and the one entered above.
    const workshop = d.bySource.find((s: { key: string }) => s.key === 'WORKSHOP').count;
    expect(workshop).toBeGreaterThan(1);
    const f = await pageAs(demo.facilitator, { width: 360 });
    await f.goto(`/rounds/${spwg.id}`);
    await f.getByRole('link', { name: 'Tablero de la ronda' }).click();
    await f.waitForURL(/\/dashboard$/);
    await expect(f.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Tablero de la ronda');
    const figures = (await f.getByTestId('figures').innerText()).replace(/\s+/g, ' ');
    expect(figures).toContain(`Comentarios ${d.comments}`);
    expect(figures).toContain(`Ingresados por la facilitación ${d.onBehalf}`);
    expect(await f.getByRole('img', { name: /Comentarios por día y total acumulado/ }).count()).toBe(1);
    const heat = f.getByRole('table', { name: 'Comentarios por área e indicador' });
    // GEN-02: one general comment from the demo, and the two letters still in their group plus the one taken out.
    const gen02 = heat.getByRole('row', { name: /^GEN-02/ });
    expect((await gen02.getByRole('cell').allTextContents()).at(-1)).toBe('5');
    const themes = f.getByRole('table', { name: /Comentarios por tema/ });
    expect(await themes.getByRole('row', { name: /^Zonas rurales 3/ }).count()).toBe(1);
    expect(await f.getByRole('table', { name: /por origen/ }).getByRole('row', { name: new RegExp(`^Taller ${workshop}\\b`) }).count()).toBe(1);
    expect(await axeViolations(f)).toEqual([]);
    expect(await scrollsSideways(f)).toBe(false);

    // The on-behalf form, checked here with JavaScript on (axe-core needs it), after its use without.
    await f.goto(`/rounds/${spwg.id}/on-behalf`);
    expect(await axeViolations(f)).toEqual([]);

    // A round with practice ratings shows how each practice was rated.
    await f.goto(`/rounds/${usspm.id}/dashboard`);
    const ratings = f.getByRole('table', { name: 'Cómo se valoró cada práctica' });
    expect(await ratings.getByRole('row').count()).toBeGreaterThan(1);
    expect(await axeViolations(f)).toEqual([]);
    expect(await scrollsSideways(f)).toBe(false);
    await f.context().close();
  });

  test('a stakeholder is refused every analysis page, and the round page offers them none', async () => {
    const s = await pageAs(demo.stakeholder, { javaScript: false });
    for (const path of ['themes', 'duplicates', 'on-behalf', 'dashboard', 'dispositions']) {
      const response = await s.goto(`/rounds/${spwg.id}/${path}`);
      expect(response?.status(), path).toBe(403);
    }
    const posted = await s.request.post(`/rounds/${spwg.id}/themes?/create`, { form: { es: 'Intruso' }, headers: { origin: platform.webUrl } });
    expect(posted.status()).toBe(403);
    await s.goto(`/rounds/${spwg.id}`);
    expect(await s.getByRole('link', { name: 'Tablero de la ronda' }).count()).toBe(0);
    const { roundThemes } = await facilitatorApi.data(`query($id: ID!) { roundThemes(roundId: $id) { label { value } } }`, { id: spwg.id });
    expect(roundThemes.map((t: { label: { value: string } }) => t.label.value)).not.toContain('Intruso');
    await s.context().close();
  });
});
