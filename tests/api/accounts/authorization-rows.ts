/**
 * The accounts operations' rows of the authorization matrix (authorization/authorization-matrix.ts):
 * the development mailbox, self-registration, password reset, the account page and suspension.
 */
import type { OperationRow } from '../authorization/authorization-matrix.js';

export const accountQueries: Record<string, OperationRow> = {
  developmentMailbox: { minimum: 'public', rule: 'anyone, outside production and only while no SMTP_URL is set (NOT_FOUND otherwise)', document: `{ developmentMailbox { id subject } }` },
  developmentMailboxMessage: {
    minimum: 'public',
    rule: 'anyone, outside production and only while no SMTP_URL is set (NOT_FOUND otherwise)',
    document: `query($id: ID!) { developmentMailboxMessage(id: $id) { text } }`,
    variables: () => ({ id: '00000000-0000-4000-8000-000000000000' }),
    tolerate: ['NOT_FOUND'],
  },
};

export const accountMutations: Record<string, OperationRow> = {};
