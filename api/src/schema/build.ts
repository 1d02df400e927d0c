import 'reflect-metadata';
import { buildSchema, getMetadataStorage, type MiddlewareFn } from 'type-graphql';
import { GraphQLBoolean, GraphQLFloat, GraphQLInt, getNamedType, isEnumType, isObjectType, type GraphQLArgument, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { authChecker } from '../auth/auth-checker.js';
import type { RequestContext } from '../context.js';
import { mutationTransaction } from '../db/transaction.js';
import { noPubSub } from '../live/websocket.js';
import { holdsId, rejectInvalidIds } from '../limits/invalid-ids.js';
import { rejectUnstorableText } from '../limits/unstorable-text.js';
import { resolvers } from './resolvers.js';
import { withLanguageArguments } from '../i18n/language-argument.js';

let built: Promise<GraphQLSchema> | undefined;

/** Builds the schema once per process; type-graphql's metadata is global, so building twice gains nothing. */
export function buildApiSchema(): Promise<GraphQLSchema> {
  // type-graphql gives every plain property a resolver of its own, to run field middlewares and
  // field-level auth, neither of which we use; graphql-js reads the property itself, cheaper on a
  // page of thousands of fields.
  for (const type of getMetadataStorage().objectTypes) type.simpleResolvers ??= true;
  built ??= buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    pubSub: noPubSub,
    emitSchemaFile: false,
  })
    .then(withLanguageArguments)
    .then(describeRootTypes)
    .then(applyFieldMiddlewares);
  return built;
}

/** type-graphql declares the root types itself, without a place for their descriptions. */
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const descriptions: [GraphQLObjectType | null | undefined, string][] = [
    [schema.getQueryType(), 'What a client reads. A field needs a session (UNAUTHENTICATED without one) unless its description says otherwise.'],
    [schema.getMutationType(), 'What a client changes. Each mutation runs in one transaction and is audit-logged; a refusal carries its `extensions.code` (and `reason`, `fields` where it helps).'],
    [schema.getSubscriptionType(), 'Live updates over graphql-ws; each event is also kept for catch-up through `liveEventsSince`.'],
  ];
  // The schema is fresh from type-graphql and not yet served, as in withLanguageArguments.
  for (const [type, description] of descriptions) if (type) type.description = description;
  return schema;
}

/**
 * type-graphql's global middlewares would wrap every field of every object in an async chain, so a
 * page of a thousand scalars pays a thousand promises. These only concern fields that take
 * arguments that can hold ids or text (malformed ids, unstorable text) and root mutations (one
 * transaction each), so they wrap just those.
 */
function applyFieldMiddlewares(schema: GraphQLSchema): GraphQLSchema {
  const mutationType = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const chain: MiddlewareFn<RequestContext>[] = [];
      if (field.args.some((arg) => holdsId(arg.type))) chain.push(rejectInvalidIds(field.args));
      if (field.args.some(mayHoldText)) chain.push(rejectUnstorableText);
      if (type === mutationType) chain.push(mutationTransaction(field));
      if (chain.length > 0 && field.resolve) field.resolve = withMiddlewares(field.resolve, chain);
    }
  }
  return schema;
}

/** Enums, numbers and booleans cannot carry a NUL or a lone surrogate (a title's `language`, a page's `first`). */
function mayHoldText(arg: GraphQLArgument): boolean {
  const type = getNamedType(arg.type);
  return !isEnumType(type) && type !== GraphQLInt && type !== GraphQLFloat && type !== GraphQLBoolean;
}

function withMiddlewares(
  resolve: GraphQLFieldResolver<unknown, RequestContext>,
  chain: MiddlewareFn<RequestContext>[],
): GraphQLFieldResolver<unknown, RequestContext> {
  return (root, args, context, info) => {
    const data = { root, args, context, info };
    const run = (index: number): unknown =>
      index === chain.length ? resolve(root, args, context, info) : chain[index](data, async () => run(index + 1));
    return run(0);
  };
}
