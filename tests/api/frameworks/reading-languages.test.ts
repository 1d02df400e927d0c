import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';

/**
 * A text not yet in the language asked for falls back through the reader's other languages — their
 * browser's Accept-Language list, then their account's language — before the framework's source
 * language, and says which language it is in. The demo's certification indicators are written in
 * Spanish (the source) and English; only the gender area's are also in Portuguese and French, so
 * these read the poverty area.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const TEXTS = `query($slug: String!, $language: Locale) {
  framework(slug: $slug) {
    name(language: $language) { value language fallback }
    sections { title(language: $language) { language fallback } indicators { code title(language: $language) { language fallback }
      currentVersion { fields(language: $language) { field text { language fallback } } } } }
  }
}`;

/** The framework's texts as `client` reads them in `language`, its browser sending `acceptLanguage` (none: `*`, as Node's fetch). */
async function read(client: GraphQLClient, language: string | null, acceptLanguage = '*') {
  const res = await fetch(client.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: client.cookie, 'accept-language': acceptLanguage },
    body: JSON.stringify({ query: TEXTS, variables: { slug: 'spwg-lac-certification', language } }),
  });
  const { data, errors } = (await res.json()) as { data: any; errors?: unknown[] };
  expect(errors).toBeUndefined();
  const poverty = data.framework.sections[1];
  const indicator = poverty.indicators[0];
  const statement = indicator.currentVersion.fields.find((f: { field: string }) => f.field === 'STATEMENT').text;
  return { name: data.framework.name, section: poverty.title, title: indicator.title, statement };
}

describe('the reading languages', () => {
  it('Portuguese asked by a reader whose browser also reads English: the English text, marked as a fallback', async () => {
    const reader = await api.as(demo.stakeholder); // a Spanish account
    const texts = await read(reader, 'PT', 'pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7');
    for (const text of [texts.title, texts.statement]) expect(text).toMatchObject({ language: 'EN', fallback: true });
    // The framework's name and its areas are in Portuguese already.
    expect(texts.name).toEqual({ value: 'Certificação de desempenho social SPWG LAC', language: 'PT', fallback: false });
    expect(texts.section).toEqual({ language: 'PT', fallback: false });
  });

  it('the browser’s languages go by their weight, and one the texts lack is skipped', async () => {
    const reader = await api.as(demo.stakeholder);
    expect((await read(reader, 'PT', 'fr;q=0.9, de, en;q=0.5')).statement).toEqual({ language: 'EN', fallback: true });
    expect((await read(reader, 'PT', 'en;q=0.2, es;q=0.8')).statement).toEqual({ language: 'ES', fallback: true });
    // q=0 means "not this one": the account's language (Spanish, the source here) comes next.
    expect((await read(reader, 'PT', 'pt, en;q=0')).statement).toEqual({ language: 'ES', fallback: true });
  });

  it('with no other language in the browser, the account’s language comes before the source language', async () => {
    const englishAccount = await api.as(demo.stakeholderEn);
    expect((await read(englishAccount, 'FR')).statement).toEqual({ language: 'EN', fallback: true });
    const spanishAccount = await api.as(demo.stakeholder);
    expect((await read(spanishAccount, 'FR')).statement).toEqual({ language: 'ES', fallback: true });
  });

  it('a text in the language asked for is no fallback, whatever the browser prefers', async () => {
    const reader = await api.as(demo.stakeholderEn);
    expect((await read(reader, 'ES', 'en')).statement).toEqual({ language: 'ES', fallback: false });
    // No language asked: the account's, English here.
    expect((await read(reader, null, 'es')).statement).toEqual({ language: 'EN', fallback: false });
  });
});
