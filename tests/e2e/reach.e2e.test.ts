import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demo } from '../support/api.js';
import { hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * Reach: every page of the app, signed out and signed in, passes axe-core's WCAG 2.1 A/AA rules, fits a
 * 360 px touch phone with 44 px targets, and the main flows work from the keyboard alone.
 */
describe.skipIf(!hasBrowser)('every page, for everyone, on any device', () => {
  let platform: Platform;
  let browser: Browser;
  /** Path lists, filled from the demo data once the platform runs. */
  let pages: { who: string; email?: string; paths: string[] }[];
  let indicatorInRound: string;
  let openBallot: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const facilitator = await platform.api.as(demo.facilitator);
    const { rounds, ballots } = await facilitator.data(
      `{ rounds { id framework { slug } indicators { indicator { id code } } } ballots { id status } }`,
    );
    const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    const usspm = rounds.find((r: any) => r.framework.slug === 'usspm');
    const open = ballots.find((b: any) => b.status === 'OPEN');
    const closed = ballots.find((b: any) => b.status === 'CLOSED');
    expect(spwg && usspm && open && closed, 'the demo has both rounds and an open and a closed ballot').toBeTruthy();
    const code = spwg.indicators[0].indicator.code;
    indicatorInRound = `/rounds/${spwg.id}/indicators/${spwg.indicators[0].indicator.id}`;
    openBallot = `/ballots/${open.id}`;
    const { inviteUser } = await facilitator.data('mutation($input: InviteInput!) { inviteUser(input: $input) { link } }', {
      input: { email: 'reach@example.org', name: 'Reach Tester' },
    });
    const framework = '/frameworks/spwg-lac-certification';
    pages = [
      { who: 'signed out', paths: ['/', '/signin', new URL(inviteUser.link).pathname, '/language', '/no-such-page'] },
      {
        who: 'stakeholder',
        email: demo.stakeholder,
        paths: [
          '/', '/frameworks', framework, `${framework}/${code}`, `${framework}/${code}?from=1&to=2`, '/frameworks/search?q=mujeres',
          '/rounds', `/rounds/${spwg.id}`, indicatorInRound, `/rounds/${usspm.id}`, `/rounds/${usspm.id}/ratings`,
          `/rounds/${spwg.id}/summary`, '/ballots', `/ballots/${closed.id}`, `/ballots/${closed.id}/results`, '/admin/people',
        ],
      },
      { who: 'member', email: demo.member, paths: ['/ballots', openBallot, `/ballots/${closed.id}`, `/ballots/${closed.id}/results`] },
      {
        who: 'facilitator',
        email: demo.facilitator,
        paths: [
          '/admin/people', '/ballots', '/ballots/console', `/ballots/${open.id}`, `${framework}/${code}/draft`,
          `/rounds/${spwg.id}`, indicatorInRound, `/rounds/${spwg.id}/dispositions`, `/rounds/${spwg.id}/export`,
          `/rounds/${spwg.id}/summary`, `/rounds/${usspm.id}/ratings`,
          ...['dashboard', 'themes', 'duplicates', 'on-behalf'].map((page) => `/rounds/${spwg.id}/${page}`),
          '/rounds/new', '/rounds/new?framework=spwg-lac-certification', '/rounds/new?framework=usspm', `/rounds/${spwg.id}?confirm=extend&closesAt=2031-01-01T10:00`,
        ],
      },
    ];
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function pageAs(email: string | undefined, options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
    const context = await newContext(browser, platform.webUrl, options);
    // This suite walks every page while the machine may be busy with others: allow slow answers.
    context.setDefaultTimeout(30_000);
    const p = await context.newPage();
    if (email) await startSession(p, email);
    return p;
  }

  /** axe-core's WCAG 2.0/2.1 A and AA rules, one readable line per violation. */
  async function wcagViolations(p: Page): Promise<string[]> {
    const results = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).slice(0, 4).join(' | ')}`,
    );
  }

  /** Visible buttons, navigation links and form controls smaller than 44 × 44 px (a check or radio counts with its label). */
  function smallTargets(p: Page): Promise<string[]> {
    return p.evaluate(() => {
      const small: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('button, a.button, nav a, input:not([type=hidden]), select, textarea, summary')) {
        const choice = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
        const target = (choice && el.closest('label')) || el;
        const box = target.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue; // not rendered (a closed <details>, display: none)
        if (el.closest('.visually-hidden') || getComputedStyle(el).visibility === 'hidden') continue;
        if (box.bottom < 0) continue; // the skip link, until it gets focus
        if (box.width < 43.5 || box.height < 43.5) {
          small.push(`${target.tagName.toLowerCase()}${target.id ? `#${target.id}` : ''} "${(target.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
      }
      return small;
    });
  }

  /** Whether a media query on the viewport's width restyles something on this page (a second column, a hint moved). */
  function layoutFollowsWidth(p: Page): Promise<boolean> {
    return p.evaluate(() => {
      const present = (selector: string) => {
        try {
          return document.querySelector(selector) !== null;
        } catch {
          return true; // a selector querySelector cannot take (a pseudo-element): count it, to check too much rather than too little
        }
      };
      return [...document.styleSheets].some((sheet) =>
        [...sheet.cssRules].some(
          (rule) => rule instanceof CSSMediaRule && /width/.test(rule.conditionText) && [...rule.cssRules].some((inner) => inner instanceof CSSStyleRule && present(inner.selectorText)),
        ),
      );
    });
  }

  // axe-core takes most of this suite's time, so each page is checked once on a phone, where every page must
  // also fit, and once more at 1280 px only where the layout changes with the width. The people walk at once.
  test('on a 360 px touch phone no page scrolls sideways, targets are at least 44 px, axe-core finds no WCAG 2.1 A/AA violation, nothing comes from another host; nor at 1280 px where the layout changes', async () => {
    const problems: string[] = [];
    const wideLayouts: string[] = [];
    await Promise.all(
      pages.map(async ({ who, email, paths }) => {
        const phone = await pageAs(email, { width: 360 });
        // Fonts, icons, scripts: all served by the app itself.
        phone.on('request', (r) => {
          if (!/^(data|blob):/.test(r.url()) && new URL(r.url()).origin !== platform.webUrl) problems.push(`${phone.url()} (${who}) fetched ${r.url()}`);
        });
        const wide: string[] = [];
        for (const path of paths) {
          await phone.goto(path);
          if (await scrollsSideways(phone)) problems.push(`${path} (${who}) scrolls sideways`);
          for (const target of await smallTargets(phone)) problems.push(`${path} (${who}) small target: ${target}`);
          for (const v of await wcagViolations(phone)) problems.push(`${path} (${who}) at 360 px: ${v}`);
          if (await layoutFollowsWidth(phone)) wide.push(path);
        }
        wideLayouts.push(...wide);
        await phone.context().close();
        const desktop = await pageAs(email);
        for (const path of wide) {
          await desktop.goto(path);
          for (const v of await wcagViolations(desktop)) problems.push(`${path} (${who}) at 1280 px: ${v}`);
        }
        await desktop.context().close();
      }),
    );
    expect(problems).toEqual([]);
    expect(wideLayouts, 'the round’s indicator page has two columns on a desktop').toContain(indicatorInRound);
  }, 600_000);

  /** Presses Tab until `selector` has the focus (or gives up), and says whether that focus is visible. */
  async function tabTo(p: Page, selector: string, limit = 250) {
    for (let i = 0; i < limit; i++) {
      await p.keyboard.press('Tab');
      const there = await p.evaluate((s) => !!document.activeElement?.matches(s), selector);
      if (there) {
        return p.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          return el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        });
      }
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  test('from the keyboard alone, with a visible focus: comment on an indicator, then vote', async () => {
    const stakeholder = await pageAs(demo.stakeholder);
    await stakeholder.goto(indicatorInRound);
    expect(await tabTo(stakeholder, '#comment-field'), 'focus visible on the field choice').toBe(true);
    expect(await tabTo(stakeholder, '#comment-body'), 'focus visible on the comment').toBe(true);
    await stakeholder.keyboard.type('Escrito solo con el teclado.');
    expect(await tabTo(stakeholder, 'form[action="?/comment"] button[type=submit]'), 'focus visible on send').toBe(true);
    await stakeholder.keyboard.press('Enter');
    await expect.poll(() => stakeholder.locator('article.comment', { hasText: 'Escrito solo con el teclado.' }).count(), { timeout: 15_000 }).toBe(1);
    await stakeholder.context().close();

    const member = await pageAs(demo.member);
    await member.goto(openBallot);
    const question = member.getByTestId('question').first();
    expect(await tabTo(member, '[data-testid=question] input[name=choice]'), 'focus visible on a choice').toBe(true);
    await member.keyboard.press('Space');
    const chosen = await member.evaluate(() => (document.activeElement as HTMLInputElement).closest('label')?.textContent?.trim());
    expect(await tabTo(member, '[data-testid=question] button[type=submit]'), 'focus visible on vote').toBe(true);
    await member.keyboard.press('Enter');
    await expect.poll(() => question.getByTestId('my-vote').textContent(), { timeout: 15_000 }).toContain(chosen!);
    await member.context().close();
  }, 120_000);

  test('an indicator text not yet in the reader’s language shows the source text with a visible mark, in the round and in the framework', async () => {
    const { rounds } = await (await platform.api.as(demo.facilitator)).data(
      `{ rounds { id framework { slug } indicators { indicator { id code } indicatorVersion { fields(language: FR) { text { fallback } } } } } }`,
    );
    const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    const partly = spwg.indicators.find((i: any) => i.indicatorVersion.fields.some((f: any) => f.text?.fallback));
    expect(partly, 'the demo has an indicator not fully translated into French').toBeTruthy();
    const p = await pageAs(demo.stakeholder);
    await Promise.all([p.waitForURL('**/'), p.getByRole('button', { name: 'Français' }).click()]);
    await expect.poll(() => p.locator('html').getAttribute('lang')).toBe('fr');
    await p.goto(`/rounds/${spwg.id}/indicators/${partly.indicator.id}`);
    expect(await p.locator('main').getByText('Affiché en espagnol : pas encore traduit en français', { exact: true }).count()).toBeGreaterThan(0);
    await p.goto(`/frameworks/spwg-lac-certification/${partly.indicator.code}`);
    expect(await p.locator('main').getByText('Affiché en espagnol : pas encore traduit en français', { exact: true }).count()).toBeGreaterThan(0);
    await p.context().close();
  }, 60_000);

  test('without JavaScript, a stakeholder replies to a comment', async () => {
    const p = await pageAs(demo.stakeholderEn, { javaScript: false, width: 360 });
    await p.goto(indicatorInRound);
    const thread = p.locator('article.comment').first();
    await thread.locator('summary').filter({ hasText: /Reply/ }).first().click();
    await thread.locator('textarea[id^=reply-]').first().fill('A reply sent as a plain form.');
    await Promise.all([p.waitForNavigation(), thread.locator('form[action="?/reply"] button[type=submit]').first().click()]);
    // The innermost comment article holding the text: the reply itself, once.
    const reply = p.locator('article.comment:not(:has(article.comment))', { hasText: 'A reply sent as a plain form.' });
    await expect.poll(() => reply.count()).toBe(1);
    expect(await p.locator('article.comment').first().locator('article.comment', { hasText: 'A reply sent as a plain form.' }).count()).toBe(1);
    await p.context().close();
  }, 60_000);
});
