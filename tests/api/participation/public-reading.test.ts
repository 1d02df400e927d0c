import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { seedExportRound, type SeededRound } from '../exports/fixtures.js';
import { createFramework, openRound } from '../rounds/fixtures.js';

let api: TestApi;
let seeded: SeededRound;
let anonymous: GraphQLClient;
/** Every name and organization that wrote in the seeded round. */
let names: string[];
let organizations: string[];

const ROUNDS = `query { publicRounds(language: EN) { id status title { value } commentsPublic publicAuthors } }`;
const ROUND = `query($id: ID!) { publicRound(id: $id, language: EN) { round { id status summaryPublishedAt } indicators { code fields { field text } } summary { total withdrawn byDisposition { key count } } } }`;
const COMMENTS = `query($id: ID!, $after: String, $first: Int!) { publicComments(roundId: $id, first: $first, after: $after) {
  nodes { id body bodyHtml disposition response author { name organization country } replies { bodyHtml official author { name organization country } } }
  pageInfo { hasNextPage endCursor } } }`;
const SET = `mutation($id: ID!, $input: RoundPublicationInput!) { setRoundPublication(roundId: $id, input: $input) { id commentsPublic publicAuthors } }`;

async function publicCsv(roundId: string, language = 'en') {
  const res = await fetch(`${api.url}/exports/public/rounds/${roundId}/comments.csv?language=${language}`);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function auditCount(action: string, scopeId: string) {
  const [row] = await api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from audit_entry where action = ? and scope_id = ?', [action, scopeId]);
  return row.n;
}

beforeAll(async () => {
  api = await startTestApi();
  seeded = await seedExportRound(api, 'public-fw');
  anonymous = api.client();
  const em = api.db.orm.em.fork();
  const writers = await em.find(User, { email: { $in: [demo.stakeholder, demo.member, demo.member2, demo.member3, demo.facilitator] } }, { populate: ['organization'] });
  names = writers.map((u) => u.name);
  organizations = [...new Set(writers.flatMap((u) => (u.organization ? [u.organization.getEntity().name] : [])))];
});
afterAll(async () => {
  await api?.stop();
});

describe('a signed-out visitor', () => {
  it('reads the list of rounds with their state, but not drafts nor working-group rounds', async () => {
    const fw = await createFramework(api.db.orm, { slug: 'public-hidden', areas: 1, perArea: 1 });
    const draft = await openRound(seeded.facilitator, fw, { draft: true });
    const workingGroup = await openRound(seeded.facilitator, fw, { audience: { all: false, workingGroup: true } });
    const { publicRounds } = await anonymous.data(ROUNDS);
    expect(publicRounds.find((r: { id: string }) => r.id === seeded.roundId)).toMatchObject({ status: 'RESOLVED', commentsPublic: false, publicAuthors: 'ORGANIZATION' });
    const ids = publicRounds.map((r: { id: string }) => r.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(workingGroup.id);
    expect(await anonymous.error(ROUND, { id: draft.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await anonymous.error(ROUND, { id: workingGroup.id })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads an open round’s indicator texts, but none of its comments even when they are to be public', async () => {
    const fw = await createFramework(api.db.orm, { slug: 'public-open', areas: 1, perArea: 2 });
    const round = await openRound(seeded.facilitator, fw);
    await seeded.facilitator.data(SET, { id: round.id, input: { commentsPublic: true, publicAuthors: 'NAME' } });
    await seeded.stakeholder.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body: 'Todavía abierta.' },
    });
    const { publicRound } = await anonymous.data(ROUND, { id: round.id });
    expect(publicRound.round.status).toBe('OPEN');
    expect(publicRound.indicators.map((i: { code: string }) => i.code)).toEqual(fw.areas[0].indicators.map((i) => i.code));
    expect(publicRound.indicators[0].fields.find((f: { field: string }) => f.field === 'STATEMENT').text).toBeTruthy();
    expect(publicRound.summary).toBeNull();
    const { publicComments } = await anonymous.data(COMMENTS, { id: round.id, first: 50 });
    expect(publicComments.nodes).toEqual([]);
    expect((await publicCsv(round.id)).text).not.toContain('Todavía abierta');
  });

  it('reads the disposition summary only once a facilitator publishes it', async () => {
    expect((await anonymous.data(ROUND, { id: seeded.roundId })).publicRound.summary).toBeNull();
    await seeded.facilitator.data(`mutation($id: ID!) { publishRoundSummary(roundId: $id) { id } }`, { id: seeded.roundId });
    const { publicRound } = await anonymous.data(ROUND, { id: seeded.roundId });
    expect(publicRound.summary).toMatchObject({ total: 5, withdrawn: 1 });
    expect(publicRound.round.summaryPublishedAt).toBeTruthy();
  });
});

describe('the round’s public setting', () => {
  it('by default keeps a closed round’s comments off the public page and out of the public download', async () => {
    const { publicComments } = await anonymous.data(COMMENTS, { id: seeded.roundId, first: 50 });
    expect(publicComments.nodes).toEqual([]);
    const csv = await publicCsv(seeded.roundId);
    expect(csv.status).toBe(400);
    expect(csv.text).not.toContain('desagregación');
  });

  it('only a facilitator changes it, and each change is audit-logged', async () => {
    expect(await seeded.stakeholder.error(SET, { id: seeded.roundId, input: { commentsPublic: true, publicAuthors: 'NAME' } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await anonymous.error(SET, { id: seeded.roundId, input: { commentsPublic: true, publicAuthors: 'NAME' } })).toMatchObject({ code: 'UNAUTHENTICATED' });
    const before = await auditCount('round.publication_changed', seeded.roundId);
    await seeded.facilitator.data(SET, { id: seeded.roundId, input: { commentsPublic: true, publicAuthors: 'HIDDEN' } });
    expect(await auditCount('round.publication_changed', seeded.roundId)).toBe(before + 1);
  });

  it('HIDDEN: the comments and dispositions are public, and no author’s name or organization appears on the page or in the download', async () => {
    await seeded.facilitator.data(SET, { id: seeded.roundId, input: { commentsPublic: true, publicAuthors: 'HIDDEN' } });
    const { publicComments } = await anonymous.data(COMMENTS, { id: seeded.roundId, first: 50 });
    // The withdrawn comment stays out.
    expect(publicComments.nodes).toHaveLength(4);
    expect(publicComments.nodes.find((c: { disposition: string }) => c.disposition === 'ACCEPTED').replies).toHaveLength(1);
    const page = JSON.stringify(publicComments);
    const csv = await publicCsv(seeded.roundId);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('cache-control')).toContain('public');
    expect(csv.text).toContain('desagregación');
    for (const hidden of [...names, ...organizations]) {
      expect(page).not.toContain(hidden);
      expect(csv.text).not.toContain(hidden);
    }
    expect(page).not.toContain('Lo retiro');
    expect(csv.text).not.toContain('Lo retiro');
  });

  it('ORGANIZATION: organizations show, names never', async () => {
    await seeded.facilitator.data(SET, { id: seeded.roundId, input: { commentsPublic: true, publicAuthors: 'ORGANIZATION' } });
    const { publicComments } = await anonymous.data(COMMENTS, { id: seeded.roundId, first: 50 });
    const page = JSON.stringify(publicComments);
    const csv = (await publicCsv(seeded.roundId)).text;
    expect(publicComments.nodes.every((c: { author: { name: string | null; organization: string | null } }) => c.author.name === null && c.author.organization)).toBe(true);
    for (const name of names) {
      expect(page).not.toContain(name);
      expect(csv).not.toContain(name);
    }
    expect(organizations.some((o) => csv.includes(o))).toBe(true);
  });

  it('NAME: names show with their organizations; the list pages by cursor', async () => {
    await seeded.facilitator.data(SET, { id: seeded.roundId, input: { commentsPublic: true, publicAuthors: 'NAME' } });
    const first = (await anonymous.data(COMMENTS, { id: seeded.roundId, first: 3 })).publicComments;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await anonymous.data(COMMENTS, { id: seeded.roundId, first: 3, after: first.pageInfo.endCursor })).publicComments;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const all = [...first.nodes, ...second.nodes];
    expect(new Set(all.map((c: { id: string }) => c.id)).size).toBe(4);
    expect(all.every((c: { author: { name: string | null } }) => c.author.name)).toBe(true);
    expect(await anonymous.error(COMMENTS, { id: seeded.roundId, first: 3, after: 'not-a-cursor' })).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('released standards', () => {
  it('a signed-out visitor lists the released frameworks, reads a release in each language and downloads it, without an audit entry', async () => {
    const { publicFrameworks } = await anonymous.data(`query { publicFrameworks(language: EN) { slug name { value } releases { id number final } } }`);
    const usspm = publicFrameworks.find((f: { slug: string }) => f.slug === 'usspm');
    expect(usspm.releases[0]).toMatchObject({ number: '2026.1', final: true });
    for (const language of ['ES', 'EN', 'PT', 'FR']) {
      const { publicRelease } = await anonymous.data(`query($l: Locale!) { publicRelease(frameworkSlug: "usspm", number: "2026.1", language: $l) { number final notes indicators { code fields { field text language } } } }`, { l: language });
      expect(publicRelease.final).toBe(true);
      expect(publicRelease.indicators.length).toBeGreaterThan(0);
      expect(publicRelease.notes).toBeTruthy();
    }
    const [row] = await api.db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from audit_entry where action = 'release.downloaded'`);
    for (const format of ['pdf', 'xlsx', 'json']) {
      const res = await fetch(`${api.url}/exports/releases/${usspm.releases[0].id}.${format}?language=fr`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('public');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const [after] = await api.db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from audit_entry where action = 'release.downloaded'`);
    expect(after.n).toBe(row.n);
    expect((await anonymous.data(`query { publicRelease(frameworkSlug: "usspm", number: "1999.9", language: EN) { id } }`)).publicRelease).toBeNull();
  });
});
