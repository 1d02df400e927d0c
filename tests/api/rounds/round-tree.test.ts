import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndicatorDraft } from '../../../api/src/indicators/indicator-draft.entity.js';
import { RoundTrees } from '../../../api/src/rounds/round-trees.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { startSecondApi } from '../live/live-support.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from './fixtures.js';

// Each API process keeps a round's indicator tree in memory (rounds/round-trees.ts); these check
// that no change to it is ever served stale, whichever process or writer made it.
let api: TestApi;
let second: Awaited<ReturnType<typeof startSecondApi>>;
let fw: FrameworkFixture;
let roundId: string;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let otherFacilitator: GraphQLClient;
let otherStakeholder: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  second = await startSecondApi(api);
  fw = await createFramework(api.db.orm, { slug: 'kept-tree', areas: 2, perArea: 2 });
  [facilitator, stakeholder, otherFacilitator, otherStakeholder] = await Promise.all([
    api.as(demo.facilitator),
    api.as(demo.stakeholder),
    second.as(demo.facilitator),
    second.as(demo.stakeholder),
  ]);
  roundId = (await openRound(facilitator, fw)).id;
});
afterAll(async () => {
  await second?.stop();
  await api?.stop();
});

const TREE = `query($id: ID!) { round(id: $id) { commentCount indicators { commentCount undisposedCount indicator { id code title(language: ES) { value } section { id code } } } } }`;
interface Row {
  commentCount: number;
  undisposedCount: number;
  indicator: { id: string; code: string; title: { value: string }; section: { id: string; code: string } };
}
const tree = async (client: GraphQLClient): Promise<Row[]> => (await client.data(TREE, { id: roundId })).round.indicators;
const row = (rows: Row[], indicatorId: string) => rows.find((r) => r.indicator.id === indicatorId)!;

