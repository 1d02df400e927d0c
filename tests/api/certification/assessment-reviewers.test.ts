import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scheme } from '../../../api/src/certification/scheme.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { INSTITUTION, REVIEWER, asReviewer, assessment, certificationScheme } from './fixtures.js';

const REVIEWERS = `query($id: ID!) { certificationAssessment(id: $id) { reviewers { name organization { name } } } }`;
const LIST = `{ certificationAssessments { id reviewers { email } } }`;

let api: TestApi;
let scheme: Scheme;
beforeAll(async () => {
  api = await startTestApi();
  scheme = await certificationScheme(api);
});
afterAll(() => api?.stop());

describe('an assessment’s reviewers', () => {
  it('are none until assigned, then named to the institution and to the facilitator', async () => {
    const a = await assessment(api, scheme);
    const institution = await api.as(INSTITUTION);
    expect((await institution.data(REVIEWERS, { id: a.id })).certificationAssessment.reviewers).toEqual([]);
    await asReviewer(api, a.id, REVIEWER);
    expect((await institution.data(REVIEWERS, { id: a.id })).certificationAssessment.reviewers).toEqual([{ name: 'Peter Lindqvist', organization: { name: 'Calificadora Social Andina' } }]);
    const facilitator = await api.as(demo.facilitator);
    const listed = (await facilitator.data(LIST)).certificationAssessments.find((x: { id: string }) => x.id === a.id);
    expect(listed.reviewers).toEqual([{ email: REVIEWER }]);
  });

  it('are not read by an outsider: the assessment itself is not found', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    const outsider = await api.as(demo.member2);
    expect(await outsider.error(REVIEWERS, { id: a.id })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
