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
    const p = await (await newContext(browser, platform.webUrl, {})).newPage();
    p.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    await signIn(p, 'momotombo@consulta.demo');
    await p.goto(`/rounds/${spwg.id}/indicators/${spwg.indicators[10].indicator.id}`, { waitUntil: 'networkidle' });
    await p.getByRole('button', { name: 'Seleccionar con el teclado' }).first().click();
    const box = p.locator('textarea[aria-readonly=true]');
    await box.click();
    console.log('FOCUS', await p.evaluate(() => document.activeElement?.id));
    await p.keyboard.press('End');
    await p.keyboard.down('Shift');
    for (let i = 0; i < 5; i++) await p.keyboard.press('ArrowLeft');
    await p.keyboard.up('Shift');
    console.log('SEL', await box.evaluate((b: any) => [b.selectionStart, b.selectionEnd, b.value.length]));
    await p.waitForTimeout(500);
    console.log('EXACT', JSON.stringify(await p.locator('#comment-exact').inputValue()));
  } finally {
    await browser.close();
    await platform.stop();
  }
}, 180_000);
