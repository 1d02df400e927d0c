import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../errors.js';

/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in an argument would surface as a
 * database error (a 500). One check for every field's arguments turns it into BAD_USER_INPUT
 * naming the field, before any resolver or transaction work.
 */
export const rejectNulCharacters: MiddlewareFn = ({ args }, next) => {
  const field = nulPath(args, '');
  if (field !== null) throw badInput(field, `${field} must not contain NUL (U+0000) characters`, 'NUL_CHARACTER');
  return next();
};

function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = nulPath(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}
