import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { Locale } from '../users/user.entity.js';
import { certificateOf, certificatePdf } from './certificate.js';
import { refuse, safeFileHeaders, sessionViewer, UUID } from './file-transfer.js';

/** Where a signed-in browser downloads a seal's certificate. */
export const certificatePath = (sealId: string) => `/exports/certification/seals/${sealId}/certificate.pdf`;

/**
 * `GET /exports/certification/seals/:id/certificate.pdf[?language=es|en|pt|fr]`: the seal's
 * certificate with its verification code, in the language asked for (by default the reader's own),
 * for whoever may read the assessment behind it (404 for anyone else). The code itself is checked
 * signed out on the public verification page, which this does not change.
 */
export function certificateRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/seals/:id/certificate.pdf', async (req: Request<{ id: string }>, res: Response) => {
    let certificate;
    try {
      const viewer = await sessionViewer(orm, req);
      if (!UUID.test(req.params.id)) throw notFound('Seal', req.params.id);
      const asked = req.query.language;
      if (asked !== undefined && !Object.values(Locale).includes(asked as Locale)) throw badInput('language', `Choose one of ${Object.values(Locale).join(', ')}`);
      const em = orm.em.fork();
      em.merge(viewer.user);
      certificate = await certificateOf(em, viewer, req.params.id, (asked as Locale | undefined) ?? viewer.user.language, app.config.PUBLIC_URL);
    } catch (err) {
      refuse(res, app, err, 'certificate download');
      return;
    }
    res.status(200);
    safeFileHeaders(res, 'application/pdf', `certificate-${certificate.seal.code}.pdf`);
    try {
      await pipeline(await certificatePdf(certificate), res);
    } catch (err) {
      app.log.error({ err, sealId: certificate.seal.id }, 'certificate download failed while streaming');
      res.destroy();
    }
  });
  return router;
}
