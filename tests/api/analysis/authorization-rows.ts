/** The analysis operations' rows of the authorization matrix (authorization/authorization-matrix.ts): themes, near-duplicates, on-behalf entry, dashboard. */
import { randomUUID } from 'node:crypto';
import { NearDuplicateMember } from '../../../api/src/analysis/near-duplicate.entity.js';
import { Theme } from '../../../api/src/analysis/theme.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { Role } from '../../../api/src/users/user.entity.js';
import { eventually } from '../../support/jobs.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';
import { freshRound, openRound } from '../comments/authorization-rows.js';

const unpublishedRound = (fx: Fixtures) => fx.id(ConsultationRound, { publishedSummaryAt: null });

/**
 * A theme on an unpublished round: an existing one unless `fresh` (a round holds at most 40, and the
 * hostile-input test calls these rows hundreds of times), else one made by the facilitator.
 */
async function theme(fx: Fixtures, { fresh = false } = {}) {
  const roundId = await unpublishedRound(fx);
  const existing = fresh ? null : await fx.em().findOne(Theme, { round: roundId }, { orderBy: { createdAt: 'asc' } });
  if (existing) return { roundId, themeId: existing.id };
  const facilitator = await fx.setup('facilitator');
  const { createTheme } = await facilitator.data(`mutation($input: CreateThemeInput!) { createTheme(input: $input) { id } }`, {
    input: { roundId, label: { es: `Tema ${fx.unique()}`, en: 'Theme' } },
  });
  return { roundId, themeId: createTheme.id as string };
}

/**
 * A fresh near-duplicate group: the same letter twice in a round of its own, grouped by the
 * placement that follows each comment added (a job, waited for). Confirming, splitting or
 * disposing of it disturbs no other group.
 */
async function nearDuplicateGroup(fx: Fixtures) {
  const roundId = await freshRound(fx, 'open');
  const facilitator = await fx.setup('facilitator');
  const commentIds: string[] = [];
  for (let copy = 0; copy < 2; copy++) {
    const { addComment } = await facilitator.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId, targetKind: 'FRAMEWORK', type: 'GENERAL', body: 'Pedimos que el marco cuente por separado a las clientas rurales.' },
    });
    commentIds.push(addComment.id);
  }
  const placed = () => fx.em().findOne(NearDuplicateMember, { comment: commentIds[1] });
  await eventually(async () => (await placed()) !== null, () => 'the two copies of the letter were not grouped');
  return { groupId: (await placed())!.group.id, commentIds };
}

export const analysisQueries: Record<string, OperationRow> = {
  roundThemes: {
    minimum: 'signedIn',
    rule: 'facilitators always; others once the round’s summary is published (FORBIDDEN before)',
    cells: { stakeholder: 'FORBIDDEN', member: 'FORBIDDEN', otherOrganization: 'FORBIDDEN' },
    document: `query($roundId: ID!) { roundThemes(roundId: $roundId) { id } }`,
    variables: async (fx) => ({ roundId: await unpublishedRound(fx) }),
  },
  nearDuplicateGroups: {
    minimum: Role.FACILITATOR,
    document: `query($roundId: ID!) { nearDuplicateGroups(roundId: $roundId) { id size } }`,
    variables: async (fx) => ({ roundId: await unpublishedRound(fx) }),
  },
  nearDuplicateGroup: {
    minimum: Role.FACILITATOR,
    tolerate: ['NOT_FOUND'],
    document: `query($id: ID!) { nearDuplicateGroup(id: $id) { id } }`,
    variables: () => ({ id: randomUUID() }),
  },
  roundDashboard: {
    minimum: Role.FACILITATOR,
    rule: 'per-organization and per-country figures: facilitators only',
    document: `query($roundId: ID!) { roundDashboard(roundId: $roundId) { comments byCountry { key count } } }`,
    variables: async (fx) => ({ roundId: await unpublishedRound(fx) }),
  },
};

export const analysisMutations: Record<string, OperationRow> = {
  createTheme: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: CreateThemeInput!) { createTheme(input: $input) { id } }`,
    variables: async (fx) => ({ input: { roundId: await unpublishedRound(fx), label: { es: `Tema ${fx.unique()}` } } }),
  },
  updateTheme: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!, $input: UpdateThemeInput!) { updateTheme(id: $id, input: $input) { id } }`,
    variables: async (fx) => ({ id: (await theme(fx)).themeId, input: { label: { es: `Otro ${fx.unique()}` } } }),
  },
  deleteTheme: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { deleteTheme(id: $id) }`,
    variables: async (fx) => ({ id: (await theme(fx, { fresh: true })).themeId }),
  },
  tagComments: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: TagCommentsInput!) { tagComments(input: $input) }`,
    variables: async (fx) => {
      const { roundId, themeId } = await theme(fx);
      return { input: { roundId, themeIds: [themeId], filter: {} } };
    },
  },
  untagComments: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: TagCommentsInput!) { untagComments(input: $input) }`,
    variables: async (fx) => {
      const { roundId, themeId } = await theme(fx);
      return { input: { roundId, themeIds: [themeId], filter: {} } };
    },
  },
  regroupRound: {
    minimum: Role.FACILITATOR,
    document: `mutation($roundId: ID!) { regroupRound(roundId: $roundId) }`,
    variables: async (fx) => ({ roundId: await unpublishedRound(fx) }),
  },
  confirmNearDuplicateGroup: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { confirmNearDuplicateGroup(id: $id) { id } }`,
    variables: async (fx) => ({ id: (await nearDuplicateGroup(fx)).groupId }),
  },
  removeFromNearDuplicateGroup: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: RemoveFromGroupInput!) { removeFromNearDuplicateGroup(input: $input) { id } }`,
    variables: async (fx) => {
      const { groupId, commentIds } = await nearDuplicateGroup(fx);
      return { input: { groupId, commentIds: commentIds.slice(1) } };
    },
  },
  disposeNearDuplicateGroup: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: DisposeGroupInput!) { disposeNearDuplicateGroup(input: $input) { id } }`,
    variables: async (fx) => ({ input: { groupId: (await nearDuplicateGroup(fx)).groupId, status: 'NOTED', response: 'Anotado.' } }),
  },
  enterOnBehalf: {
    minimum: Role.FACILITATOR,
    rule: 'the round must be open (CONFLICT otherwise)',
    document: `mutation($input: OnBehalfCommentInput!) { enterOnBehalf(input: $input) { id } }`,
    variables: async (fx) => ({
      input: {
        // The demo's open round: other rows leave rounds beside it that are not open.
        comment: { roundId: await openRound(fx), targetKind: 'FRAMEWORK', type: 'GENERAL', body: `Dicho en el taller ${fx.unique()}.` },
        source: { kind: 'WORKSHOP', eventName: 'Taller regional', givenOn: '2026-10-05', place: 'Lima', personName: 'Participante del taller' },
      },
    }),
  },
};
