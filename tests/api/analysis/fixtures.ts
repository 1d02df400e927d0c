import { demo, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';

export interface AnalysisRound {
  roundId: string;
  fw: FrameworkFixture;
  facilitator: GraphQLClient;
  stakeholder: GraphQLClient;
  /** Several signed-in commenters (stakeholders and members of different organizations). */
  commenters: GraphQLClient[];
}

/** An open round on a fresh framework of 2 areas × 4 indicators, with the demo accounts signed in. */
export async function analysisRound(api: TestApi, slug: string): Promise<AnalysisRound> {
  const fw = await createFramework(api.db.orm, { slug, areas: 2, perArea: 4 });
  const [facilitator, stakeholder, member, member2, member3, stakeholderEn] = await Promise.all(
    [demo.facilitator, demo.stakeholder, demo.member, demo.member2, demo.member3, demo.stakeholderEn].map((e) => api.as(e)),
  );
  const round = await openRound(facilitator, fw);
  return { roundId: round.id, fw, facilitator, stakeholder, commenters: [stakeholder, member, member2, member3, stakeholderEn] };
}

export async function addComment(client: GraphQLClient, roundId: string, versionId: string, body: string, type = 'GENERAL'): Promise<string> {
  const { addComment } = await client.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type, body } });
  return addComment.id;
}

export const GROUPS = `query($roundId: ID!) { nearDuplicateGroups(roundId: $roundId) { id size confirmed representative { id body }
  members { state similarity comment { id } } } }`;
export const DISPOSE_GROUP = `mutation($input: DisposeGroupInput!) { disposeNearDuplicateGroup(input: $input) { id status comment { id } } }`;
export const CREATE_THEME = `mutation($input: CreateThemeInput!) { createTheme(input: $input) { id position label { value language fallback } translations { es en } commentCount } }`;
export const TAG = `mutation($input: TagCommentsInput!) { tagComments(input: $input) }`;
export const UNTAG = `mutation($input: TagCommentsInput!) { untagComments(input: $input) }`;
export const ENTER_ON_BEHALF = `mutation($input: OnBehalfCommentInput!) { enterOnBehalf(input: $input) { id body author { name organizationName country }
  onBehalf { kind eventName givenOn place personName organizationName enteredByName } } }`;
export const DASHBOARD = `query($roundId: ID!) { roundDashboard(roundId: $roundId) { roundId comments disposed onBehalf participants
  participation { day comments onBehalf cumulative }
  heatMap { areaCode indicatorCode general technical editorial proposedChanges contested total }
  byType { key count } byCountry { key count } byOrganizationKind { key count } byDisposition { key count }
  byTheme { key label count } bySource { key count }
  ratings { code essential useful notRelevant noOpinion total } } }`;

/** Runs `task` over `items` with at most `width` in flight, keeping order of results. */
export async function inBatches<T, R>(items: T[], width: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i], i);
      }
    }),
  );
  return out;
}
