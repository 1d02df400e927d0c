import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, signIn } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

describe.skipIf(!hasBrowser)('the web shell', () => {
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function page(options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const context = await newContext(browser, platform.webUrl, options);
    return context.newPage();
  }
  // Under load a form round trip can take a few seconds; vitest's poll gives up after one by default.
  const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });
  const viewer = (p: Page) => p.getByTestId('viewer');
  const navLinks = (p: Page) => p.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link').allTextContents();

  test.each([
    { who: 'admin', email: demo.admin, role: 'Administración', people: true },
    { who: 'facilitator', email: demo.facilitator, role: 'Facilitación', people: true },
    { who: 'member', email: demo.member, role: 'Miembro del grupo de trabajo', people: false },
    { who: 'stakeholder', email: demo.stakeholder, role: 'Parte interesada', people: false },
  ])('the $who signs in and sees their name, role and navigation', async ({ email, role, people }) => {
    const p = await page();
    const anonymousNav = await p.goto('/').then(() => navLinks(p));
    // The released standards, the consultations and the registry of certified institutions are public: everyone has their links.
    expect(anonymousNav).toEqual(['Inicio', 'Normas y consultas', 'Reuniones', 'Instituciones certificadas']);
    await signIn(p, email);
    expect(new URL(p.url()).pathname).toBe('/');
    await poll(() => viewer(p).textContent()).toContain(role);
    const nav = await navLinks(p);
    expect(nav[0]).toBe('Inicio');
    expect(nav.includes('Personas')).toBe(people);
    expect(nav.length).toBeGreaterThanOrEqual(anonymousNav.length);
    await p.context().close();
  });

  test('a member who opens the people page gets the translated 403 page', async () => {
    const p = await page();
    await signIn(p, demo.member);
    const response = await p.goto('/admin/people');
    expect(response?.status()).toBe(403);
    await poll(() => p.locator('h1').textContent()).toBe('Acceso no permitido');
    await p.context().close();
  });

  test('an anonymous visitor to a protected page signs in and comes back to it', async () => {
    const p = await page();
    await p.goto('/admin/people');
    expect(new URL(p.url()).pathname).toBe('/signin');
    await p.locator('#email').fill(demo.facilitator);
    await p.locator('#password').fill('consulta-demo-2026');
    await Promise.all([p.waitForURL('**/admin/people'), p.locator('main button[type=submit]').click()]);
    await poll(() => p.locator('h1').textContent()).toBe('Personas y organizaciones');
    await p.context().close();
  });

  test('on a slow link, what a person types before the page’s scripts arrive is kept, and signing in works', async () => {
    const p = await page();
    // Hold the scripts back until the form is filled in, as a slow connection would.
    let release!: () => void;
    const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
    await p.route('**/_app/immutable/**/*.js', async (route) => {
      await scriptsHeld;
      await route.continue();
    });
    await p.goto('/signin', { waitUntil: 'domcontentloaded' });
    await p.locator('#email').fill(demo.member);
    await p.locator('#password').fill('consulta-demo-2026');
    release();
    await p.waitForFunction(() => 'hydrated' in document.documentElement.dataset, undefined, { timeout: 15_000 });
    expect(await p.locator('#email').inputValue()).toBe(demo.member);
    await Promise.all([p.waitForURL((url) => url.pathname !== '/signin'), p.locator('main button[type=submit]').click()]);
    await p.context().close();
  });

  test('a wrong password shows the translated error and keeps the e-mail', async () => {
    const p = await page();
    await p.goto('/signin');
    await p.locator('#email').fill(demo.member);
    await p.locator('#password').fill('not-the-password');
    await p.locator('main button[type=submit]').click();
    await poll(() => p.getByRole('alert').textContent()).toContain('Correo o contraseña incorrectos.');
    expect(await p.locator('#email').inputValue()).toBe(demo.member);

    await p.getByRole('button', { name: 'English' }).click();
    await poll(() => p.locator('h1').textContent()).toBe('Sign in');
    await p.locator('#email').fill(demo.member);
    await p.locator('#password').fill('not-the-password');
    await p.locator('main button[type=submit]').click();
    await poll(() => p.getByRole('alert').textContent()).toContain('Wrong e-mail or password.');
    await p.context().close();
  });

  test('the language switch goes es → en → pt → fr → es, is remembered on the account, and works without JavaScript', async () => {
    const headings = { es: 'Consulta pública de normas', en: 'Public consultation on standards', pt: 'Consulta pública de normas', fr: 'Consultation publique sur les normes' };
    const signInLabel = { en: 'Sign out', pt: 'Sair', fr: 'Se déconnecter', es: 'Cerrar sesión' };
    for (const javaScript of [true, false]) {
      const p = await page({ javaScript });
      await signIn(p, demo.stakeholder);
      for (const [code, name] of [['en', 'English'], ['pt', 'Português'], ['fr', 'Français'], ['es', 'Español']] as const) {
        await Promise.all([p.waitForURL('**/'), p.getByRole('button', { name }).click()]);
        await poll(() => p.locator('html').getAttribute('lang')).toBe(code);
        await poll(() => p.locator('h1').textContent()).toBe(headings[code]);
        expect(await p.locator('header form[action="/signout"] button').textContent()).toBe(signInLabel[code]);
        if (code === 'pt') {
          const account = await platform.api.as(demo.stakeholder);
          expect((await account.data('{ me { language } }')).me.language).toBe('PT');
        }
      }
      await p.context().close();
    }
  });

  test('an anonymous visitor gets the browser’s language until they choose one', async () => {
    const p = await page({ locale: 'fr-FR' });
    await p.goto('/');
    expect(await p.locator('html').getAttribute('lang')).toBe('fr');
    await p.getByRole('button', { name: 'Português' }).click();
    await poll(() => p.locator('html').getAttribute('lang')).toBe('pt');
    await p.goto('/signin');
    expect(await p.locator('h1').textContent()).toBe('Entrar');
    await p.context().close();
  });

  test('signing out ends the session, with and without JavaScript', async () => {
    for (const javaScript of [true, false]) {
      const p = await page({ javaScript });
      await signIn(p, demo.facilitator);
      await Promise.all([p.waitForURL('**/'), p.getByRole('button', { name: 'Cerrar sesión' }).click()]);
      await poll(() => p.getByTestId('viewer').count()).toBe(0);
      expect(await p.getByRole('link', { name: 'Iniciar sesión' }).count()).toBeGreaterThan(0);
      const cookies = await p.context().cookies();
      expect(cookies.find((c) => c.name === 'consulta_session')).toBeUndefined();
      await p.goto('/admin/people');
      expect(new URL(p.url()).pathname).toBe('/signin');
      await p.context().close();
    }
  });

  for (const javaScript of [true, false]) {
    test(`a facilitator invites a person who sets a password and is signed in (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const email = `invitada-${javaScript ? 'js' : 'nojs'}@example.org`;
      const facilitator = await page({ javaScript });
      await signIn(facilitator, demo.facilitator, undefined, '/admin/people');
      await facilitator.locator('#invite-name').fill('Rosa Quispe');
      await facilitator.locator('#invite-email').fill(email);
      await facilitator.locator('#invite-organization').selectOption({ index: 1 });
      await facilitator.getByRole('button', { name: 'Enviar invitación' }).click();
      const link = await facilitator.getByTestId('invitation-link').getAttribute('href', { timeout: 15_000 });
      expect(link).toMatch(new RegExp(`^${platform.webUrl}/invitation/`));
      await poll(() => facilitator.getByRole('region', { name: 'Invitar a una persona' }).textContent()).toContain(email);
      await facilitator.context().close();

      const invitee = await page({ javaScript });
      await invitee.goto(link!);
      await poll(() => invitee.locator('main').textContent()).toContain(email);
      await invitee.locator('#password').fill('password123');
      await invitee.getByRole('button', { name: 'Crear mi cuenta' }).click();
      await poll(() => invitee.locator('#password-error').textContent()).toContain('demasiado común');
      expect(await invitee.locator('#password').getAttribute('aria-invalid')).toBe('true');
      await invitee.locator('#name').fill('Rosa Quispe Mamani');
      await invitee.locator('#password').fill('quinua-y-cafe-2026');
      await Promise.all([invitee.waitForURL((url) => url.pathname === '/'), invitee.getByRole('button', { name: 'Crear mi cuenta' }).click()]);
      await poll(() => invitee.getByTestId('viewer').textContent()).toContain('Rosa Quispe Mamani');
      expect(await invitee.getByTestId('viewer').textContent()).toContain('Parte interesada');
      await invitee.context().close();

      const again = await page({ javaScript });
      await again.goto(link!);
      await poll(() => again.getByRole('alert').textContent()).toContain('Esta invitación ya se usó.');
      await again.context().close();
    });
  }

  test('a facilitator creates an organization; a bad country code is flagged next to its field', async () => {
    const p = await page();
    await signIn(p, demo.facilitator, undefined, '/admin/people');
    await p.locator('#org-name').fill('Cooperativa Andina de Ahorro');
    await p.locator('#org-kind').selectOption('MFI');
    await p.locator('#org-country').fill('P1');
    await p.getByRole('button', { name: 'Crear organización' }).click();
    await poll(() => p.locator('#org-country-error').textContent()).toContain('dos letras');
    expect(await p.locator('#org-country').getAttribute('aria-invalid')).toBe('true');
    await p.locator('#org-country').fill('BO');
    await p.getByRole('button', { name: 'Crear organización' }).click();
    await poll(() => p.getByRole('status').textContent()).toContain('Cooperativa Andina de Ahorro');
    await poll(() => p.getByRole('heading', { name: 'Cooperativa Andina de Ahorro' }).count()).toBe(1);
    await p.context().close();
  });

  test('an admin changes a person’s roles', async () => {
    const p = await page();
    await signIn(p, demo.admin, undefined, '/admin/people');
    const card = p.locator('li.card', { has: p.getByRole('heading', { name: /./ }) }).filter({ hasText: demo.stakeholder });
    await card.getByText('Cambiar roles').click();
    await card.getByRole('checkbox', { name: 'Miembro del grupo de trabajo' }).check();
    await card.getByRole('button', { name: 'Guardar roles' }).click();
    await poll(() => card.locator('.tags').textContent()).toContain('Miembro del grupo de trabajo');
    const account = await platform.api.as(demo.stakeholder);
    expect((await account.data('{ me { roles } }')).me.roles).toContain('MEMBER');
    await p.context().close();
  });

  for (const width of [360, 1280]) {
    test(`axe-core finds no violation on home, sign-in, an invitation and the people page at ${width} px, and nothing scrolls sideways`, async () => {
      const facilitator = await platform.api.as(demo.facilitator);
      const { inviteUser } = await facilitator.data(
        'mutation($input: InviteInput!) { inviteUser(input: $input) { link } }',
        { input: { email: `axe-${width}@example.org`, name: 'Axe Tester' } },
      );
      const anonymous = await page({ width });
      for (const path of ['/', '/signin', new URL(inviteUser.link).pathname]) {
        await anonymous.goto(path);
        expect(await axeViolations(anonymous), `${path} signed out`).toEqual([]);
        expect(await scrollsSideways(anonymous), `${path} scrolls sideways`).toBe(false);
      }
      await anonymous.context().close();

      const admin = await page({ width });
      await signIn(admin, demo.admin);
      for (const path of ['/', '/admin/people']) {
        await admin.goto(path);
        expect(await axeViolations(admin), `${path} as admin`).toEqual([]);
        expect(await scrollsSideways(admin), `${path} scrolls sideways`).toBe(false);
      }
      await admin.context().close();
    }, 180_000);
  }
});
