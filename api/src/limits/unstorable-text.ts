import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../errors.js';

/**
 * PostgreSQL cannot store two things JavaScript strings may hold: U+0000 (in text and jsonb) and a
 * lone UTF-16 surrogate (jsonb rejects it, text would silently turn it into U+FFFD). Either would
 * surface as a database error (a 500) or as quietly changed text, so one check on every field's
 * arguments refuses them as BAD_USER_INPUT naming the field, before any resolver or write.
 */
export const rejectUnstorableText: MiddlewareFn = ({ args }, next) => {
  const problem = findUnstorable(args, '');
  if (problem) {
    const { field, nul } = problem;
    throw nul
      ? badInput(field, `${field} must not contain NUL (U+0000) characters`, 'NUL_CHARACTER')
      : badInput(field, `${field} must be valid Unicode text (it holds a lone UTF-16 surrogate)`, 'INVALID_UNICODE');
  }
  return next();
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function findUnstorable(value: unknown, path: string): { field: string; nul: boolean } | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field: path, nul: true };
    return LONE_SURROGATE.test(value) ? { field: path, nul: false } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = findUnstorable(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
