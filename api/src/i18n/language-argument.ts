import { isObjectType, type GraphQLArgument, type GraphQLEnumType, type GraphQLSchema } from 'graphql';
import { createParameterDecorator, Extensions } from 'type-graphql';
import type { Locale } from '../users/user.entity.js';

const EXTENSION = 'languageArgument';
const LANGUAGE_ARGUMENT_DESCRIPTION = 'The language to read it in; by default the reader’s own (browser, then account), falling back to the source language.';

/**
 * An optional `language: Locale` argument, read straight from the field's arguments. type-graphql's
 * `@Arg` validates every argument asynchronously, so each object resolving such a field pays a chain
 * of promises, and a round page resolves hundreds of indicator titles (a third of its time). An enum
 * needs no validation beyond GraphQL's own coercion: this marks the field, `withLanguageArguments`
 * declares the argument on the built schema, and the value is read synchronously.
 */
export function LanguageArgument(): ParameterDecorator {
  const read = createParameterDecorator(({ args }) => (args.language as Locale | undefined) ?? null);
  return (prototype, propertyKey, index) => {
    read(prototype, propertyKey!, index);
    Extensions({ [EXTENSION]: true })(prototype, propertyKey as string);
  };
}

export function withLanguageArguments(schema: GraphQLSchema): GraphQLSchema {
  const locale = schema.getType('Locale') as GraphQLEnumType;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.extensions[EXTENSION]) continue;
      // The schema is fresh from type-graphql and not yet served: its field definitions are still ours to complete.
      (field.args as GraphQLArgument[]).push({ name: 'language', description: LANGUAGE_ARGUMENT_DESCRIPTION, type: locale, defaultValue: undefined, deprecationReason: undefined, extensions: {}, astNode: undefined });
    }
  }
  return schema;
}
