import express, { type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import { downloadRefusal } from '../errors.js';
import { unsubscribe } from './notification.service.js';

/**
 * `/unsubscribe?token=…`, the address of every notification mail's List-Unsubscribe header. A mail
 * provider's one-click button POSTs to it (RFC 8058: `List-Unsubscribe=One-Click`, no cookie, no
 * origin), which stops the mail's kind. A person who opens the address instead gets the web's page
 * with its button, so a link scanner's GET changes nothing.
 */
export function notificationRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  const token = (req: Request) => (typeof req.query.token === 'string' ? req.query.token : '');
  router.get('/', (req: Request, res: Response) => {
    res.redirect(303, new URL(`/notifications/unsubscribe?token=${encodeURIComponent(token(req))}`, app.config.PUBLIC_URL).href);
  });
  router.post('/', async (req: Request, res: Response) => {
    try {
      await orm.em.fork().transactional((em) => unsubscribe(em, token(req).slice(0, 300)));
      res.status(200).type('text/plain').send('Unsubscribed\n');
    } catch (err) {
      const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'one-click unsubscribe failed'));
      res.status(refusal.status).json(refusal.body);
    }
  });
  return router;
}
