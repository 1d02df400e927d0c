/** The release operations' rows of the authorization matrix (authorization/authorization-matrix.ts). The file downloads are covered in releases.test.ts. */
import { Framework, FrameworkKind } from '../../../api/src/frameworks/framework.entity.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { IndicatorField } from '../../../api/src/indicators/indicator-field.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator, IndicatorStatus } from '../../../api/src/indicators/indicator.entity.js';
import { Release } from '../../../api/src/releases/release.entity.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';

const SLUG = 'spwg-lac-certification';

/** A fresh framework, written straight to the database, with one published indicator and no release: releasing it succeeds. */
async function unreleasedFramework(fx: Fixtures): Promise<string> {
  const em = fx.em();
  const author = await em.findOneOrFail(User, { email: 'facilitadora@consulta.demo' });
  const suffix = fx.unique();
  const framework = em.create(Framework, { slug: `release-matrix-${suffix}`, name: { es: `Marco ${suffix}` }, kind: FrameworkKind.CERTIFICATION });
  const section = em.create(Section, { framework, code: 'A', title: { es: 'Área' }, position: 0 });
  const indicator = em.create(Indicator, { framework, section, code: 'A-01', position: 0, status: IndicatorStatus.ACTIVE });
  const version = em.create(IndicatorVersion, { indicator, number: 1, status: IndicatorVersionStatus.PUBLISHED, author, texts: { [IndicatorField.TITLE]: { es: 'Indicador' } } });
  indicator.currentVersion = em.getReference(IndicatorVersion, version.id, { wrapped: true });
  await em.flush();
  return framework.id;
}

/** A working (not final) release of a fresh framework, written straight to the database. */
async function workingRelease(fx: Fixtures): Promise<string> {
  const em = fx.em();
  const frameworkId = await unreleasedFramework(fx);
  const author = await em.findOneOrFail(User, { email: 'facilitadora@consulta.demo' });
  const release = em.create(Release, { framework: em.getReference(Framework, frameworkId), number: '2026.1', sequence: 1, createdById: author.id });
  await em.flush();
  return release.id;
}

export const releaseQueries: Record<string, OperationRow> = {
  releases: {
    minimum: 'signedIn',
    document: `query($frameworkSlug: String!) { releases(frameworkSlug: $frameworkSlug) { id number } }`,
    variables: () => ({ frameworkSlug: SLUG }),
  },
  release: {
    minimum: 'signedIn',
    document: `query($frameworkSlug: String!, $number: String!) { release(frameworkSlug: $frameworkSlug, number: $number) { id } }`,
    variables: () => ({ frameworkSlug: SLUG, number: '2026.1' }),
  },
  releasePreview: {
    minimum: Role.FACILITATOR,
    document: `query($frameworkSlug: String!) { releasePreview(frameworkSlug: $frameworkSlug) { kind code } }`,
    variables: () => ({ frameworkSlug: SLUG }),
  },
};

export const releaseMutations: Record<string, OperationRow> = {
  releaseFramework: {
    minimum: Role.FACILITATOR,
    rule: 'refused with BAD_USER_INPUT when nothing changed since the previous release',
    tolerate: ['BAD_USER_INPUT'],
    document: `mutation($input: ReleaseFrameworkInput!) { releaseFramework(input: $input) { id } }`,
    variables: async (fx) => ({ input: { frameworkId: await unreleasedFramework(fx), number: '2026.1' } }),
  },
  markReleaseFinal: {
    minimum: Role.FACILITATOR,
    rule: 'once per release (CONFLICT after), never for a superseded one',
    tolerate: ['CONFLICT'],
    document: `mutation($id: ID!) { markReleaseFinal(id: $id) { id final } }`,
    variables: async (fx) => ({ id: await workingRelease(fx) }),
  },
};
