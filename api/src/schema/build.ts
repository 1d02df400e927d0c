import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../auth/auth-checker.js';
import { mutationTransaction } from '../db/transaction.js';
import { rejectNulCharacters } from '../limits/nul-characters.js';
import { resolvers } from './resolvers.js';

let built: Promise<GraphQLSchema> | undefined;

/** Builds the schema once per process; type-graphql's metadata is global, so building twice gains nothing. */
export function buildApiSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    globalMiddlewares: [rejectNulCharacters, mutationTransaction],
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
  return built;
}
