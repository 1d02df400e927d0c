import type { MikroORM } from '@mikro-orm/postgresql';
import { Framework, FrameworkKind } from '../../../api/src/frameworks/framework.entity.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { IndicatorField } from '../../../api/src/indicators/indicator-field.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator, IndicatorStatus } from '../../../api/src/indicators/indicator.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import type { GraphQLClient } from '../../support/client.js';

export interface FrameworkFixture {
  id: string;
  slug: string;
  /** Areas, each with one sub-section (a standard) holding its indicators. */
  areas: { id: string; subsectionId: string; indicators: { id: string; code: string; versionId: string }[] }[];
  versionIds: string[];
}

export const STATEMENT_ES = 'La institución reporta la proporción de nuevas prestatarias mujeres sobre el total de nuevos prestatarios del periodo.';

/** A framework written straight to the database: `areas` areas × `perArea` indicators, each with a published version 1. */
export async function createFramework(orm: MikroORM, opts: { slug: string; kind?: FrameworkKind; areas: number; perArea: number }): Promise<FrameworkFixture> {
  const em = orm.em.fork();
  const author = await em.findOneOrFail(User, { email: 'facilitadora@consulta.demo' });
  const framework = em.create(Framework, { slug: opts.slug, name: { es: `Marco ${opts.slug}`, en: `Framework ${opts.slug}` }, kind: opts.kind ?? FrameworkKind.CERTIFICATION });
  const fixture: FrameworkFixture = { id: framework.id, slug: opts.slug, areas: [], versionIds: [] };
  for (let a = 0; a < opts.areas; a++) {
    const area = em.create(Section, { framework, code: `A${a}`, title: { es: `Área ${a}` }, position: a });
    const sub = em.create(Section, { framework, parent: area, code: `A${a}.1`, title: { es: `Norma ${a}.1` }, position: 0 });
    const indicators: FrameworkFixture['areas'][number]['indicators'] = [];
    for (let i = 0; i < opts.perArea; i++) {
      const code = `A${a}-${String(i + 1).padStart(2, '0')}`;
      const indicator = em.create(Indicator, { framework, section: sub, code, position: i, status: IndicatorStatus.ACTIVE });
      const version = em.create(IndicatorVersion, {
        indicator,
        number: 1,
        status: IndicatorVersionStatus.PUBLISHED,
        author,
        texts: {
          [IndicatorField.TITLE]: { es: `Indicador ${code}`, en: `Indicator ${code}` },
          [IndicatorField.STATEMENT]: { es: STATEMENT_ES, en: 'The institution reports the share of new women borrowers among all new borrowers in the period.' },
          [IndicatorField.MEASUREMENT]: { es: 'Nuevas prestatarias / nuevos prestatarios × 100, en porcentaje.' },
        },
      });
      indicator.currentVersion = em.getReference(IndicatorVersion, version.id, { wrapped: true });
      indicators.push({ id: indicator.id, code, versionId: version.id });
      fixture.versionIds.push(version.id);
    }
    fixture.areas.push({ id: area.id, subsectionId: sub.id, indicators });
  }
  await em.flush();
  return fixture;
}

export const CREATE_ROUND = `mutation($input: CreateRoundInput!) { createRound(input: $input) { id status opensAt closesAt ratingsEnabled commentCount undisposedCount
  title { value language } instructions { value } audience { all organizationIds countries }
  indicators { id position commentCount undisposedCount indicator { id code } indicatorVersion { id number } } } }`;

export const ADD_COMMENT = `mutation($input: AddCommentInput!) { addComment(input: $input) { ${'id'} targetKind type body bodyHtml proposedChange withdrawnAt
  anchor { field language exact prefix suffix start end } author { userId name organizationName organizationKind country } } }`;

export const hours = (n: number) => new Date(Date.now() + n * 3600_000).toISOString();

/** A round on every indicator of the fixture, open from an hour ago for `openHours` more. */
export async function openRound(facilitator: GraphQLClient, fw: FrameworkFixture, extra: Record<string, unknown> = {}) {
  const { createRound } = await facilitator.data(CREATE_ROUND, {
    input: { frameworkId: fw.id, title: { es: 'Ronda de prueba', en: 'Test round' }, instructions: { es: 'Comente con precisión.' }, opensAt: hours(-1), closesAt: hours(24), ...extra },
  });
  return createRound;
}
