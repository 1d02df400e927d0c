import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './api.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** False when there is no Chromium: the browser suites skip, unless REQUIRE_BROWSER=1 makes that a failure. */
export const hasBrowser = existsSync(CHROMIUM_PATH);
if (!hasBrowser) {
  const line = `No Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH) to run the browser tests.`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${line}`);
  console.log(`Skipping the browser tests. ${line}`);
}

/** Debian's Chromium, headless, with the networking extras off (they only fill the log with refused connections). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ContextOptions {
  /** false gives a browser with JavaScript disabled, to prove pages work as plain HTML forms. */
  javaScript?: boolean;
  /** Viewport width in CSS pixels; 360 is a small phone. */
  width?: number;
  /** The browser's language (Accept-Language); Spanish by default, like the demo. */
  locale?: string;
  /** A proxy every request goes through: a link the test can cut (support/link.ts). */
  proxy?: { server: string };
}

/** A fresh browser context (its own cookies) on the platform's origin. */
export async function newContext(browser: Browser, baseURL: string, options: ContextOptions = {}): Promise<BrowserContext> {
  const width = options.width ?? 1280;
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width, height: width < 600 ? 740 : 900 },
    locale: options.locale ?? 'es-ES',
    timezoneId: 'America/Lima',
    hasTouch: width < 600,
    proxy: options.proxy,
  });
  // Generous: a CI machine running the API, the web server, PostgreSQL and Chromium on two cores is slow.
  context.setDefaultTimeout(20_000);
  return context;
}

/** Signs in through the sign-in page, as a person would, and waits for the page that follows. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, next?: string) {
  await page.goto(next ? `/signin?next=${encodeURIComponent(next)}` : '/signin');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/signin'), page.locator('main button[type=submit]').click()]);
}

/**
 * Starts a session as `email` with the mutation the sign-in form sends, through the web's /graphql (so the
 * context keeps the session and device cookies the API sets), then opens `path`. For tests where signing in
 * is only the way in: it spares the sign-in page and its redirect, two page loads. The form itself is
 * tested through `signIn` (shell, sign-in-device, offline).
 */
export async function startSession(page: Page, email: string, path = '/', password = DEMO_PASSWORD) {
  const res = await page.request.post('/graphql', {
    headers: { 'apollo-require-preflight': '1' },
    data: { query: 'mutation($input: SignInInput!) { signIn(input: $input) { id } }', variables: { input: { email, password } } },
  });
  const body = (await res.json()) as { errors?: { message: string }[] };
  if (!res.ok() || body.errors) throw new Error(`signing in as ${email} failed: ${res.status()} ${JSON.stringify(body.errors)}`);
  await page.goto(path);
}

/**
 * axe-core's violations on the page as it is now (WCAG 2.1 A/AA and best practices), one readable line each;
 * with `within` (CSS selectors), in those parts only: a long page takes axe tens of seconds on a loaded machine.
 */
export async function axeViolations(page: Page, within?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  for (const selector of within ?? []) builder.include(selector);
  const results = await builder.analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`,
  );
}

/** True when the page scrolls sideways (nothing should at 360 px). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
