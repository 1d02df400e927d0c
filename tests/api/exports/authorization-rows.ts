/** The export operations' rows of the authorization matrix (authorization/authorization-matrix.ts). The file downloads are covered in exports.test.ts. */
import { randomUUID } from 'node:crypto';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { Role } from '../../../api/src/users/user.entity.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';
import { freshRound } from '../comments/authorization-rows.js';
import { download, type RoundDocument } from './fixtures.js';

/** A fresh round resolved by the facilitator (closed with no comment awaiting a disposition), its summary not published yet. */
async function resolvedRound(fx: Fixtures) {
  const id = await freshRound(fx, 'closed');
  await (await fx.setup('facilitator')).data(`mutation($id: ID!) { resolveRound(id: $id) { id } }`, { id });
  return id;
}

/** A fresh round's export under new ids for its own rows (the shared ones are here already): to this instance, a round from elsewhere. */
async function foreignRoundDocument(fx: Fixtures) {
  const { body, json } = await download(fx.api, await fx.setup('facilitator'), await freshRound(fx), { format: 'json' });
  const { tables } = json() as RoundDocument;
  let text = body.toString('utf8');
  for (const row of [...tables.consultation_round, ...tables.round_version]) text = text.replaceAll(String(row.id), randomUUID());
  return JSON.parse(text) as RoundDocument;
}

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
    document: `mutation($roundId: ID!) { publishRoundSummary(roundId: $roundId) { id } }`,
    variables: async (fx) => ({ roundId: await resolvedRound(fx) }),
  },
  importRound: {
    minimum: Role.ADMIN,
    document: `mutation($document: JSONObject!) { importRound(document: $document) { roundId } }`,
    variables: async (fx) => ({ document: await foreignRoundDocument(fx) }),
  },
};
