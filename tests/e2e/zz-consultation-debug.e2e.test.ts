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
    p.on('console', (m) => console.log('CONSOLE', m.type(), m.text()));
    p.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    await signIn(p, 'momotombo@consulta.demo');
    await p.goto(`/rounds/${spwg.id}/indicators/${spwg.indicators[10].indicator.id}`);
    await p.waitForTimeout(1500);
    await p.getByRole('button', { name: 'Seleccionar con el teclado' }).first().click();
    const box = p.locator('textarea[readonly]');
    await box.focus();
    await p.keyboard.press('Control+Home');
    for (let i = 0; i < 12; i++) await p.keyboard.press('Shift+ArrowRight');
    console.log('SEL', await box.evaluate((b: any) => [b.selectionStart, b.selectionEnd]));
    await p.waitForTimeout(500);
    console.log('EXACT', JSON.stringify(await p.locator('#comment-exact').inputValue()), await p.locator('#comment-field').inputValue());
    console.log('TEXT', JSON.stringify(await p.locator('[data-field=STATEMENT]').evaluate((e) => e.innerHTML.slice(0, 100))));
  } finally {
    await browser.close();
    await platform.stop();
  }
}, 120_000);
const usspm = (rounds: any[]) => rounds.find((r: any) => r.framework.slug === 'usspm').id;
