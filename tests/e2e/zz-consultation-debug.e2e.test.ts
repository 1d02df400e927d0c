import { test } from 'vitest';
import { demo } from '../support/api.js';
import { launchBrowser, newContext, signIn } from '../support/browser.js';
import { startPlatform } from '../support/platform.js';

test('debug', async () => {
  const platform = await startPlatform();
  const browser = await launchBrowser();
  try {
    const client = await platform.api.as(demo.facilitator);
    const { rounds } = await client.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } }`);
    const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    const ctx = await newContext(browser, platform.webUrl, {});
    const p = await ctx.newPage();
    const s = await p.goto('/signin');
    console.log('SIGNIN', s?.status(), (await p.content()).slice(0, 3000));
    console.log(platform.webLog().slice(-3000));
    const t0 = Date.now();
    await signIn(p, 'momotombo@consulta.demo');
    console.log('signin ms', Date.now() - t0);
    const r = await p.goto(`/rounds/${spwg.id}/indicators/${spwg.indicators[20].indicator.id}`);
    console.log(r?.status(), (await p.content()).slice(0, 200));
    console.log((await p.locator('main').innerText()).slice(0, 1500));
    console.log(platform.webLog().slice(-3000));
  } finally {
    await browser.close();
    await platform.stop();
  }
}, 120_000);
