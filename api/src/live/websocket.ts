import type { IncomingMessage, Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parse as parseCookies } from 'cookie';
import { createSourceEventStream, execute, parse, specifiedRules, validate, type ExecutionResult, type GraphQLSchema, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { PubSub } from 'type-graphql';
import { WebSocketServer } from 'ws';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import type { Viewer } from '../auth/viewer.js';
import { createRequestContext, type AppServices, type RequestContext, type SessionCookie } from '../context.js';
import { formatError } from '../errors.js';

/**
 * type-graphql asks for a PubSub as soon as one subscription exists. Ours take their events from
 * the context's bus (each API process has its own, see followTopic in topic-access.ts), so none goes through here.
 */
export const noPubSub: PubSub = {
  publish: () => {
    throw new Error('Publish live events with publishLiveEvent');
  },
  subscribe: () => {
    throw new Error('Subscriptions read from ctx.app.live');
  },
};

type Languages = RequestContext['languages'];

/** A WebSocket has no response to set cookies on: signing in and out happen over HTTP. */
const noCookie: SessionCookie = { set: () => {}, clear: () => {}, device: null, setDevice: () => {} };

const sessionToken = (request: IncomingMessage) => parseCookies(request.headers.cookie ?? '')[SESSION_COOKIE];

/** How often an open socket checks that its session still stands (signed out, revoked, expired, account disabled). */
const SESSION_RECHECK_MS = 60_000;

/**
 * GraphQL subscriptions over WebSocket (the graphql-transport-ws protocol) on the HTTP server's
 * `/graphql`, signed in by the same session cookie as HTTP: no session closes the socket with
 * 4401 Unauthorized. Each subscription checks what the viewer may follow; each event runs in a
 * fresh context (entity manager, loaders), so it reads the data as committed. `languagesOf` reads
 * the reader's languages from the Accept-Language header, as over HTTP.
 */
export function attachSubscriptions(
  httpServer: Server,
  schema: GraphQLSchema,
  orm: MikroORM,
  app: AppServices,
  limits: { validationRules: ValidationRule[]; maxTokens: number },
  languagesOf: (acceptLanguage: string | undefined) => Languages,
) {
  const { config, log } = app;
  const publicOrigin = new URL(config.PUBLIC_URL).origin;
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    // A page on another site must not open a socket with our visitor's cookie (cross-site WebSocket hijacking).
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) => !origin || origin === publicOrigin || URL.parse(origin)?.host === req.headers.host,
  });

  const contextFor = (viewer: Viewer | null, ip: string, languages: Languages): RequestContext =>
    createRequestContext({ em: orm.em.fork(), viewer, app, cookie: noCookie, ip, languages });

  const formatted = (result: ExecutionResult): ExecutionResult =>
    result.errors
      ? {
          ...result,
          errors: result.errors.map((e) =>
            formatError(e.toJSON(), e, { exposeInternals: config.NODE_ENV === 'development', log: (err, correlationId) => log.error({ err, correlationId }, 'unexpected error in a subscription') }),
          ) as unknown as ExecutionResult['errors'],
        }
      : result;

  const server = useServer<Record<string, unknown>, { viewer: Viewer }>(
    {
      schema,
      // The same per-operation limits as over HTTP.
      parse: (source) => parse(source, { maxTokens: limits.maxTokens }),
      validate: (s, document) => validate(s, document, [...specifiedRules, ...limits.validationRules]),
      onConnect: async ({ extra }) => {
        const viewer = await viewerForToken(orm.em.fork(), sessionToken(extra.request));
        if (!viewer) {
          extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        const recheck = setInterval(async () => {
          const still = await viewerForToken(orm.em.fork(), sessionToken(extra.request)).catch(() => viewer);
          if (!still) extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
        }, SESSION_RECHECK_MS).unref();
        extra.socket.once('close', () => clearInterval(recheck));
        return true;
      },
      // The session is read again for every operation: one signed out or revoked meanwhile ends the socket.
      context: async ({ extra }) => {
        const ctx = contextFor(null, extra.request.socket.remoteAddress ?? 'unknown', languagesOf(extra.request.headers['accept-language']));
        ctx.viewer = await viewerForToken(ctx.em, sessionToken(extra.request));
        if (!ctx.viewer) extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
        return ctx;
      },
      subscribe: async (args) => {
        const stream = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in stream)) return stream;
        const { viewer, ip, languages } = args.contextValue as RequestContext;
        return eachEvent(stream, (payload) => execute({ ...args, rootValue: payload, contextValue: contextFor(viewer, ip, languages) }));
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatted(result as ExecutionResult),
      onError: (_ctx, _id, _payload, errors) => formatted({ errors }).errors as never,
    },
    wss,
  );

  return {
    /** Closes every socket (clients reconnect to another process) and stops accepting new ones. */
    dispose: async () => {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Runs `run` for each event of `source`; ending the result ends the source at once. */
function eachEvent(
  source: AsyncIterable<unknown> & { return?: () => Promise<IteratorResult<unknown>> },
  run: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const it = source[Symbol.asyncIterator]();
  return {
    async next() {
      const r = await it.next();
      return r.done ? { value: undefined, done: true } : { value: await run(r.value), done: false };
    },
    return: async () => {
      await it.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
