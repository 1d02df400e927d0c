import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Framework, FrameworkKind } from '../../../api/src/frameworks/framework.entity.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { IndicatorField } from '../../../api/src/indicators/indicator-field.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { countSql } from '../../support/sql-counter.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const TREE = `query($slug: String!, $language: Locale) {
  framework(slug: $slug) {
    slug kind status sourceLanguage name(language: $language) { value language fallback }
    sections {
      code title(language: $language) { value fallback }
      indicators { ...leaf }
      children { code title(language: $language) { value fallback } indicators { ...leaf } }
    }
  }
}
fragment leaf on Indicator {
  id code status title(language: $language) { value language fallback }
  currentVersion { number fields(language: $language) { field text { value fallback } } }
}`;

describe('the seeded frameworks', () => {
  it.each(['ES', 'EN'] as const)('the SPWG LAC certification has 3 areas with at least 8 indicators each, in %s', async (language) => {
    const client = await api.as(demo.stakeholder);
    const { framework } = await client.data(TREE, { slug: 'spwg-lac-certification', language });
    expect(framework.kind).toBe('CERTIFICATION');
    expect(framework.sections.map((s: { code: string }) => s.code)).toEqual(['GEN', 'POV', 'RUR']);
    expect(framework.sections.map((s: { title: { value: string } }) => s.title.value)).toEqual(
      language === 'ES' ? ['Género', 'Pobreza', 'Desarrollo rural'] : ['Gender', 'Poverty', 'Rural development'],
    );
    for (const area of framework.sections) {
      expect(area.indicators.length).toBeGreaterThanOrEqual(8);
      for (const indicator of area.indicators) {
        expect(indicator.code).toMatch(new RegExp(`^${area.code}-\\d{2}$`));
        expect(indicator.title).toMatchObject({ language, fallback: false });
        // Every field is written in this language: nothing falls back.
        const fields = indicator.currentVersion.fields;
        expect(fields.map((f: { field: string }) => f.field)).toEqual(Object.values(IndicatorField));
        for (const f of fields) expect(f.text).toMatchObject({ fallback: false });
      }
    }
    expect(framework.sections[0].indicators[0].title.value).toBe(
      language === 'ES' ? 'Proporción de nuevas prestatarias mujeres' : 'Share of new borrowers who are women',
    );
  });

  it('a language without a translation falls back to Spanish and says so', async () => {
    const client = await api.as(demo.stakeholder);
    const { framework } = await client.data(TREE, { slug: 'spwg-lac-certification', language: 'PT' });
    // The demo has the framework's name, its areas and the gender indicators in Portuguese; the poverty indicators are not.
    expect(framework.name).toMatchObject({ language: 'PT', fallback: false });
    expect(framework.sections[0].indicators[0].title).toMatchObject({ language: 'PT', fallback: false });
    expect(framework.sections[1].indicators[0].title).toMatchObject({ language: 'ES', fallback: true });
  });

  it('the USSPM has six dimensions, their standards and essential practices coded like 1A.1', async () => {
    const client = await api.as(demo.stakeholderEn);
    const { framework } = await client.data(TREE, { slug: 'usspm' });
    expect(framework.kind).toBe('PRACTICES');
    expect(framework.sections.map((s: { code: string }) => s.code)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(framework.sections[0].title.value).toBe('Define and monitor social goals');
    const standard = framework.sections[0].children[0];
    expect(standard.code).toBe('1A');
    expect(standard.indicators.map((i: { code: string }) => i.code)).toEqual(['1A.1', '1A.2', '1A.3']);
    for (const dimension of framework.sections) {
      expect(dimension.children.length).toBeGreaterThanOrEqual(2);
      for (const s of dimension.children) expect(s.indicators.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('lists the frameworks with their indicator counts', async () => {
    const client = await api.as(demo.stakeholder);
    const { frameworks } = await client.data(`{ frameworks { slug indicatorCount } }`);
    expect(frameworks).toEqual([
      { slug: 'spwg-lac-certification', indicatorCount: 24 },
      { slug: 'usspm', indicatorCount: 38 },
    ]);
  });

  it('signed out, the frameworks are UNAUTHENTICATED', async () => {
    expect((await api.client().error(`{ frameworks { slug } }`)).code).toBe('UNAUTHENTICATED');
  });
});

/** A framework of 3 areas with `perArea` indicators each, straight into the database. */
async function makeFramework(slug: string, perArea: number) {
  const em = api.db.orm.em.fork();
  const author = await em.findOneOrFail(User, { email: demo.facilitator });
  const framework = em.create(Framework, { slug, kind: FrameworkKind.CERTIFICATION, name: { es: slug } });
  ['A', 'B', 'C'].forEach((code, position) => {
    const area = em.create(Section, { framework, code, title: { es: `Área ${code}`, en: `Area ${code}` }, position });
    const sub = em.create(Section, { framework, parent: area, code: `${code}1`, title: { es: `Sub ${code}` }, position: 0 });
    for (let n = 0; n < perArea; n++) {
      const indicator = em.create(Indicator, { framework, section: n % 2 ? area : sub, code: `${code}-${n}`, position: n });
      const version = em.create(IndicatorVersion, {
        indicator,
        number: 1,
        texts: { TITLE: { es: `Indicador ${code}-${n}` }, STATEMENT: { es: 'Texto', en: 'Text' } },
        status: IndicatorVersionStatus.PUBLISHED,
        author,
      });
      indicator.currentVersion = em.getReference(IndicatorVersion, version.id, { wrapped: true });
    }
  });
  await em.flush();
}

describe('loading a framework tree', () => {
  it('runs the same number of SQL statements for 10 indicators as for 500', async () => {
    await makeFramework('small', 4); // 12 indicators
    await makeFramework('large', 167); // 501 indicators
    const client = await api.as(demo.stakeholder);
    const load = (slug: string) => countSql(() => client.data(TREE, { slug, language: 'EN' }));
    const small = await load('small');
    const large = await load('large');
    const count = (r: typeof small) => r.result.framework.sections.flatMap((s: any) => [...s.indicators, ...s.children.flatMap((c: any) => c.indicators)]).length;
    expect(count(small)).toBe(12);
    expect(count(large)).toBe(501);
    expect(small.count).toBeGreaterThan(0);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(10);
  });
});
