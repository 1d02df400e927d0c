/** The participation operations' rows of the authorization matrix (authorization/authorization-matrix.ts). */
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD } from '../../support/api.js';
import type { OperationRow } from '../authorization/operation-row.js';

const aRound = (fx: Parameters<NonNullable<OperationRow['variables']>>[0]) => fx.id(ConsultationRound, { draft: false, audienceWorkingGroup: false });

export const participationQueries: Record<string, OperationRow> = {
  publicFrameworks: { minimum: 'public', document: `{ publicFrameworks(language: ES) { slug releases { number } } }` },
  publicRelease: { minimum: 'public', document: `{ publicRelease(frameworkSlug: "usspm", number: "2026.1", language: EN) { number final } }` },
  publicRounds: { minimum: 'public', document: `{ publicRounds(language: ES) { id status } }` },
  publicRound: { minimum: 'public', document: `query($id: ID!) { publicRound(id: $id, language: ES) { round { id } } }`, variables: async (fx) => ({ id: await aRound(fx) }) },
  publicComments: {
    minimum: 'public',
    document: `query($roundId: ID!) { publicComments(roundId: $roundId) { nodes { id author { name organization } } } }`,
    variables: async (fx) => ({ roundId: await aRound(fx) }),
  },
};

export const directoryQueries: Record<string, OperationRow> = {
  peoplePage: { minimum: Role.FACILITATOR, document: `{ peoplePage(first: 5, filter: { search: "a" }) { totalCount nodes { id } pageInfo { endCursor } } }` },
  organizationPage: { minimum: 'signedIn', document: `{ organizationPage(first: 5) { totalCount nodes { id } } }` },
};

export const participationMutations: Record<string, OperationRow> = {
  setRoundPublication: {
    minimum: Role.FACILITATOR,
    document: `mutation($roundId: ID!, $input: RoundPublicationInput!) { setRoundPublication(roundId: $roundId, input: $input) { id } }`,
    variables: async (fx) => ({ roundId: await aRound(fx), input: { commentsPublic: false, publicAuthors: 'ORGANIZATION' } }),
  },
};

export const privacyQueries: Record<string, OperationRow> = {
  myPersonalData: { minimum: 'signedIn', document: `{ myPersonalData }` },
};

export const privacyMutations: Record<string, OperationRow> = {
  deleteMyAccount: {
    minimum: 'signedIn',
    rule: 'Only with the person’s own password; a wrong one changes nothing (BAD_USER_INPUT WRONG_PASSWORD).',
    document: `mutation($password: String!, $comments: CommentsOnDeletion!) { deleteMyAccount(password: $password, comments: $comments) }`,
    // The matrix's callers are the shared demo accounts: a wrong password proves the gate without deleting them.
    variables: () => ({ password: 'not-the-password', comments: 'KEEP_AS_FORMER_PARTICIPANT' }),
    tolerate: ['BAD_USER_INPUT'],
    asFreshAccount: async (fx) => {
      const em = fx.em();
      const user = em.create(User, {
        email: `de.paso.${fx.unique()}@example.org`,
        name: 'Persona de Paso',
        roles: [Role.STAKEHOLDER],
        passwordHash: await fx.api.app.hasher.hash(DEMO_PASSWORD),
        emailConfirmedAt: new Date(),
      });
      await em.flush();
      return { client: await fx.api.as(user.email), variables: { password: DEMO_PASSWORD, comments: 'KEEP_AS_FORMER_PARTICIPANT' } };
    },
  },
};
