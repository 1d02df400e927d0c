import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo, startTestApi, type TestApi } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession, type ContextOptions } from '../support/browser.js';
import { createTestDatabase } from '../support/database.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { download, type RoundDocument } from '../api/exports/fixtures.js';

describe.skipIf(!hasBrowser)('the audit log and the round import in the browser', () => {
  let platform: Platform;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
    dir = mkdtempSync(join(tmpdir(), 'consulta-import-e2e-'));
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function pageAs(email: string, options: ContextOptions = {}): Promise<Page> {
    const context = await newContext(browser, platform.webUrl, options);
    const p = await context.newPage();
    await startSession(p, email);
    return p;
  }

  const sql = <T>(query: string, params: unknown[] = []) => platform.api.db.orm.em.fork().execute<T[]>(query, params);
  const rounds = async () => (await sql<{ n: number }>('select count(*)::int as n from consultation_round'))[0].n;

  describe('the audit log', () => {
    test('a facilitator finds it in the navigation, filters it, pages back and downloads it as CSV, on a page with no accessibility violations', async () => {
      const facilitator = await pageAs(demo.facilitator, { width: 390 });
      await facilitator.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Registro de auditoría' }).click();
      await facilitator.waitForURL('**/audit');
      await facilitator.getByTestId('audit-table').waitFor();
      expect(await axeViolations(facilitator)).toEqual([]);
      expect(await scrollsSideways(facilitator)).toBe(false);

      // Newest first, 50 to a page; the next page goes on below the last number.
      const numbers = async () => (await facilitator.locator('[data-testid=audit-table] tbody tr td:first-child').allTextContents()).map((s) => parseInt(s, 10));
      const first = await numbers();
      expect(first).toHaveLength(50);
      expect([...first].sort((a, b) => b - a)).toEqual(first);
      await facilitator.getByTestId('audit-next').click();
      await facilitator.getByRole('link', { name: '← Las más recientes' }).waitFor();
      const second = await numbers();
      expect(second.length).toBeGreaterThan(0);
      expect(Math.max(...second)).toBeLessThan(Math.min(...first));

      await facilitator.goto('/audit');
      await facilitator.getByLabel('Qué').selectOption({ label: 'Inicio de sesión' });
      await facilitator.getByRole('button', { name: 'Filtrar' }).click();
      await facilitator.waitForURL(/action=user\.signed_in/);
      const actions = await facilitator.locator('[data-testid=audit-table] tbody tr td:nth-child(4)').allTextContents();
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.every((a) => a.startsWith('Inicio de sesión'))).toBe(true);

      const [file] = await Promise.all([facilitator.waitForEvent('download'), facilitator.getByTestId('audit-csv').click()]);
      expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d\d-\d\d\.csv$/);
      const text = readFileSync((await file.path())!, 'utf8');
      const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('id,at,actorId,actorName,action,subjectType,subjectId,scopeId,sourceId,data');
      expect(lines.slice(1).every((l) => l.includes(',user.signed_in,'))).toBe(true);
      expect(lines.length - 1).toBe(actions.length);
      const [logged] = await sql<{ data: { filter: { action: string } } }>("select data from audit_entry where action = 'audit_log.downloaded' order by id desc limit 1");
      expect(logged.data.filter.action).toBe('user.signed_in');
    }, 180_000);

    test('without JavaScript, a facilitator filters by round and time, and a range that ends before it starts is refused at the field', async () => {
      const facilitator = await pageAs(demo.facilitator, { javaScript: false });
      await facilitator.goto('/audit');
      const round = facilitator.getByLabel('Ronda');
      const roundTitle = (await round.locator('option').nth(1).textContent())!;
      await round.selectOption({ index: 1 });
      await facilitator.getByLabel('Desde').fill('2030-01-02T10:00');
      await facilitator.getByLabel('Hasta (sin incluir)').fill('2030-01-01T10:00');
      await facilitator.getByRole('button', { name: 'Filtrar' }).click();
      await facilitator.getByText('Debe ser posterior a «Desde».').waitFor();
      await expect(facilitator.getByLabel('Hasta (sin incluir)').getAttribute('aria-invalid')).resolves.toBe('true');
      expect(await facilitator.getByTestId('audit-table').count()).toBe(0);

      await facilitator.getByLabel('Desde').fill('');
      await facilitator.getByLabel('Hasta (sin incluir)').fill('');
      await facilitator.getByRole('button', { name: 'Filtrar' }).click();
      await facilitator.getByTestId('audit-table').waitFor();
      const scopes = await facilitator.locator('[data-testid=audit-table] tbody tr td:nth-child(6)').allTextContents();
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopes.every((s) => s === roundTitle)).toBe(true);
    }, 180_000);

    test('stakeholders and members have no link to it and are refused the page', async () => {
      for (const email of [demo.stakeholder, demo.member]) {
        const person = await pageAs(email);
        expect(await person.getByRole('link', { name: 'Registro de auditoría' }).count()).toBe(0);
        expect((await person.goto('/audit'))?.status()).toBe(403);
        await person.context().close();
      }
    }, 120_000);
  });

  describe('importing a round', () => {
    let source: TestApi;
    const files: Record<string, string> = {};
    const write = (name: string, content: string | Buffer) => {
      files[name] = join(dir, name);
      writeFileSync(files[name], content);
      return files[name];
    };

    beforeAll(async () => {
      // Another instance with the demo data: its rounds are new here, its people and framework are here by e-mail and slug.
      // Seeded afresh, not copied from the demo template, so that its rows have ids of their own.
      source = await startTestApi({ db: await createTestDatabase() });
      const facilitator = await source.as(demo.facilitator);
      const ids = await source.db.orm.em.fork().execute<{ id: string; slug: string }[]>('select r.id, f.slug from consultation_round r join framework f on f.id = r.framework_id order by r.created_at');
      for (const { id, slug } of ids) write(`${slug}.json`, (await download(source, facilitator, id, { format: 'json' })).body);
      const [{ id: here }] = await sql<{ id: string }>('select id from consultation_round order by created_at limit 1');
      const admin = await platform.api.as(demo.admin);
      write('here.json', (await download(platform.api, admin, here, { format: 'json' })).body);
      write('broken.json', '{"format": "consulta-round", "tables": ');
      write('not-a-round.json', JSON.stringify({ format: 'consulta-ballot', version: 1 }));
      write('too-large-for-the-api.json', JSON.stringify({ format: 'consulta-round', pad: 'x'.repeat(1_500_000) }));
      write('too-large-for-the-web.json', JSON.stringify({ format: 'consulta-round', pad: 'x'.repeat(3_000_000) }));
    }, 180_000);
    afterAll(() => source?.stop());

    async function upload(admin: Page, name: string) {
      await admin.goto('/admin/import');
      await admin.getByLabel('Archivo de la ronda (JSON)').setInputFiles(files[name]);
      await admin.getByRole('button', { name: 'Ver qué se cargará' }).click();
    }

    for (const javaScript of [true, false]) {
      test(`${javaScript ? 'with' : 'without'} JavaScript, an admin previews a round from another instance, sees its counts, and imports it`, async () => {
        const admin = await pageAs(demo.admin, { javaScript });
        const name = javaScript ? 'spwg-lac-certification.json' : 'usspm.json';
        const document: RoundDocument = JSON.parse(readFileSync(files[name], 'utf8'));
        const before = await rounds();
        await admin.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Importar ronda' }).click();
        await admin.waitForURL('**/admin/import');
        // axe runs its script in the page: the page with JavaScript is the same HTML.
        if (javaScript) expect(await axeViolations(admin)).toEqual([]);
        await upload(admin, name);
        const preview = admin.getByTestId('import-preview');
        await preview.waitFor();
        await expect(preview.locator('[data-table=comment]').textContent()).resolves.toBe(String(document.tables.comment.length));
        await expect(preview.locator('[data-table=consultation_round]').textContent()).resolves.toBe('1');
        if (javaScript) expect(await axeViolations(admin)).toEqual([]);
        expect(await rounds()).toBe(before);

        await admin.getByRole('button', { name: 'Importar la ronda' }).click();
        const result = admin.getByTestId('import-result');
        await result.waitFor();
        await expect(result.locator('[data-table=comment]').textContent()).resolves.toBe(String(document.tables.comment.length));
        expect(await rounds()).toBe(before + 1);
        await admin.getByRole('link', { name: 'Abrir la ronda importada' }).click();
        await admin.waitForURL(`**/rounds/${document.roundId}`);
      }, 180_000);
    }

    const refusals: [string, string, boolean][] = [
      ['here.json', 'Esta ronda ya está en esta instancia.', true],
      ['here.json', 'Esta ronda ya está en esta instancia.', false],
      ['broken.json', 'Este archivo no es JSON.', false],
      ['not-a-round.json', 'Este archivo no es una exportación de ronda de Consulta que esta instancia pueda leer.', true],
      ['too-large-for-the-api.json', 'El archivo es más grande de lo que esta instancia acepta (GRAPHQL_MAX_BODY_BYTES, 1 MB por defecto). Impórtalo desde la línea de comandos.', true],
      ['too-large-for-the-web.json', 'El archivo es más grande de lo que esta instancia acepta (GRAPHQL_MAX_BODY_BYTES, 1 MB por defecto). Impórtalo desde la línea de comandos.', false],
    ];
    test.for(refusals)('%s is refused at the file field, %s, and nothing is stored (JavaScript: %s)', { timeout: 120_000 }, async ([name, message, javaScript]) => {
      const admin = await pageAs(demo.admin, { javaScript });
      const before = await rounds();
      await upload(admin, name);
      await admin.locator('#import-file-error').getByText(message).waitFor();
      await expect(admin.getByLabel('Archivo de la ronda (JSON)').getAttribute('aria-invalid')).resolves.toBe('true');
      await admin.getByText('El archivo no se puede importar; no se ha guardado nada.').waitFor();
      expect(await admin.getByTestId('import-preview').count()).toBe(0);
      if (javaScript) expect(await axeViolations(admin)).toEqual([]);
      expect(await rounds()).toBe(before);
      await admin.context().close();
    });

    test('facilitators have no link to it and are refused the page', async () => {
      const facilitator = await pageAs(demo.facilitator);
      expect(await facilitator.getByRole('link', { name: 'Importar ronda' }).count()).toBe(0);
      expect((await facilitator.goto('/admin/import'))?.status()).toBe(403);
    }, 60_000);
  });
});
