import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../auth/auth-checker.js';
import { mutationTransaction } from '../db/transaction.js';
import { noPubSub } from '../live/websocket.js';
import { rejectUnstorableText } from '../limits/unstorable-text.js';
import { resolvers } from './resolvers.js';

let built: Promise<GraphQLSchema> | undefined;

/** Builds the schema once per process; type-graphql's metadata is global, so building twice gains nothing. */
export function buildApiSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    globalMiddlewares: [rejectUnstorableText, mutationTransaction],
    validate: { forbidUnknownValues: false },
    pubSub: noPubSub,
    emitSchemaFile: false,
  });
  return built;
}
