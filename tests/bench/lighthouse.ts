/**
 * Lighthouse, mobile, with its default simulated slow 4G and CPU slowdown, on the four pages a stakeholder on a
 * phone needs most: sign-in, a framework, an indicator in the open round, and the open ballot. It starts the
 * platform as the browser tests do (the BUILT web app: `npm run build -w web` first; E2E_WEB_DIR for a private
 * copy), prints the accessibility and performance scores with the key metrics and bytes, and adds them to
 * bench/RESULTS.md (newest first). It asserts no timing: the scores move with the machine's load; the table keeps
 * them visible. The full reports go to bench/out/lighthouse/<page>.json, to read the opportunities and diagnostics.
 *
 *   cd tests && node --import tsx bench/lighthouse.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD, demo } from '../support/api.js';
import { CHROMIUM_PATH } from '../support/browser.js';
import { startPlatform } from '../support/platform.js';
import { ROOT } from './processes.js';
import { recordResults } from './results.js';

const platform = await startPlatform();
const chrome = await launch({
  chromePath: CHROMIUM_PATH,
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const { rounds, ballots } = await (await platform.api.as(demo.facilitator)).data(
    '{ rounds { id framework { slug } indicators { indicator { id } } } ballots { id status } }',
  );
  const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
  const ballot = ballots.find((b: any) => b.status === 'OPEN');
  const cookie = await sessionCookie(demo.member);
  // Chromium drops a Cookie given only as an extra header when it has its own cookie jar: put it in the jar too,
  // and keep Lighthouse from clearing the origin's storage (cookies included) before each page.
  const jar = (await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`)).contexts()[0];
  const value = cookie.split(/=(.*)/s)[1];
  const pages: { name: string; path: string; signedIn: boolean }[] = [
    { name: 'sign-in', path: '/signin', signedIn: false },
    { name: 'framework', path: '/frameworks/spwg-lac-certification', signedIn: true },
    { name: 'indicator in the round', path: `/rounds/${spwg.id}/indicators/${spwg.indicators[0].indicator.id}`, signedIn: true },
    { name: 'ballot', path: `/ballots/${ballot.id}`, signedIn: true },
  ];
  const rows: string[] = [];
  for (const { name, path, signedIn } of pages) {
    // The pages are in order: signed out first, then signed in.
    if (signedIn) await jar.addCookies([{ name: 'consulta_session', value, url: platform.webUrl }]);
    const result = await lighthouse(
      `${platform.webUrl}${path}`,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility', 'performance'], disableStorageReset: true, extraHeaders: signedIn ? { Cookie: cookie } : undefined },
      // Lighthouse's default config is mobile with simulated throttling; say so rather than rely on it.
      { extends: 'lighthouse:default', settings: { formFactor: 'mobile', throttlingMethod: 'simulate' } },
    );
    if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
    const { categories, audits, runtimeError } = result.lhr;
    if (runtimeError) throw new Error(`${path}: ${runtimeError.code} ${runtimeError.message}`);
    // A lost session would silently measure the sign-in page instead.
    const landed = new URL(result.lhr.finalDisplayedUrl).pathname;
    if (landed !== path.split('?')[0]) throw new Error(`${path} ended at ${landed}`);
    const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
    const failing = Object.values(audits)
      .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable')
      .map((a) => a.id);
    const metric = (id: string) => audits[id]?.displayValue ?? '–';
    // Bytes over the wire: everything the page loaded, and the HTML document alone.
    const requests = (audits['network-requests']?.details as { items?: { url: string; transferSize?: number; resourceType?: string }[] })?.items ?? [];
    const documentBytes = requests.find((r) => r.resourceType === 'Document')?.transferSize ?? 0;
    const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
    const transfer = `${kb(audits['total-byte-weight']?.numericValue ?? 0)} (HTML ${kb(documentBytes)})`;
    mkdirSync(`${ROOT}bench/out/lighthouse`, { recursive: true });
    writeFileSync(`${ROOT}bench/out/lighthouse/${name.replace(/\W+/g, '-')}.json`, JSON.stringify(result.lhr, null, 1));
    console.log(`${name.padEnd(24)} accessibility ${score('accessibility')}  performance ${score('performance')}  FCP ${metric('first-contentful-paint')}  LCP ${metric('largest-contentful-paint')}  TBT ${metric('total-blocking-time')}  CLS ${metric('cumulative-layout-shift')}  transfer ${transfer}${failing.length ? `  below 90: ${failing.join(', ')}` : ''}`);
    rows.push(`| ${name} | \`${path.replace(/[0-9a-f-]{36}/g, ':id')}\` | ${score('accessibility')} | ${score('performance')} | ${metric('first-contentful-paint')} | ${metric('largest-contentful-paint')} | ${metric('total-blocking-time')} | ${metric('cumulative-layout-shift')} | ${transfer} | ${failing.join(', ') || '–'} |`);
  }
  const section = [
    `## Lighthouse — ${new Date().toISOString()}`,
    '',
    `Lighthouse 12.2.3, mobile (Moto G Power emulation, simulated slow 4G, 4× CPU slowdown), Debian Chromium, built web app. Machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (performance moves with it).`,
    '',
    '| page | path | accessibility | performance | FCP | LCP | TBT | CLS | transfer | audits below 0.9 |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  console.log(`\n${section}`);
  recordResults(section);
} finally {
  await chrome.kill();
  await platform.stop();
}

/** A signed-in session cookie for `email`, from the web app's own sign-in form. */
async function sessionCookie(email: string): Promise<string> {
  const res = await fetch(`${platform.webUrl}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.webUrl },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('consulta_session='));
  if (!set) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return set.split(';')[0];
}
