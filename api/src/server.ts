import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express, { type Request, type Response } from 'express';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DEVICE_COOKIE } from './auth/device-cookie.js';
import { SESSION_COOKIE, viewerForToken } from './auth/session.service.js';
import { createRequestContext, type AppServices, type RequestContext, type SessionCookie } from './context.js';
import { formatError } from './errors.js';
import { acceptedLanguages } from './frameworks/reading-language.js';
import { buildApiSchema } from './schema/build.js';
import { exportRoutes } from './exports/export.routes.js';
import { auditLogRoutes } from './audit/audit-log.routes.js';
import { releaseRoutes } from './releases/release.routes.js';
import { meetingRoutes, meetingUploadRoutes } from './meetings/meeting.routes.js';
import { workPlanRoutes } from './workplan/workplan.routes.js';
import { certificationDownloadRoutes, certificationUploadRoutes } from './certification/certification.routes.js';
import { publicationRoutes } from './publication/publication.routes.js';
import { privacyRoutes } from './privacy/privacy.routes.js';
import { notificationRoutes } from './notifications/notification.routes.js';
import { graphqlLimits, requestBodyErrors } from './limits/graphql-limits.js';
import { attachSubscriptions } from './live/websocket.js';

export interface Api {
  httpServer: Server;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops taking requests, lets in-flight ones finish, then resolves. */
  stop(): Promise<void>;
}

export async function createApi(orm: MikroORM, app: AppServices): Promise<Api> {
  const schema = await buildApiSchema();
  const http = express();
  const httpServer = createServer(http);
  const { config, log } = app;
  let ready = true;
  const limits = graphqlLimits(config);
  const subscriptions = attachSubscriptions(httpServer, schema, orm, app, limits, acceptedLanguages);

  const apollo = new ApolloServer<RequestContext>({
    schema,
    // Compact JSON: Apollo's default indents every response.
    stringifyResult: (result) => JSON.stringify(result),
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts drains on SIGTERM/SIGINT itself; Apollo's own handler would start a second, concurrent stop that never settles.
    stopOnTerminationSignals: false,
    validationRules: limits.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    includeStacktraceInErrorResponses: config.NODE_ENV === 'development',
    formatError: (formatted, thrown) =>
      formatError(formatted, thrown, {
        exposeInternals: config.NODE_ENV === 'development',
        log: (err, correlationId) => log.error({ err, correlationId }, 'unexpected error in a resolver'),
      }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: () => subscriptions.dispose() }) },
      ...limits.plugins,
      // Nothing here is cached by HTTP caches (answers depend on the session); the default
      // cache-control plugin would still wrap every field resolver of every response.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.NODE_ENV === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  http.disable('x-powered-by');
  http.set('trust proxy', config.TRUST_PROXY);
  http.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  http.get('/readyz', async (_req, res) => {
    try {
      if (!ready) throw new Error('shutting down');
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) });
    }
  });

  http.use('/exports/audit', auditLogRoutes(orm, app));
  http.use('/exports/releases', releaseRoutes(orm, app));
  http.use('/exports/meetings', meetingRoutes(orm, app));
  http.use('/exports/workplan', workPlanRoutes(orm, app));
  http.use('/exports/certification', certificationDownloadRoutes(orm, app));
  http.use('/certification', certificationUploadRoutes(orm, app));
  http.use('/meetings', meetingUploadRoutes(orm, app));
  http.use('/exports/public', publicationRoutes(orm, app));
  http.use('/unsubscribe', notificationRoutes(orm, app));
  http.use('/exports', privacyRoutes(orm, app));
  http.use('/exports', exportRoutes(orm, app));

  http.use(
    '/graphql',
    // Said, not only assumed: no cache keeps an answer, e.g. the viewer's offline key (auth/offline-key.ts).
    (_req: Request, res: Response, next: () => void) => {
      res.setHeader('Cache-Control', 'private, no-store');
      next();
    },
    express.json({ limit: config.GRAPHQL_MAX_BODY_BYTES }),
    requestBodyErrors,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const em = orm.em.fork();
        const cookies = parseCookies(req.headers.cookie ?? '');
        const viewer = await viewerForToken(em, cookies[SESSION_COOKIE]);
        return createRequestContext({ em, viewer, app, cookie: sessionCookie(res, app, cookies[DEVICE_COOKIE] ?? null), ip: clientIp(req), languages: acceptedLanguages(req.headers['accept-language']) });
      },
    }),
  );

  return {
    httpServer,
    listen: (port, host = config.API_HOST) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
      }),
    stop: async () => {
      ready = false;
      await apollo.stop();
    },
  };
}

function sessionCookie(res: Response, app: AppServices, device: string | null): SessionCookie {
  const base = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: app.config.secureCookies };
  return {
    set: (token, expiresAt) => res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, token, { ...base, expires: expiresAt })),
    clear: () => res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { ...base, expires: new Date(0) })),
    device,
    // Signing out keeps it: the browser stays one the person has used.
    setDevice: (value, expiresAt) => res.append('Set-Cookie', serializeCookie(DEVICE_COOKIE, value, { ...base, expires: expiresAt })),
  };
}

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
