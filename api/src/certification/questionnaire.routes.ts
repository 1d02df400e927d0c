import express, { type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import { badInput, forbidden, notFound, Refusal } from '../errors.js';
import { Locale } from '../users/user.entity.js';
import { readableAssessment } from './assessment-access.js';
import { auditAssessment } from './assessment.service.js';
import { readBody, refuse, safeFileHeaders, sessionViewer, UPLOAD_HEADER, UUID } from './file-transfer.js';
import { uploadLimits } from './evidence.service.js';
import { importQuestionnaire, questionnaireXlsx } from './questionnaire.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `GET /exports/certification/assessments/:id/questionnaire.xlsx[?language=es|en|pt|fr]`: the
 * assessment as a questionnaire to fill offline, in the language asked for (by default the reader's
 * own), for whoever may read the assessment; each download is audit-logged.
 */
export function questionnaireDownloadRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/assessments/:id/questionnaire.xlsx', async (req: Request<{ id: string }>, res: Response) => {
    try {
      const viewer = await sessionViewer(orm, req);
      if (!UUID.test(req.params.id)) throw notFound('Assessment', req.params.id);
      const asked = req.query.language;
      if (asked !== undefined && !Object.values(Locale).includes(asked as Locale)) throw badInput('language', `Choose one of ${Object.values(Locale).join(', ')}`);
      const language = (asked as Locale | undefined) ?? viewer.user.language;
      const { bytes, name } = await orm.em.fork().transactional(async (em) => {
        em.merge(viewer.user);
        const assessment = await readableAssessment(em, viewer, req.params.id);
        auditAssessment(em, viewer.id, 'assessment.questionnaire_downloaded', assessment, { language });
        await em.flush();
        return { bytes: await questionnaireXlsx(em, assessment, language), name: `questionnaire-${assessment.id.slice(0, 8)}.xlsx` };
      });
      res.status(200);
      safeFileHeaders(res, XLSX, name);
      res.end(bytes);
    } catch (err) {
      refuse(res, app, err, 'questionnaire download');
    }
  });
  return router;
}

/**
 * `POST /certification/assessments/:id/questionnaire`, the filled XLSX as the body, with the session
 * cookie and `X-Consulta-Upload: 1`: the institution's people take their answers back. 200 with
 * `{ saved }`; 400 QUESTIONNAIRE_CELLS_REFUSED with `problems` (sheet, row, column, reason, value)
 * and nothing imported; 409 ASSESSMENT_SUBMITTED; the upload refusals as for evidence.
 */
export function questionnaireUploadRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.post('/assessments/:id/questionnaire', async (req: Request<{ id: string }>, res: Response) => {
    try {
      const viewer = await sessionViewer(orm, req);
      if (req.headers[UPLOAD_HEADER] !== '1') throw forbidden('Uploads need the X-Consulta-Upload: 1 header', Refusal.UPLOAD_HEADER_REQUIRED);
      if (!UUID.test(req.params.id)) throw notFound('Assessment', req.params.id);
      const limits = uploadLimits(app.config);
      const bytes = await readBody(req, limits.maxBytes);
      const result = await orm.em.fork().transactional(async (em) => {
        em.merge(viewer.user);
        return importQuestionnaire(em, viewer, req.params.id, bytes, limits);
      });
      res.status(200).json(result);
    } catch (err) {
      refuse(res, app, err, 'questionnaire import');
    }
  });
  return router;
}
