import { demo } from '/work/main/tests/support/api.js';
import { axeViolations, launchBrowser, newContext, scrollsSideways, signIn } from '/work/main/tests/support/browser.js';
import { startPlatform } from '/work/main/tests/support/platform.js';

const platform = await startPlatform();
const browser = await launchBrowser();
try {
  for (const width of [360, 1280]) {
    const ctx = await newContext(browser, platform.webUrl, { width });
    const p = await ctx.newPage();
    p.on('pageerror', (e) => console.log('pageerror:', e.message));
    await p.goto('/');
    console.log(width, 'home', await axeViolations(p), await scrollsSideways(p));
    await p.screenshot({ path: `/tmp/shots/home-${width}.png`, fullPage: true });
    await p.goto('/signin');
    console.log(width, 'signin', await axeViolations(p), await scrollsSideways(p));
    await p.screenshot({ path: `/tmp/shots/signin-${width}.png`, fullPage: true });
    let t = Date.now();
    await signIn(p, demo.admin, undefined, '/admin/people');
    console.log('signIn ms', Date.now() - t);
    t = Date.now();
    console.log(width, 'people', await axeViolations(p), await scrollsSideways(p), 'axe ms', Date.now() - t);
    await p.screenshot({ path: `/tmp/shots/people-${width}.png`, fullPage: true });
    if (width === 1280) {
      const card = p.locator('li.card').filter({ hasText: demo.stakeholder });
      console.log('cards', await card.count());
      await card.getByText('Cambiar roles').click();
      await card.getByRole('checkbox', { name: 'Miembro del grupo de trabajo' }).check();
      await card.getByRole('button', { name: 'Guardar roles' }).click();
      await p.waitForTimeout(3000);
      console.log('tags', await card.locator('.tags').textContent());
      await card.screenshot({ path: '/tmp/shots/card.png' });
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  console.log(platform.webLog().split('\n').filter((l) => !/^\s+at /.test(l)).slice(-10).join('\n'));
  await platform.stop();
}
