import type { CombinedError } from '@urql/core';

/** What the API said went wrong: `extensions.code`, `reason` and `fields` of the first error. */
export interface Problem {
  code: string;
  reason?: string;
  fields: { field: string; message: string }[];
}

export function problemOf(error: CombinedError | undefined): Problem | null {
  if (!error) return null;
  const first = error.graphQLErrors[0];
  if (!first) return { code: 'NETWORK', fields: [] };
  const ext = first.extensions as { code?: string; reason?: string; fields?: Problem['fields'] };
  return { code: ext.code ?? 'INTERNAL_SERVER_ERROR', reason: ext.reason, fields: ext.fields ?? [] };
}

const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/** The HTTP status of a page or form the API refused, from its `extensions.code`: 502 for anything else (the API failed). */
export const httpStatus = (code: string | undefined) => (code && STATUS[code]) || 502;
