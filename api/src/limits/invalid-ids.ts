import { GraphQLID, isInputObjectType, isListType, isNonNullType, type GraphQLArgument, type GraphQLInputType } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../errors.js';

/** Every id of this API is a UUID, in the form the API gives them out. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value of this type can hold an id anywhere (in a list, in an input's field). */
export function holdsId(type: GraphQLInputType, seen = new Set<GraphQLInputType>()): boolean {
  if (isNonNullType(type) || isListType(type)) return holdsId(type.ofType, seen);
  if (type === GraphQLID) return true;
  if (!isInputObjectType(type) || seen.has(type)) return false;
  seen.add(type);
  return Object.values(type.getFields()).some((f) => holdsId(f.type, seen));
}

function invalidIdAt(type: GraphQLInputType, value: unknown, path: string): string | null {
  if (value == null) return null;
  if (isNonNullType(type)) return invalidIdAt(type.ofType, value, path);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) {
      const found = invalidIdAt(type.ofType, items[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (type === GraphQLID) return UUID.test(String(value)) ? null : path;
  if (!isInputObjectType(type)) return null;
  for (const field of Object.values(type.getFields())) {
    const found = invalidIdAt(field.type, (value as Record<string, unknown>)[field.name], `${path}.${field.name}`);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses a malformed id as BAD_USER_INPUT naming the argument that holds it (`input.questionId`),
 * before any resolver runs; otherwise PostgreSQL would be the first to notice, wherever the id
 * ended up, and the error could not say which one it was.
 */
export function rejectInvalidIds(args: readonly GraphQLArgument[]): MiddlewareFn {
  return ({ args: values }, next) => {
    for (const arg of args) {
      const path = invalidIdAt(arg.type, values[arg.name], arg.name);
      if (path) throw badInput(path, `${path} is not a valid id (ids are UUIDs)`, 'INVALID_ID');
    }
    return next();
  };
}
