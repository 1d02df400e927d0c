import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

describe('the demo consultation', () => {
  it('has an open SPWG round, opened a week ago and closing in 30 days, with comments, replies and dispositions', async () => {
    const stakeholder = await api.as(demo.stakeholder);
    const { rounds } = await stakeholder.data(`{ rounds(frameworkSlug: "spwg-lac-certification") { id status opensAt closesAt commentCount undisposedCount replyCount title { value } indicators { commentCount } } }`);
    expect(rounds).toHaveLength(1);
    const [round] = rounds;
    expect(round.status).toBe('OPEN');
    expect(Date.parse(round.closesAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.now() - Date.parse(round.opensAt)).toBeGreaterThan(6.9 * 86_400_000);
    // consultation.json's 15 standing comments (one more withdrawn), and analysis.json's 6 workshop entries and 12 campaign letters.
    expect(round).toMatchObject({ commentCount: 33, undisposedCount: 27, replyCount: 3 });
    const { roundComments } = await stakeholder.data(`query($id: ID!) { roundComments(roundId: $id, first: 100) { totalCount edges { node { withdrawnAt anchor { exact } disposition { status } } } } }`, { id: round.id });
    expect(roundComments.totalCount).toBe(34);
    expect(roundComments.edges.filter((e: any) => e.node.anchor).length).toBeGreaterThanOrEqual(8);
  });

  it('has an open USSPM round taking ratings, with a distribution per practice', async () => {
    const member = await api.as(demo.member);
    const { rounds } = await member.data(`{ rounds(frameworkSlug: "usspm") { status ratingsEnabled indicators { indicator { code } ratings { essential total } } } }`);
    expect(rounds[0]).toMatchObject({ status: 'OPEN', ratingsEnabled: true });
    const first = rounds[0].indicators.find((i: any) => i.indicator.code === '1A.1');
    expect(first.ratings).toEqual({ essential: 4, total: 5 });
  });
});

describe('the demo’s releases', () => {
  it('has the SPWG draft released before the round, whose next release would carry the revision the ballot approved, and the USSPM released as final', async () => {
    const facilitator = await api.as(demo.facilitator);
    const { spwg, usspm, preview } = await facilitator.data(`{
      spwg: releases(frameworkSlug: "spwg-lac-certification") { number final indicators { indicator { code } } }
      usspm: framework(slug: "usspm") { status finalRelease { number } }
      preview: releasePreview(frameworkSlug: "spwg-lac-certification") { kind code steps { approvedBy { question { id } } } }
    }`);
    expect(spwg).toHaveLength(1);
    expect(spwg[0]).toMatchObject({ number: '2026.1', final: false });
    expect(spwg[0].indicators).toHaveLength(24);
    expect(usspm).toEqual({ status: 'FINAL', finalRelease: { number: '2026.1' } });
    // RUR-01's revision was approved by the demo's closed ballot after the release.
    expect(preview).toEqual([{ kind: 'CHANGED', code: 'RUR-01', steps: [{ approvedBy: [{ question: { id: expect.any(String) } }] }] }]);
  });
});

describe('the demo’s feedback analysis and translations', () => {
  async function spwgRound() {
    const facilitator = await api.as(demo.facilitator);
    const { rounds } = await facilitator.data(`{ rounds(frameworkSlug: "spwg-lac-certification") { id } }`);
    return { facilitator, roundId: rounds[0].id as string };
  }

  it('has themes, each tagging comments, with labels in the four languages', async () => {
    const { facilitator, roundId } = await spwgRound();
    const { roundThemes } = await facilitator.data(`query($id: ID!) { roundThemes(roundId: $id) { commentCount translations { es en pt fr } } }`, { id: roundId });
    expect(roundThemes.length).toBeGreaterThanOrEqual(3);
    for (const theme of roundThemes) {
      expect(theme.commentCount).toBeGreaterThan(0);
      expect(Object.values(theme.translations).every(Boolean)).toBe(true);
    }
    const { roundComments } = await facilitator.data(`query($id: ID!, $themes: [ID!]) { roundComments(roundId: $id, first: 100, filter: { themeIds: $themes }) { totalCount } }`, {
      id: roundId,
      themes: (await facilitator.data(`query($id: ID!) { roundThemes(roundId: $id) { id } }`, { id: roundId })).roundThemes.map((t: { id: string }) => t.id),
    });
    expect(roundComments.totalCount).toBeGreaterThanOrEqual(20);
  });

  it('has workshop feedback entered on behalf of its participants, with its source and the facilitator who entered it', async () => {
    const { facilitator, roundId } = await spwgRound();
    const { roundComments } = await facilitator.data(
      `query($id: ID!) { roundComments(roundId: $id, first: 100, filter: { onBehalf: true }) { totalCount edges { node { createdAt author { name organizationName country } onBehalf { kind eventName givenOn place enteredByName } } } } }`,
      { id: roundId },
    );
    const workshop = roundComments.edges.map((e: any) => e.node).filter((n: any) => n.onBehalf.kind === 'WORKSHOP');
    expect(workshop.length).toBeGreaterThanOrEqual(5);
    for (const n of workshop) {
      expect(n.onBehalf).toMatchObject({ eventName: expect.any(String), place: expect.any(String), enteredByName: 'Karla Hernández' });
      expect(Date.parse(n.onBehalf.givenOn)).toBeLessThan(Date.now());
      expect(n.author.name).toBeTruthy();
    }
    expect(new Set(workshop.map((n: any) => n.author.organizationName ?? n.author.name)).size).toBeGreaterThanOrEqual(4);
    // Backdated like the rest of the demo: entered days ago, not at seeding.
    expect(workshop.every((n: any) => Date.now() - Date.parse(n.createdAt) > 86_400_000)).toBe(true);
  });

  it('has a campaign letter sent by a dozen institutions, grouped as near-duplicates as the copies arrived, each kept with its author', async () => {
    const { facilitator, roundId } = await spwgRound();
    const { nearDuplicateGroups } = await facilitator.data(
      `query($id: ID!) { nearDuplicateGroups(roundId: $id) { size confirmed representative { body } members { state comment { author { name organizationName country } onBehalf { kind } } } } }`,
      { id: roundId },
    );
    const [campaign] = nearDuplicateGroups;
    expect(campaign.size).toBeGreaterThanOrEqual(10);
    expect(campaign).toMatchObject({ confirmed: false });
    expect(campaign.representative.body).toContain('GEN-06');
    const authors = campaign.members.map((m: any) => m.comment.author);
    expect(new Set(authors.map((a: any) => a.organizationName)).size).toBe(campaign.size);
    expect(new Set(authors.map((a: any) => a.country)).size).toBeGreaterThanOrEqual(6);
    // Some sent from their own accounts, the rest by e-mail, entered by the facilitator.
    expect(campaign.members.filter((m: any) => m.comment.onBehalf?.kind === 'EMAIL').length).toBeGreaterThanOrEqual(6);
    expect(campaign.members.filter((m: any) => !m.comment.onBehalf).length).toBeGreaterThanOrEqual(1);
  });

  it('has the framework, its areas and every field of every version of the gender indicators in Portuguese and French', async () => {
    const client = await api.as(demo.stakeholder);
    const { framework } = await client.data(`{ framework(slug: "spwg-lac-certification") { nameTranslations { pt fr } descriptionTranslations { pt fr }
      sections { code titleTranslations { pt fr } indicators { code versions { number fields { field translations { es en pt fr } } } } } } }`);
    expect(Object.values(framework.nameTranslations).every(Boolean)).toBe(true);
    expect(Object.values(framework.descriptionTranslations).every(Boolean)).toBe(true);
    for (const s of framework.sections) expect(Object.values(s.titleTranslations).every(Boolean), s.code).toBe(true);
    const gender = framework.sections.find((s: any) => s.code === 'GEN');
    expect(gender.indicators).toHaveLength(8);
    let checked = 0;
    for (const indicator of gender.indicators) {
      for (const version of indicator.versions) {
        for (const f of version.fields) {
          if (!f.translations.es) continue;
          expect(f.translations, `${indicator.code} v${version.number} ${f.field}`).toMatchObject({ pt: expect.stringMatching(/\S/), fr: expect.stringMatching(/\S/) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8 * 7);
    const gen01 = gender.indicators.find((i: any) => i.code === 'GEN-01').versions.at(-1).fields.find((f: any) => f.field === 'TITLE').translations;
    expect(gen01.pt).toMatch(/mulheres/);
    expect(gen01.fr).toMatch(/femmes/);
  });
});
