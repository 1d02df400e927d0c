/** The ballot and revision operations' rows of the authorization matrix (authorization/authorization-matrix.ts). */
import { Ballot, BallotEligibility } from '../../../api/src/ballots/ballot.entity.js';
import { BallotQuestion } from '../../../api/src/ballots/ballot-question.entity.js';
import { Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { Role } from '../../../api/src/users/user.entity.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';
import { CREATE_BALLOT, OPEN_BALLOT, PROPOSE } from './fixtures.js';

/** A fresh proposed revision of RUR-06 (the facilitator's), with a unique statement. */
async function proposedRevision(fx: Fixtures) {
  const indicator = await fx.em().findOneOrFail(Indicator, { code: 'RUR-06' });
  const facilitator = await fx.setup('facilitator');
  const { proposeRevision } = await facilitator.data(PROPOSE, { input: revisionInput(indicator, fx.unique()) });
  return proposeRevision.id as string;
}

const revisionInput = (indicator: Indicator, suffix: string) => ({
  indicatorId: indicator.id,
  basedOnVersionId: indicator.currentVersion!.id,
  texts: { title: { es: `Revisión ${suffix}` } },
  changeSummary: 'Prueba de permisos.',
});

const ballotInput = (revisionId: string) => ({
  title: { es: 'Votación de permisos' },
  revisionIds: [revisionId],
  eligibility: 'MEMBERS',
  opensAt: new Date(Date.now() - 60_000).toISOString(),
  closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  quorum: { numerator: 1, denominator: 2 },
  rule: 'SIMPLE_MAJORITY',
  secrecy: 'OPEN',
});

/** A fresh draft ballot on a fresh revision; opened when `open`. */
async function ballot(fx: Fixtures, open: boolean) {
  const facilitator = await fx.setup('facilitator');
  const { createBallot } = await facilitator.data(CREATE_BALLOT, { input: ballotInput(await proposedRevision(fx)) });
  if (open) await facilitator.data(OPEN_BALLOT, { id: createBallot.id });
  return createBallot.id as string;
}

export const ballotQueries: Record<string, OperationRow> = {
  ballots: { minimum: 'signedIn', rule: 'drafts only for facilitators; committee ballots only for the committee and facilitators', document: `{ ballots { id } }` },
  ballot: {
    minimum: 'signedIn',
    rule: 'drafts only for facilitators, committee ballots only for the committee and facilitators (NOT_FOUND for others; certification/committee-ballot.test.ts)',
    document: `query($id: ID!) { ballot(id: $id) { id } }`,
    variables: async (fx) => ({ id: await fx.id(Ballot, { frozenAt: { $ne: null }, eligibility: { $ne: BallotEligibility.COMMITTEE } }) }),
  },
  revisionsAwaitingBallot: { minimum: Role.FACILITATOR, document: `{ revisionsAwaitingBallot { id } }` },
};

export const ballotMutations: Record<string, OperationRow> = {
  proposeRevision: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: ProposeRevisionInput!) { proposeRevision(input: $input) { id } }`,
    variables: async (fx) => ({ input: revisionInput(await fx.em().findOneOrFail(Indicator, { code: 'RUR-06' }), fx.unique()) }),
  },
  createBallot: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: CreateBallotInput!) { createBallot(input: $input) { id } }`,
    variables: async (fx) => ({ input: ballotInput(await proposedRevision(fx)) }),
  },
  openBallot: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { openBallot(id: $id) { id } }`,
    variables: async (fx) => ({ id: await ballot(fx, false) }),
  },
  deleteBallot: {
    minimum: Role.FACILITATOR,
    rule: 'drafts only (CONFLICT once opened)',
    document: `mutation($id: ID!) { deleteBallot(id: $id) }`,
    variables: async (fx) => ({ id: await ballot(fx, false) }),
  },
  closeBallot: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { closeBallot(id: $id) { id } }`,
    variables: async (fx) => ({ id: await ballot(fx, true) }),
  },
  castVote: {
    minimum: 'signedIn',
    rule: 'an eligible voter while the ballot is open: in a working-group ballot a MEMBER itself (facilitators and admins vote only when also members); in a committee ballot its committee (certification/committee-ballot.test.ts)',
    cells: { stakeholder: 'FORBIDDEN', facilitator: 'FORBIDDEN', admin: 'FORBIDDEN' },
    document: `mutation($input: CastVoteInput!) { castVote(input: $input) { id } }`,
    variables: async (fx) => ({
      input: {
        questionId: await fx.id(BallotQuestion, { outcome: null, ballot: { eligibility: BallotEligibility.MEMBERS, frozenAt: { $ne: null }, closedAt: null, closesAt: { $gt: new Date() } } }),
        choice: 'ABSTAIN',
      },
    }),
  },
};
