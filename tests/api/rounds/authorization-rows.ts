/** The round-setup operations' rows of the authorization matrix (authorization/authorization-matrix.ts). */
import { Framework } from '../../../api/src/frameworks/framework.entity.js';
import { Role } from '../../../api/src/users/user.entity.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';

const SPWG = 'spwg-lac-certification';

/** A fresh draft on the SPWG framework (every current indicator), made by the facilitator: changing it disturbs nothing. */
async function draftRound(fx: Fixtures) {
  const facilitator = await fx.setup('facilitator');
  const { createRound } = await facilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id indicators { indicatorVersion { id } } } }`, {
    input: {
      frameworkId: await fx.id(Framework, { slug: SPWG }),
      title: { es: `Ronda en preparación ${fx.unique()}` },
      opensAt: new Date(Date.now() + 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      draft: true,
    },
  });
  return { id: createRound.id as string, versionIds: (createRound.indicators as { indicatorVersion: { id: string } }[]).map((i) => i.indicatorVersion.id) };
}

export const roundSetupMutations: Record<string, OperationRow> = {
  updateRoundDraft: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!, $input: UpdateRoundDraftInput!) { updateRoundDraft(id: $id, input: $input) { id } }`,
    variables: async (fx) => {
      const draft = await draftRound(fx);
      return {
        id: draft.id,
        input: {
          title: { es: `Ronda corregida ${fx.unique()}` },
          indicatorVersionIds: draft.versionIds.slice(0, 2),
          opensAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
          closesAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
          audience: { all: false, workingGroup: true },
        },
      };
    },
  },
  scheduleRound: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { scheduleRound(id: $id) { id } }`,
    variables: async (fx) => ({ id: (await draftRound(fx)).id }),
  },
};
