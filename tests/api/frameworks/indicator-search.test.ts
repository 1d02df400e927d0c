import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const SEARCH = `query($q: String!, $language: Locale!, $slug: String) {
  searchIndicators(query: $q, language: $language, frameworkSlug: $slug) {
    rank indicator { code } version { number } snippet { text match }
  }
}`;
interface Hit { rank: number; indicator: { code: string }; snippet: { text: string; match: boolean }[] }

async function search(q: string, language = 'ES', slug: string | null = null): Promise<Hit[]> {
  const client = await api.as(demo.stakeholder);
  return (await client.data(SEARCH, { q, language, slug })).searchIndicators;
}

describe('searching indicators', () => {
  it('an accent-free word finds the accented one, with the match highlighted in the original spelling', async () => {
    const hits = await search('prestatarias genero');
    const hitsAccented = await search('prestatarias género');
    expect(hits.map((h) => h.indicator.code)).toEqual(hitsAccented.map((h) => h.indicator.code));
    const all = await search('genero');
    expect(all.length).toBeGreaterThan(0);
    const matched = all.flatMap((h) => h.snippet.filter((p) => p.match).map((p) => p.text.toLowerCase()));
    expect(matched).toContain('género');
  });

  it('ranks title matches first, best first', async () => {
    const hits = await search('retención', 'ES', 'spwg-lac-certification');
    expect(hits[0].indicator.code).toMatch(/^GEN-0[28]$/); // both have it in the title
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].rank).toBeGreaterThanOrEqual(hits[i].rank);
  });

  it('searches in English with English stemming', async () => {
    const hits = await search('borrowers', 'EN', 'spwg-lac-certification');
    expect(hits.map((h) => h.indicator.code)).toContain('GEN-01');
    expect(hits[0].snippet.some((p) => p.match && /borrower/i.test(p.text))).toBe(true);
  });

  it('finds a code, and the exact code first', async () => {
    const hits = await search('pov-04');
    expect(hits[0].indicator.code).toBe('POV-04');
    expect((await search('1a.', 'EN', 'usspm')).map((h) => h.indicator.code)).toEqual(['1A.1', '1A.2', '1A.3']);
  });

  it('searches only the current version of each indicator', async () => {
    // GEN-01's levels said 50 % in version 2 and say 45 % in version 3, the current one.
    const v = await search('"igual o mayor al 50"', 'ES', 'spwg-lac-certification');
    expect(v.map((h) => h.indicator.code)).not.toContain('GEN-01');
    const now = await search('"igual o mayor al 45"', 'ES', 'spwg-lac-certification');
    expect(now.map((h) => h.indicator.code)).toContain('GEN-01');
  });

  it('a query of one character is refused naming the field', async () => {
    const client = await api.as(demo.stakeholder);
    expect(await client.error(SEARCH, { q: 'a', language: 'ES' })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'query' }] } });
  });
});
