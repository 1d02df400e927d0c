/** The export operations' rows of the authorization matrix (authorization/authorization-matrix.ts). The file downloads are covered in exports.test.ts. */
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { Role } from '../../../api/src/users/user.entity.js';
import type { OperationRow } from '../authorization/operation-row.js';

export const exportQueries: Record<string, OperationRow> = {
  roundDispositionSummary: {
    minimum: 'signedIn',
    rule: 'facilitators always; others once the summary is published (FORBIDDEN before)',
    cells: { stakeholder: 'FORBIDDEN', member: 'FORBIDDEN', otherOrganization: 'FORBIDDEN' },
    document: `query($roundId: ID!) { roundDispositionSummary(roundId: $roundId) { total } }`,
    variables: async (fx) => ({ roundId: await fx.id(ConsultationRound, { publishedSummaryAt: null }) }),
  },
  roundImportPreview: {
    minimum: Role.ADMIN,
    tolerate: ['BAD_USER_INPUT'],
    document: `query($document: JSONObject!) { roundImportPreview(document: $document) { roundId counts { table } } }`,
    variables: async () => ({ document: { format: 'not-a-round' } }),
  },
};

export const exportMutations: Record<string, OperationRow> = {
  publishRoundSummary: {
    minimum: Role.FACILITATOR,
    rule: 'the round must be resolved (CONFLICT before)',
    tolerate: ['CONFLICT'],
    document: `mutation($roundId: ID!) { publishRoundSummary(roundId: $roundId) { id } }`,
    variables: async (fx) => ({ roundId: await fx.id(ConsultationRound, { publishedSummaryAt: null }) }),
  },
  importRound: {
    minimum: Role.ADMIN,
    tolerate: ['BAD_USER_INPUT'],
    document: `mutation($document: JSONObject!) { importRound(document: $document) { roundId } }`,
    variables: async () => ({ document: { format: 'not-a-round' } }),
  },
};
