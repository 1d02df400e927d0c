import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { demo, startTestApi } from '../../support/api.js';

test('debug', async () => {
  const api = await startTestApi();
  try {
    const c = await api.as('momotombo@consulta.demo');
    const { rounds } = await c.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } }`);
    const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    const doc = readFileSync('../web/src/lib/graphql/operations/consultation.graphql', 'utf8');
    const r = await fetch(api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', cookie: c.cookie }, body: JSON.stringify({ query: doc, operationName: 'RoundIndicator', variables: { id: spwg.id, indicatorId: spwg.indicators[20].indicator.id, language: 'ES' } }) }).then((x) => x.json()) as any;
    console.log(JSON.stringify(r.errors));
  } finally { await api.stop(); }
}, 120_000);
