/** The consultation operations' rows of the authorization matrix (authorization/authorization-matrix.ts). */
import { Framework } from '../../../api/src/frameworks/framework.entity.js';
import { RoundVersion } from '../../../api/src/rounds/round-version.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { Role } from '../../../api/src/users/user.entity.js';
import type { Caller, Fixtures, OperationRow } from '../authorization/operation-row.js';
import { workingGroupRound } from '../rounds/working-group-round.js';

const SPWG = 'spwg-lac-certification';
const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`;

/** The demo's open round (the earliest opened): rows that create rounds leave others beside it. */
export async function openRound(fx: Fixtures, slug = SPWG) {
  const now = new Date();
  const round = await fx.em().findOneOrFail(
    ConsultationRound,
    { framework: { slug }, opensAt: { $lte: now }, closesAt: { $gt: now }, resolvedAt: null },
    { orderBy: { opensAt: 'asc' } },
  );
  return round.id;
}

async function pinnedVersion(fx: Fixtures) {
  const pinned = await fx.em().findOneOrFail(RoundVersion, { round: await openRound(fx) }, { orderBy: { position: 'asc' } });
  return { roundId: pinned.round.id, versionId: pinned.indicatorVersion.id, indicatorId: pinned.indicator.id };
}

const commentInput = async (fx: Fixtures) => {
  const { roundId, versionId } = await pinnedVersion(fx);
  return { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body: `Comentario de prueba ${fx.unique()}` };
};

/**
 * A fresh comment by the caller, so the author-only rule lets them edit it; the anonymous caller
 * and the member of another organization get the member's comment, which is not theirs.
 */
async function ownComment(fx: Fixtures, caller: Caller) {
  const author = caller === 'anonymous' || caller === 'otherOrganization' ? 'member' : caller;
  const client = await fx.setup(author);
  const { addComment } = await client.data(ADD, { input: await commentInput(fx) });
  return addComment.id as string;
}

const DAY = 86_400_000;
/** When a fresh round opens and closes, from now: a round created published takes its times as given, past ones too. */
const TIMES = { scheduled: [DAY, 30 * DAY], open: [-60_000, 30 * DAY], closed: [-30 * DAY, -DAY] } as const;

/**
 * A fresh round on the SPWG framework, so changing it disturbs nothing: not open yet, open since a
 * minute ago, or closed yesterday with no comment (so none awaits a disposition).
 */
export async function freshRound(fx: Fixtures, state: keyof typeof TIMES = 'scheduled') {
  const facilitator = await fx.setup('facilitator');
  const { createRound } = await facilitator.data(
    `mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`,
    { input: await roundInput(fx, state) },
  );
  return createRound.id as string;
}

const roundInput = async (fx: Fixtures, state: keyof typeof TIMES = 'scheduled') => ({
  frameworkId: await fx.id(Framework, { slug: SPWG }),
  title: { es: `Ronda de prueba ${fx.unique()}` },
  opensAt: new Date(Date.now() + TIMES[state][0]).toISOString(),
  closesAt: new Date(Date.now() + TIMES[state][1]).toISOString(),
});

const AUTHOR_ONLY: OperationRow['cells'] = { otherOrganization: 'FORBIDDEN' };

/**
 * Reading a round is for its audience and facilitators. These rows read the working group's round:
 * the members of REDCAMIF and RFR are in its audience, the stakeholder (an MFI in Peru) is not.
 * The other ways in (WebSocket, exports, search, ballots) are tested in rounds/round-audience.test.ts.
 */
const WORKING_GROUP_ONLY = { rule: 'the round’s audience and facilitators (FORBIDDEN NOT_IN_AUDIENCE outside it)', cells: { stakeholder: 'FORBIDDEN' } } as const;

export const consultationQueries: Record<string, OperationRow> = {
  rounds: { minimum: 'signedIn', rule: 'lists only the rounds the viewer may read', document: `{ rounds { id } }` },
  round: {
    minimum: 'signedIn',
    ...WORKING_GROUP_ONLY,
    document: `query($id: ID!) { round(id: $id) { id } }`,
    variables: async (fx) => ({ id: (await workingGroupRound(fx.api)).roundId }),
  },
  myRoundProgress: {
    minimum: 'signedIn',
    ...WORKING_GROUP_ONLY,
    document: `query($roundId: ID!) { myRoundProgress(roundId: $roundId) { commentedCount } }`,
    variables: async (fx) => ({ roundId: (await workingGroupRound(fx.api)).roundId }),
  },
  roundComments: {
    minimum: 'signedIn',
    ...WORKING_GROUP_ONLY,
    document: `query($roundId: ID!) { roundComments(roundId: $roundId, first: 5) { totalCount } }`,
    variables: async (fx) => ({ roundId: (await workingGroupRound(fx.api)).roundId }),
  },
  comment: {
    minimum: 'signedIn',
    ...WORKING_GROUP_ONLY,
    document: `query($id: ID!) { comment(id: $id) { id } }`,
    variables: async (fx) => ({ id: (await workingGroupRound(fx.api)).commentId }),
  },
};

export const consultationMutations: Record<string, OperationRow> = {
  createRound: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`,
    variables: async (fx) => ({ input: await roundInput(fx) }),
  },
  openRoundNow: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { openRoundNow(id: $id) { id } }`,
    variables: async (fx) => ({ id: await freshRound(fx) }),
  },
  extendRound: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!, $closesAt: DateTimeISO!) { extendRound(id: $id, closesAt: $closesAt) { id } }`,
    variables: async (fx) => ({ id: await freshRound(fx), closesAt: new Date(Date.now() + 60 * DAY).toISOString() }),
  },
  closeRoundNow: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { closeRoundNow(id: $id) { id } }`,
    variables: async (fx) => ({ id: await freshRound(fx, 'open') }),
  },
  resolveRound: {
    minimum: Role.FACILITATOR,
    rule: 'only a closed round whose comments all have a disposition (refused with CONFLICT otherwise)',
    document: `mutation($id: ID!) { resolveRound(id: $id) { id } }`,
    variables: async (fx) => ({ id: await freshRound(fx, 'closed') }),
  },
  addComment: {
    minimum: Role.STAKEHOLDER,
    rule: 'in the round’s audience, while it is open (tested in comments/participation.test.ts)',
    document: ADD,
    variables: async (fx) => ({ input: await commentInput(fx) }),
  },
  replyToComment: {
    minimum: Role.STAKEHOLDER,
    document: `mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`,
    variables: async (fx) => ({ input: { parentId: await ownComment(fx, 'member'), body: `Respuesta ${fx.unique()}` } }),
  },
  editComment: {
    minimum: Role.STAKEHOLDER,
    rule: 'the author only',
    cells: AUTHOR_ONLY,
    document: `mutation($id: ID!, $input: EditCommentInput!) { editComment(id: $id, input: $input) { id } }`,
    variables: async (fx, caller) => ({ id: await ownComment(fx, caller), input: { body: `Texto corregido ${fx.unique()}` } }),
  },
  withdrawComment: {
    minimum: Role.STAKEHOLDER,
    rule: 'the author only',
    cells: AUTHOR_ONLY,
    document: `mutation($id: ID!) { withdrawComment(id: $id) { id } }`,
    variables: async (fx, caller) => ({ id: await ownComment(fx, caller) }),
  },
  setDispositions: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: DispositionInput!) { setDispositions(input: $input) { id } }`,
    variables: async (fx) => ({ input: { commentIds: [await ownComment(fx, 'member')], status: 'NOTED', response: 'Gracias.' } }),
  },
  ratePractice: {
    minimum: Role.STAKEHOLDER,
    rule: 'in a round that takes ratings, while it is open',
    document: `mutation($input: RatePracticeInput!) { ratePractice(input: $input) { id } }`,
    variables: async (fx) => {
      const roundId = await openRound(fx, 'usspm');
      const pinned = await fx.em().findOneOrFail(RoundVersion, { round: roundId }, { orderBy: { position: 'asc' } });
      return { input: { roundId, indicatorId: pinned.indicator.id, value: 'ESSENTIAL' } };
    },
  },
};
