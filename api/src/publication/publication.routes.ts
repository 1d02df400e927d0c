import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import { badInput, downloadRefusal } from '../errors.js';
import { csvLine } from '../exports/csv.export.js';
import { exportLabels } from '../exports/export-labels.js';
import { contentDisposition } from '../exports/export.routes.js';
import { shownName } from '../privacy/former-participant.js';
import { Locale } from '../users/user.entity.js';
import { publicCommentPages, publicRoundPage } from './publication.service.js';

/**
 * `GET /exports/public/rounds/:roundId/comments.csv?language=es`: a closed round's public comments, for
 * anyone, signed out too. It reads through the same function as the public page, so it shows exactly
 * what the round's setting lets the public see (nothing at all when its comments are not public).
 */
export function publicationRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/rounds/:roundId/comments.csv', async (req: Request<{ roundId: string }>, res: Response) => {
    const em = orm.em.fork();
    let language: Locale;
    try {
      const asked = req.query.language ?? Locale.ES;
      if (typeof asked !== 'string' || !Object.values(Locale).includes(asked as Locale)) throw badInput('language', `Choose one of ${Object.values(Locale).join(', ')}`);
      language = asked as Locale;
      const page = await publicRoundPage(em, req.params.roundId, language);
      if (!page.round.commentsPublic) throw badInput('roundId', 'This round’s comments are not public');
    } catch (err) {
      const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'public comments download could not start'));
      res.status(refusal.status).json(refusal.body);
      return;
    }
    const labels = exportLabels(language);
    const columns = ['commentId', 'indicatorCode', 'commentType', 'author', 'organization', 'country', 'comment', 'proposedChange', 'disposition', 'response'] as const;
    async function* rows() {
      yield `\uFEFF${csvLine(columns.map((c) => labels.columns[c]))}`;
      for await (const page of publicCommentPages(em, req.params.roundId)) {
        yield page
          .map((c) =>
            csvLine([c.id, c.indicatorCode ?? '', c.type ? labels.commentType[c.type] : '', (c.author.name === null ? '' : shownName(c.author.name, language)), c.author.organization ?? '', c.author.country ?? '', c.body, c.proposedChange ?? '', labels.disposition[c.disposition ?? 'NONE'], c.response ?? '']),
          )
          .join('');
      }
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', contentDisposition(`${labels.fileStem.table}-${req.params.roundId}.csv`));
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await pipeline(Readable.from(rows()), res);
    } catch (err) {
      app.log.error({ err, roundId: req.params.roundId }, 'public comments download failed while streaming');
      res.destroy();
    }
  });
  return router;
}
