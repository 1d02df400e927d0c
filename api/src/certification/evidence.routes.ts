import express, { type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import { badInput, forbidden, notFound, Refusal } from '../errors.js';
import { fileStore } from '../storage/file-store.js';
import { addEvidenceFile, evidenceDownloadPath, readEvidenceFile, uploadLimits } from './evidence.service.js';
import { param, readBody, refuse, sendStoredFile, sessionViewer, UPLOAD_HEADER, UUID } from './file-transfer.js';

/**
 * `POST /certification/evidence?assessmentId=…&schemeIndicatorId=…&fileName=…[&note=…][&evidenceRequestId=…][&declaredType=…]`,
 * the file's bytes as the body (any content type; the bytes decide), the session cookie and the
 * `X-Consulta-Upload: 1` header: adds an evidence file to an answer. Answers 201 with the file's
 * record, or the refusal as JSON (400, 403, 404, 409; 413 past EVIDENCE_MAX_BYTES), with nothing stored.
 */
export function evidenceUploadRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.post('/evidence', async (req: Request, res: Response) => {
    try {
      const viewer = await sessionViewer(orm, req);
      if (req.headers[UPLOAD_HEADER] !== '1') throw forbidden('Uploads need the X-Consulta-Upload: 1 header', Refusal.UPLOAD_HEADER_REQUIRED);
      const assessmentId = param(req, 'assessmentId');
      const schemeIndicatorId = param(req, 'schemeIndicatorId');
      const evidenceRequestId = param(req, 'evidenceRequestId');
      for (const [name, id] of Object.entries({ assessmentId, schemeIndicatorId, evidenceRequestId })) {
        if ((id !== null || name !== 'evidenceRequestId') && !UUID.test(id ?? '')) throw badInput(name, 'Not an id', Refusal.INVALID_ID);
      }
      const limits = uploadLimits(app.config);
      const bytes = await readBody(req, limits.maxBytes);
      const upload = { assessmentId: assessmentId!, schemeIndicatorId: schemeIndicatorId!, evidenceRequestId, fileName: param(req, 'fileName') ?? '', declaredType: param(req, 'declaredType'), note: param(req, 'note') };
      const file = await orm.em.fork().transactional(async (em) => {
        em.merge(viewer.user);
        return addEvidenceFile(em, fileStore(app.config), viewer, upload, bytes, limits);
      });
      res.status(201).json({ id: file.id, fileName: file.fileName, contentType: file.contentType, size: file.size, sha256: file.sha256, note: file.note, downloadPath: evidenceDownloadPath(file.id) });
    } catch (err) {
      refuse(res, app, err, 'evidence upload');
    }
  });
  return router;
}

/**
 * `GET /exports/certification/evidence/:id`: the file, for the institution's people, its assigned
 * reviewers, the committee and facilitators (404 for anyone else), as an attachment that never
 * renders. A read by anyone outside the institution is written to the audit log before a byte is sent.
 */
export function evidenceDownloadRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/evidence/:id', (req: Request<{ id: string }>, res: Response) =>
    sendStoredFile(res, app, 'evidence download', async () => {
      const viewer = await sessionViewer(orm, req);
      if (!UUID.test(req.params.id)) throw notFound('EvidenceFile', req.params.id);
      return orm.em.fork().transactional(async (em) => {
        em.merge(viewer.user);
        return readEvidenceFile(em, viewer, req.params.id);
      });
    }),
  );
  return router;
}
