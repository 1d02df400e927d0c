/** The revision workbench's rows of the authorization matrix (authorization/authorization-matrix.ts). */
import { Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { Role } from '../../../api/src/users/user.entity.js';
import type { OperationRow } from '../authorization/operation-row.js';

export const revisionQueries: Record<string, OperationRow> = {
  revisionPreview: {
    minimum: Role.FACILITATOR,
    document: `query($input: RevisionPreviewInput!) { revisionPreview(input: $input) { field language changed } }`,
    variables: async (fx) => {
      const indicator = await fx.em().findOneOrFail(Indicator, { code: 'RUR-06' });
      return { input: { basedOnVersionId: indicator.currentVersion!.id, texts: { statement: { es: `Vista previa ${fx.unique()}` } } } };
    },
  },
};
