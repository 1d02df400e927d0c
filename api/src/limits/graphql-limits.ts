import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ErrorRequestHandler } from 'express';
import type { ValidationRule } from 'graphql';
import type { Config } from '../config.js';
import { ErrorCode } from '../errors.js';

/**
 * Per-operation limits, checked while parsing and validating, before any resolver runs.
 * A refused operation answers HTTP 400 with `extensions.code` GRAPHQL_VALIDATION_FAILED
 * (depth, aliases, directives, cost) or GRAPHQL_PARSE_FAILED (tokens), like any other
 * malformed operation: nothing the client can retry unchanged.
 */
export function graphqlLimits(config: Config): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[]; maxTokens: number } {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST },
    // Counted by graphql-js's own parser (parseOptions.maxTokens) instead: armor's token plugin
    // throws from a plugin hook, which Apollo answers with a 500.
    maxTokens: { enabled: false },
    // "Did you mean …" hints map a hidden schema; keep them where introspection is on anyway.
    blockFieldSuggestion: { enabled: !config.introspection },
  }).protect();
  return { plugins: plugins as ApolloServerPlugin[], validationRules, maxTokens: config.GRAPHQL_MAX_TOKENS };
}

/**
 * Body-parser failures (too large, not JSON) answered the GraphQL way: a JSON body with
 * `errors[0].extensions.code`, instead of Express's HTML page.
 */
export const requestBodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') {
    res.status(413).json({
      errors: [{ message: 'The request body is too large', extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'REQUEST_TOO_LARGE' } }],
    });
    return;
  }
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    res.status(400).json({
      errors: [{ message: 'The request body is not valid JSON', extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'MALFORMED_REQUEST' } }],
    });
    return;
  }
  next(err);
};
