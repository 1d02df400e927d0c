import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/** Every error code a client can see in `extensions.code`. */
export const ErrorCode = {
  /** No valid session: sign in first. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Signed in, but this role or person may not do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The input is wrong; `extensions.fields` names each field and why. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The thing asked for does not exist (or is not visible to the viewer). */
  NOT_FOUND: 'NOT_FOUND',
  /** The request clashes with the current state: a stale save, a closed round, a duplicate. */
  CONFLICT: 'CONFLICT',
  /** Too many attempts; `extensions.retryAfterSeconds` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * Something broke on our side; the details are in the server log, never in a production response.
   * `extensions.correlationId` names the log line.
   */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldProblem {
  field: string;
  message: string;
}

export interface DomainErrorDetails {
  /** A stable, finer reason a client can translate, e.g. `INVITATION_EXPIRED`. */
  reason?: string;
  fields?: FieldProblem[];
  [key: string]: unknown;
}

/** Services throw this; `formatError` turns it into a GraphQL error with the same code. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string, reason?: string) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, { reason, fields: [{ field, message }] });
export const notFound = (what: string, id?: string) =>
  new DomainError(ErrorCode.NOT_FOUND, id ? `${what} ${id} does not exist` : `${what} does not exist`, {
    reason: 'NOT_FOUND',
  });
export const forbidden = (message = 'You are not allowed to do this', reason?: string) =>
  new DomainError(ErrorCode.FORBIDDEN, message, { reason });
export const conflict = (message: string, details: DomainErrorDetails = {}) =>
  new DomainError(ErrorCode.CONFLICT, message, details);

/** The one mapping from anything thrown to what a client sees. */
export function formatError(
  formatted: GraphQLFormattedError,
  thrown: unknown,
  options: { exposeInternals: boolean; log: (err: unknown, correlationId: string) => void },
): GraphQLFormattedError {
  const original = unwrapResolverError(thrown);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof ArgumentValidationError) {
    const fields = original.extensions.validationErrors.flatMap((e) => flattenValidation(e));
    return {
      ...base,
      message: `Invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields },
    };
  }
  if (isMalformedId(original)) {
    // Every id is a UUID; PostgreSQL is the one place that checks, wherever the id sits in the request.
    return { ...base, message: 'An id in this request is not a valid id (a UUID)', extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'INVALID_ID' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // GraphQL's own errors (parse, validation, variable coercion) are the client's to fix.
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions: options.exposeInternals ? formatted.extensions : extensions };
  }
  // The one thing the client and the log line share, so a person reporting it can be matched with the cause.
  const correlationId = randomUUID();
  options.log(original, correlationId);
  return {
    ...base,
    message: options.exposeInternals && original instanceof Error ? original.message : `Internal server error (reference ${correlationId})`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId },
  };
}

/** PostgreSQL's invalid_text_representation, for a uuid column given something else. */
function isMalformedId(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === '22P02' && /type uuid/.test(err.message);
}

interface ValidationNode {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationNode[];
}

function flattenValidation(node: ValidationNode, prefix = ''): FieldProblem[] {
  const field = prefix ? `${prefix}.${node.property}` : node.property;
  const own = Object.values(node.constraints ?? {}).map((message) => ({ field, message }));
  return [...own, ...(node.children ?? []).flatMap((child) => flattenValidation(child, field))];
}

/** For code outside resolvers (HTTP endpoints) that needs the same vocabulary. */
export function toGraphQLError(err: DomainError): GraphQLError {
  return new GraphQLError(err.message, { extensions: { code: err.code, ...err.details } });
}
