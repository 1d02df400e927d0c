import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assessment, AssessmentArea, Judgment } from '../../../api/src/certification/assessment.entity.js';
import { MIN_INSTITUTIONS } from '../../../api/src/certification/benchmarks.js';
import { decideArea } from '../../../api/src/certification/review.service.js';
import type { Scheme } from '../../../api/src/certification/scheme.entity.js';
import { Organization, OrganizationKind } from '../../../api/src/organizations/organization.entity.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { INSTITUTION, assessment, certificationScheme, viewerOf } from './fixtures.js';

const BENCHMARKS = `query($schemeId: ID!) { certificationBenchmarks(schemeId: $schemeId) { area country suppressed institutions assessments shareMet mostFailed { code shareNotMet } medianDaysToDecision decided awarded } }`;

let api: TestApi;
let scheme: Scheme;
let institution: GraphQLClient;
let committee: GraphQLClient;

/** A new microfinance institution in `country` with one person; returns the person's e-mail. */
async function institutionIn(country: string, n: number): Promise<string> {
  const em = api.db.orm.em.fork();
  const organization = em.create(Organization, { name: `Microfinanciera ${country} ${n}`, kind: OrganizationKind.MFI, country });
  const email = `mfi.${country.toLowerCase()}.${n}@example.org`;
  em.create(User, { name: `Persona ${country} ${n}`, email, organization, roles: [Role.STAKEHOLDER] });
  await em.flush();
  return email;
}

/** Opened ten days ago, decided now by the committee as the scheme says. */
async function decided(a: Assessment) {
  const em = api.db.orm.em.fork();
  await em.nativeUpdate(Assessment, { id: a.id }, { openedAt: new Date(Date.now() - 10 * 86_400_000) });
  await em.transactional(async (tx) => {
    const area = await tx.findOneOrFail(AssessmentArea, { assessment: a.id });
    await decideArea(tx, await viewerOf(tx, demo.admin), { assessmentAreaId: area.id, award: area.selfAwarded! });
  });
}

beforeAll(async () => {
  api = await startTestApi();
  scheme = await certificationScheme(api);
  // Nicaragua: five institutions, A0-02 not met in all; Guatemala: six, all met, each decided; Peru: Crecer Juntas and one more.
  for (let n = 0; n < 5; n++) await assessment(api, scheme, { email: await institutionIn('NI', n), judgments: { 'A0-02': Judgment.NOT_MET, 'A0-04': Judgment.PARTIALLY_MET } });
  for (let n = 0; n < 6; n++) await decided(await assessment(api, scheme, { email: await institutionIn('GT', n) }));
  await assessment(api, scheme, { email: INSTITUTION, judgments: { 'A0-03': 30 } });
  await assessment(api, scheme, { email: await institutionIn('PE', 0), judgments: { 'A0-03': 20 } });
  // Still in progress: never counted.
  await assessment(api, scheme, { email: await institutionIn('HN', 0), stage: 'answered' });
  await api.db.orm.em.fork().nativeUpdate(User, { email: 'parceira@consulta.demo' }, { roles: ['STAKEHOLDER', 'CERTIFICATION_COMMITTEE'] as never });
  [institution, committee] = await Promise.all([INSTITUTION, 'parceira@consulta.demo'].map((e) => api.as(e)));
});
afterAll(() => api?.stop());

describe('certification benchmarks', () => {
  it('show the committee every cell: share met, the most failed indicators, days to decision', async () => {
    const cells = (await committee.data(BENCHMARKS, { schemeId: scheme.id })).certificationBenchmarks;
    expect(cells.map((c: { country: string | null; institutions: number }) => [c.country, c.institutions])).toEqual([[null, 13], ['GT', 6], ['NI', 5], ['PE', 2]]);
    const [all, gt, ni, pe] = cells;
    expect(gt).toMatchObject({ suppressed: false, assessments: 6, shareMet: 1, mostFailed: [], decided: 6, awarded: 6 });
    expect(gt.medianDaysToDecision).toBeCloseTo(10, 1);
    // Per Nicaraguan assessment: 4 judged, 1 met + 1 met (quantitative 50) + 0.5 = 2.5 of 4.
    expect(ni).toMatchObject({ shareMet: 2.5 / 4, mostFailed: [{ code: 'A0-02', shareNotMet: 1 }, { code: 'A0-04', shareNotMet: 0.5 }], decided: 0, medianDaysToDecision: null });
    expect(pe).toMatchObject({ suppressed: false, shareMet: 3 / 4, mostFailed: [{ code: 'A0-03', shareNotMet: 1 }] });
    expect(all.mostFailed.map((f: { code: string }) => f.code)).toEqual(['A0-02', 'A0-04', 'A0-03']);
    expect(all.assessments).toBe(13);
  });

  it(`show a participating institution no cell of fewer than ${MIN_INSTITUTIONS} institutions, nor one that would give it away by subtraction`, async () => {
    const cells = (await institution.data(BENCHMARKS, { schemeId: scheme.id })).certificationBenchmarks;
    const byCountry = Object.fromEntries(cells.map((c: { country: string | null }) => [c.country ?? 'all', c]));
    expect(byCountry.all).toMatchObject({ suppressed: false, institutions: 13 });
    expect(byCountry.GT).toMatchObject({ suppressed: false, institutions: 6, shareMet: 1 });
    expect(byCountry.PE).toEqual({ area: 'A0', country: 'PE', suppressed: true, institutions: null, assessments: null, shareMet: null, mostFailed: null, medianDaysToDecision: null, decided: null, awarded: null });
    // Five institutions would be shown, but beside the total it would reveal Peru's two: hidden too.
    expect(byCountry.NI).toMatchObject({ suppressed: true, institutions: null, shareMet: null });
  });

  it('refuse anyone not on the committee, not a facilitator and not taking part', async () => {
    const outsider = await api.as(demo.member2);
    expect(await outsider.error(BENCHMARKS, { schemeId: scheme.id })).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'NOT_PARTICIPATING' } });
    const facilitator = await api.as(demo.facilitator);
    expect((await facilitator.data(BENCHMARKS, { schemeId: scheme.id })).certificationBenchmarks).toHaveLength(4);
    expect(await committee.error(BENCHMARKS, { schemeId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});
