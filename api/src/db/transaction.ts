import type { GraphQLField } from 'graphql';
import { Extensions, type MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../context.js';

const ONE_STATEMENT = 'oneStatement';

/**
 * Marks a mutation whose service reads, checks and writes in a single SQL statement. PostgreSQL
 * runs a statement as a transaction of its own, so such a mutation goes without BEGIN and COMMIT,
 * two of its four round trips to the database: castVote, the hot write of a ballot.
 */
export const OneStatement = (): MethodDecorator => Extensions({ [ONE_STATEMENT]: true });

/**
 * Every root mutation runs in one transaction: it commits when the resolver returns and rolls
 * back when it throws, so nothing is half-written (a OneStatement mutation's statement is its
 * transaction). What follows a commit goes through the job queue (`enqueueAfterCommit`, or a job
 * added in the transaction), never a hook of the request's.
 */
export const mutationTransaction = (field: GraphQLField<unknown, unknown>): MiddlewareFn<RequestContext> => {
  const oneStatement = Boolean(field.extensions[ONE_STATEMENT]);
  return async ({ context }, next) => {
    if (oneStatement) return next();
    const outer = context.em;
    try {
      return await outer.transactional(async (em) => {
        context.em = em;
        // The viewer was loaded before the transaction; relations it loads must come through the
        // transaction's connection, or they would wait for it (the embedded database has one).
        if (context.viewer) em.merge(context.viewer.user);
        return next();
      });
    } finally {
      context.em = outer;
    }
  };
};
