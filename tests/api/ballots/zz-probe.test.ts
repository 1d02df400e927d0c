import { it } from 'vitest';
import { demo, startTestApi } from '../../support/api.js';
import { countSql } from '../../support/sql-counter.js';
import { ballotOn, createFramework, propose, vote } from './fixtures.js';

it('probe', async () => {
  const api = await startTestApi();
  const f = await api.as(demo.facilitator);
  const m = await api.as(demo.member);
  const fw = await createFramework(api.db.orm, { slug: 'probe', areas: 1, perArea: 1 });
  const ind = fw.areas[0].indicators[0];
  const r = await propose(f, ind.id, ind.versionId);
  const b = await ballotOn(f, [r.id]);
  const q = b.questions[0].id;
  for (let i = 0; i < 3; i++) await vote(m, q, 'APPROVE');
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await vote(m, q, i % 2 ? 'APPROVE' : 'ABSTAIN');
  console.log('sequential ms/vote', (performance.now() - t0) / 20);
  const t1 = performance.now();
  for (let i = 0; i < 20; i++) await m.data('{ me { id } }');
  console.log('sequential ms/me', (performance.now() - t1) / 20);
  const c = await countSql(() => vote(m, q, 'APPROVE'));
  console.log(c.statements.join('\n'));
  await api.stop();
}, 120_000);
