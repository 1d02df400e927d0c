import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AssessmentArea } from '../../api/src/certification/assessment.entity.js';
import { demo } from '../support/api.js';
import { axeViolations, hasBrowser, launchBrowser, newContext, scrollsSideways, startSession } from '../support/browser.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { REVIEWER, asReviewer, assessment, certificationScheme } from '../api/certification/fixtures.js';

/**
 * A seal decided by a ballot of the committee, in the browser on a phone: the facilitator opens the
 * ballot from the committee page, the committee votes on the ballot's page, the facilitator closes
 * it, and the committee page shows the seal awarded by the ballot.
 */
describe.skipIf(!hasBrowser)('a committee ballot', () => {
  let platform: Platform;
  let browser: Browser;
  let assessmentId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    const scheme = await certificationScheme(platform.api, ['A0']);
    assessmentId = (await assessment(platform.api, scheme)).id;
    await asReviewer(platform.api, assessmentId, REVIEWER);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function pageAs(email: string): Promise<Page> {
    const p = await (await newContext(browser, platform.webUrl, { width: 360 })).newPage();
    await startSession(p, email);
    return p;
  }
  const fits = async (p: Page) => {
    expect(await axeViolations(p)).toEqual([]);
    expect(await scrollsSideways(p)).toBe(false);
  };

  test('is opened, voted, closed and shown, every page passing axe at 360 px', async () => {
    const areaId = (await platform.api.db.orm.em.fork().findOneOrFail(AssessmentArea, { assessment: assessmentId })).id;
    const committeePage = `/certification/assessments/${assessmentId}/committee`;

    const facilitator = await pageAs(demo.facilitator);
    await facilitator.goto(committeePage);
    const panel = facilitator.getByTestId('committee-ballot-A0');
    await panel.waitFor();
    await fits(facilitator);
    await panel.locator('input[name="quorumPercent"]').fill('50');
    await panel.locator('form[action="?/openBallot"] button[type="submit"]').click();
    await panel.locator('form[action="?/closeBallot"] button[type="submit"]').waitFor();
    const ballotPath = await panel.locator('a[href^="/ballots/"]').getAttribute('href');

    const admin = await pageAs(demo.admin);
    await admin.goto(ballotPath!);
    const question = admin.getByTestId('question');
    await question.getByRole('heading', { name: /A0/ }).waitFor();
    expect(await question.getByRole('link').first().getAttribute('href')).toBe(committeePage);
    await fits(admin);
    await question.locator('input[name="choice"][value="APPROVE"]').check();
    await question.locator('form[action="?/vote"] button[type="submit"]').click();
    await expect.poll(async () => (await platform.api.db.orm.em.fork().getConnection().execute('select count(*)::int as n from ballot_vote v join ballot_question q on q.id = v.question_id where q.assessment_area_id = ?', [areaId]))[0].n, { timeout: 20_000 }).toBe(1);

    await facilitator.goto(committeePage);
    await panel.locator('form[action="?/closeBallot"] button[type="submit"]').click();
    await facilitator.getByTestId('committee-ballot-outcome').waitFor();
    await facilitator.getByTestId('decide-A0').getByTestId('seal').waitFor();
    await fits(facilitator);
    expect((await platform.api.db.orm.em.fork().findOneOrFail(AssessmentArea, { id: areaId })).decision).toBe('AWARD');
  }, 240_000);
});
