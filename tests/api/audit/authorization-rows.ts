/** The audit log's rows of the authorization matrix (authorization/authorization-matrix.ts). The CSV download is covered in audit-log-reading.test.ts. */
import { Role } from '../../../api/src/users/user.entity.js';
import type { OperationRow } from '../authorization/operation-row.js';

export const auditQueries: Record<string, OperationRow> = {
  auditEntries: {
    minimum: Role.FACILITATOR,
    rule: 'facilitators and admins read the whole log',
    document: `query($filter: AuditFilter, $first: Int, $after: String) { auditEntries(filter: $filter, first: $first, after: $after) { nodes { id action } } }`,
    variables: () => ({ filter: { action: 'user.' }, first: 5 }),
  },
};
