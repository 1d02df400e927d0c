import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { demo, startTestApi } from '../../support/api.js';

test('debug', async () => {
  const api = await startTestApi();
  try {
    const c = await api.as('momotombo@consulta.demo');
    const { rounds } = await c.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } }`);
    const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
    const all = readFileSync('../web/src/lib/graphql/operations/consultation.graphql', 'utf8');
    const blocks = all.split(/\n(?=query |mutation |fragment )/);
    const fragments = blocks.filter((b) => b.startsWith('fragment')).join('\n');
    for (const op of ['RoundIndicator', 'IndicatorComments', 'DispositionQueue', 'DispositionQueuePage', 'Round', 'RoundRatings', 'Rounds']) {
      const doc = blocks.find((b) => b.startsWith(`query ${op}(`) || b.startsWith(`query ${op} `))! + '\n' + (op === 'IndicatorComments' || op === 'DispositionQueuePage' ? fragments : '');
    const r = await fetch(api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', cookie: c.cookie }, body: JSON.stringify({ query: doc,  variables: { id: spwg.id, indicatorId: spwg.indicators[20].indicator.id, language: 'ES' } }) }).then((x) => x.json()) as any;
    console.log(op, JSON.stringify(r.errors));
    }
  } finally { await api.stop(); }
}, 120_000);
