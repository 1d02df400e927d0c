import express, { type Request, type Response, type Router } from 'express';
import { parse as parseCookies } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import { requireViewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { badInput, downloadRefusal } from '../errors.js';
import { CONTENT_TYPES, ExportFormat } from '../exports/export-request.js';
import { contentDisposition } from '../exports/export.routes.js';
import { message } from '../i18n/messages.js';
import { Locale } from '../users/user.entity.js';
import { workPlanWorkbook } from './workplan-sheet.js';
import { planOfYear } from './workplan.service.js';

/**
 * `GET /exports/workplan/:year.xlsx?language=es|en|pt|fr`: a year's work plan as a spreadsheet, for
 * the working group and the facilitators, signed in with the session cookie (by default in the
 * person's own language). Errors answer JSON with the GraphQL API's codes.
 */
export function workPlanRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/:file', async (req: Request<{ file: string }>, res: Response) => {
    const em = orm.em.fork();
    try {
      const match = /^(\d{4})\.xlsx$/.exec(req.params.file);
      if (!match) throw badInput('year', 'Ask for <year>.xlsx');
      const asked = req.query.language;
      if (asked !== undefined && !(Object.values(Locale) as unknown[]).includes(asked)) throw badInput('language', `Choose one of ${Object.values(Locale).join(', ')}`);
      const viewer = requireViewer(await viewerForToken(em, parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE]));
      const plan = await planOfYear(em, viewer, Number(match[1]));
      const language = (asked as Locale | undefined) ?? viewer.user.language;
      const workbook = await workPlanWorkbook(em, viewer, plan, language, app.config.PUBLIC_URL);
      const body = Buffer.from(await workbook.xlsx.writeBuffer());
      res.status(200);
      res.setHeader('Content-Type', CONTENT_TYPES[ExportFormat.XLSX]);
      res.setHeader('Content-Disposition', contentDisposition(`${message(language, 'workplan.fileStem')}-${plan.year}.xlsx`));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(body);
    } catch (err) {
      const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'work plan download could not start'));
      res.status(refusal.status).json(refusal.body);
    }
  });
  return router;
}
