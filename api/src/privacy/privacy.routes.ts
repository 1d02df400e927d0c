import express, { type Request, type Response, type Router } from 'express';
import { parse as parseCookies } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import { requireViewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { downloadRefusal } from '../errors.js';
import { contentDisposition } from '../exports/export.routes.js';
import { personalData } from './privacy.service.js';

/** `GET /exports/me.json`: everything Consulta holds about the signed-in person, as a file (a plain link: no JavaScript needed). */
export function privacyRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/me.json', async (req: Request, res: Response) => {
    const em = orm.em.fork();
    try {
      const viewer = requireViewer(await viewerForToken(em, parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE]));
      const data = await personalData(em, viewer);
      res.status(200);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Disposition', contentDisposition(`consulta-${new Date().toISOString().slice(0, 10)}.json`));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.send(JSON.stringify(data, null, 2));
    } catch (err) {
      const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'personal data download failed'));
      res.status(refusal.status).json(refusal.body);
    }
  });
  return router;
}
