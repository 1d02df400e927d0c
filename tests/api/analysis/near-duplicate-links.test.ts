import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkNearDuplicates, similarity, trigrams } from '../../../api/src/analysis/near-duplicate-links.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { campaignComment, distinctComment, seededRandom } from './campaign.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** The database's normalized text and pg_trgm similarity for each pair. */
async function fromDatabase(pairs: [string, string][]) {
  return db.orm.em.fork().execute<{ a: string; b: string; similarity: number }[]>(
    'select comment_match_text(a) as a, comment_match_text(b) as b, similarity(comment_match_text(a), comment_match_text(b)) as similarity from jsonb_to_recordset(?::jsonb) as p(a text, b text)',
    [JSON.stringify(pairs.map(([a, b]) => ({ a, b })))],
  );
}

describe('regrouping finds near-identical comments without comparing every pair', () => {
  it('measures similarity as pg_trgm does, on the same normalized text', async () => {
    const r = seededRandom(7);
    const pairs: [string, string][] = [];
    for (let i = 0; i < 40; i++) pairs.push([campaignComment(r), campaignComment(r)]);
    for (let i = 0; i < 40; i++) pairs.push([campaignComment(r), distinctComment(r).body]);
    for (let i = 0; i < 40; i++) pairs.push([distinctComment(r).body, distinctComment(r).body]);
    for (const row of await fromDatabase(pairs)) {
      expect(similarity(trigrams(row.a), trigrams(row.b))).toBeCloseTo(row.similarity, 2);
    }
  });

  it('links 200 copies of a campaign into one component and no distinct comment to them', async () => {
    const r = seededRandom(2026);
    const texts = [...Array.from({ length: 200 }, () => campaignComment(r)), ...Array.from({ length: 500 }, () => distinctComment(r).body)];
    const normalized = (await fromDatabase(texts.map((t) => [t, t]))).map((row) => row.a);
    const items = normalized.map((text, i) => ({ id: String(i), text, loose: true }));
    const links = linkNearDuplicates(items, 0.7);
    const parent = new Map<string, string>();
    const find = (id: string): string => (parent.get(id) ?? id) === id ? id : find(parent.get(id)!);
    for (const l of links) parent.set(find(l.id), find(l.matchId));
    const campaign = new Set(items.slice(0, 200).map((item) => find(item.id)));
    expect(campaign.size).toBe(1);
    const [root] = campaign;
    expect(items.slice(200).filter((item) => find(item.id) === root)).toEqual([]);
    expect(links.every((l) => l.similarity >= 0.7)).toBe(true);
  });
});
