import type { MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../context.js';

/**
 * Every root mutation runs in one transaction: it commits when the resolver returns and rolls
 * back when it throws, so nothing is half-written. Work queued with `afterCommit` (events for
 * subscribers) runs only once the commit has succeeded.
 */
export const mutationTransaction: MiddlewareFn<RequestContext> = async ({ context }, next) => {
  const outer = context.em;
  const outerAfterCommit = context.afterCommit;
  const pending: Array<() => void | Promise<void>> = [];
  context.afterCommit = (fn) => void pending.push(fn);
  try {
    const result = await outer.transactional(async (em) => {
      context.em = em;
      // The viewer was loaded before the transaction; relations it loads must come through the
      // transaction's connection, or they would wait for it (the embedded database has one).
      if (context.viewer) em.merge(context.viewer.user);
      return next();
    });
    for (const fn of pending) {
      try {
        await fn();
      } catch (err) {
        context.app.log.error({ err }, 'after-commit hook failed');
      }
    }
    return result;
  } finally {
    context.em = outer;
    context.afterCommit = outerAfterCommit;
  }
};
