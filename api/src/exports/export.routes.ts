import express, { type Request, type Response, type Router } from 'express';
import { parse as parseCookies } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import { requireViewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { downloadRefusal } from '../errors.js';
import { CONTENT_TYPES, parseExportRequest } from './export-request.js';
import { prepareExport, writeExport } from './export.service.js';

/** RFC 6266 with RFC 5987's `filename*` for the real (accented) name, and an ASCII one for old clients. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * `GET /exports/rounds/:roundId?format=csv|xlsx|pdf|json&language=es&types=TECHNICAL…`: the
 * round's consolidated feedback as a file, for facilitators, signed in with the session cookie.
 * Errors answer JSON with the same codes as the GraphQL API: `{ "code": "FORBIDDEN", "message": … }`.
 */
export function exportRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/rounds/:roundId', async (req: Request<{ roundId: string }>, res: Response) => {
    const em = orm.em.fork();
    let prepared;
    try {
      const viewer = requireViewer(await viewerForToken(em, parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE]));
      const request = await parseExportRequest(req.query as Record<string, unknown>);
      prepared = await prepareExport(em, viewer, req.params.roundId, request);
    } catch (err) {
      const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'export could not start'));
      res.status(refusal.status).json(refusal.body);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[prepared.request.format]);
    res.setHeader('Content-Disposition', contentDisposition(prepared.fileName));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await writeExport(em, prepared, res);
    } catch (err) {
      // Headers are gone: all that is left is to cut the download so the client sees it failed.
      if (!req.socket.destroyed || (err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        app.log.error({ err, roundId: req.params.roundId }, 'export failed while streaming');
      }
      res.destroy();
    }
  });
  return router;
}