describe('the round page’s indicator tree, kept in each API process', () => {
  it('shows a section recoded in one process at once in both', async () => {
    // Both processes have read, and so keep, the tree.
    expect((await tree(stakeholder)).map((r) => r.indicator.section.code)).toEqual(['A0.1', 'A0.1', 'A1.1', 'A1.1']);
    expect((await tree(otherStakeholder)).map((r) => r.indicator.code)).toEqual(['A0-01', 'A0-02', 'A1-01', 'A1-02']);

    await facilitator.data(`mutation($id: ID!, $input: UpdateSectionInput!) { updateSection(id: $id, input: $input) { code } }`, {
      id: fw.areas[0].subsectionId,
      input: { code: 'A0.9' },
    });
    for (const client of [stakeholder, otherStakeholder]) {
      expect((await tree(client)).map((r) => r.indicator.section.code)).toEqual(['A0.9', 'A0.9', 'A1.1', 'A1.1']);
    }
  });

  it('shows a new current title published through the other process', async () => {
    const target = fw.areas[1].indicators[0];
    expect(row(await tree(stakeholder), target.id).indicator.title.value).toBe('Indicador A1-01');
    // The fixture writes indicators without the working draft that createIndicator gives each.
    const em = api.db.orm.em.fork();
    const facilitatorUser = await em.findOneOrFail(User, { email: demo.facilitator });
    em.create(IndicatorDraft, { indicator: target.id, texts: { TITLE: { es: 'Indicador A1-01' } }, baseVersion: target.versionId, updatedBy: facilitatorUser });
    await em.flush();
    await otherFacilitator.data(`mutation($id: ID!, $rev: Int!, $t: IndicatorTextsInput!) { saveIndicatorDraft(indicatorId: $id, expectedRevision: $rev, texts: $t) { revision } }`, {
      id: target.id,
      rev: 1,
      t: { title: { es: 'Mujeres entre los nuevos prestatarios' } },
    });
    // Saving a draft changes nothing the round shows; publishing makes it the current title.
    expect(row(await tree(stakeholder), target.id).indicator.title.value).toBe('Indicador A1-01');
    await otherFacilitator.data(`mutation($id: ID!) { publishIndicatorDraft(indicatorId: $id, changeSummary: "título") { id } }`, { id: target.id });
    expect(row(await tree(stakeholder), target.id).indicator.title.value).toBe('Mujeres entre los nuevos prestatarios');
  });

  it('shows an indicator moved to another section, and a code changed by a writer outside the API', async () => {
    const moved = fw.areas[0].indicators[1];
    await facilitator.data(`mutation($i: ID!, $s: ID!) { moveIndicator(indicatorId: $i, sectionId: $s, position: 0) { id } }`, { i: moved.id, s: fw.areas[1].subsectionId });
    expect(row(await tree(otherStakeholder), moved.id).indicator.section).toEqual({ id: fw.areas[1].subsectionId, code: 'A1.1' });

    await api.db.orm.em.getConnection().execute('update indicator set code = ? where id = ?', ['A0-77', fw.areas[0].indicators[0].id]);
    for (const client of [stakeholder, otherStakeholder]) expect(row(await tree(client), fw.areas[0].indicators[0].id).indicator.code).toBe('A0-77');
  });

  it('still reads the counters on every request while the tree stands still', async () => {
    const target = fw.areas[1].indicators[1];
    await tree(stakeholder);
    await tree(otherStakeholder);
    await stakeholder.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: target.versionId, type: 'GENERAL', body: 'Falta la fuente de los datos.' } });
    for (const client of [stakeholder, otherStakeholder]) {
      const rows = await tree(client);
      expect(row(rows, target.id)).toMatchObject({ commentCount: 1, undisposedCount: 1 });
      expect(rows.filter((r) => r.indicator.id !== target.id).every((r) => r.commentCount === 0)).toBe(true);
    }
  });

  it('keeps a round’s tree while another framework is edited, and reads it again once its own moves', async () => {
    const revision = async (frameworkId: string) =>
      (await api.db.orm.em.fork().execute<{ revision: string }[]>('select revision from framework_tree_revision where framework_id = ?', [frameworkId]))[0].revision;
    await tree(stakeholder);
    const before = await revision(fw.id);
    expect(api.app.roundTrees.get(roundId, before)).toBeDefined();

    const other = await createFramework(api.db.orm, { slug: 'other-tree', areas: 1, perArea: 1 });
    await openRound(facilitator, other);
    await facilitator.data(`mutation($id: ID!, $input: UpdateSectionInput!) { updateSection(id: $id, input: $input) { code } }`, { id: other.areas[0].subsectionId, input: { code: 'B0.9' } });
    expect(await revision(fw.id)).toBe(before);
    expect(api.app.roundTrees.get(roundId, before)).toBeDefined();

    await facilitator.data(`mutation($id: ID!, $input: UpdateSectionInput!) { updateSection(id: $id, input: $input) { code } }`, { id: fw.areas[1].subsectionId, input: { code: 'A1.5' } });
    const after = await revision(fw.id);
    expect(after).not.toBe(before);
    expect((await tree(stakeholder)).map((r) => r.indicator.section.code)).toContain('A1.5');
    expect(api.app.roundTrees.get(roundId, after)).toBeDefined();
  });
});

describe('the kept trees', () => {
  it('hold at most ROUND_TREE_CACHE_ROUNDS rounds, dropping the one read least recently', () => {
    const trees = new RoundTrees(2);
    const tree = (revision: string) => ({ revision, indicators: [] });
    trees.set('a', tree('1'));
    trees.set('b', tree('1'));
    expect(trees.get('a', '1')).toBeDefined();
    trees.set('c', tree('1'));
    expect(trees.get('b', '1')).toBeUndefined();
    expect(trees.get('a', '1')).toBeDefined();
    expect(trees.get('c', '1')).toBeDefined();
    // A tree read at another revision is never served.
    expect(trees.get('a', '2')).toBeUndefined();
  });
});
