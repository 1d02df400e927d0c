import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import { parse as parseCookies } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { badInput, DomainError, downloadRefusal, ErrorCode, forbidden, notFound, Refusal } from '../errors.js';
import { contentDisposition } from '../exports/export.routes.js';
import { fileStore } from '../storage/file-store.js';
import { addEvidenceFile, evidenceDownloadPath, readEvidenceFile, uploadLimits } from './evidence.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The header an upload must carry. A cross-site HTML form cannot send a custom header, and a
 * cross-site script cannot without a CORS preflight the API never grants, so a request carrying it
 * comes from Consulta's own server (the web's form action) or a deliberate client.
 */
export const UPLOAD_HEADER = 'x-consulta-upload';

/** Served with every file the API hands back: a download, never a page (no sniffing, no script, no framing). */
export function safeFileHeaders(res: Response, contentType: string, fileName: string) {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', contentDisposition(fileName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox; frame-ancestors 'none'");
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'private, no-store');
}

export async function sessionViewer(orm: MikroORM, req: Request): Promise<Viewer> {
  return requireViewer(await viewerForToken(orm.em.fork(), parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE]));
}

/** The request's body, refused (413) past `max` bytes, whatever its Content-Length says. */
async function readBody(req: Request, max: number): Promise<Buffer> {
  const tooLarge = () => new DomainError(ErrorCode.BAD_USER_INPUT, `The file is larger than ${max} bytes`, { reason: Refusal.EVIDENCE_TOO_LARGE, fields: [{ field: 'file', message: 'too large' }] });
  if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const param = (req: Request, name: string): string | null => {
  const value = req.query[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') throw badInput(name, 'Give this parameter once');
  return value;
};

/** Answers a refusal as JSON with the GraphQL API's code and reason; an oversized body as 413. */
export function refuse(res: Response, app: AppServices, err: unknown, what: string) {
  const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, `${what} failed`));
  const status = refusal.body.reason === Refusal.EVIDENCE_TOO_LARGE ? 413 : refusal.status;
  // An unread body is dropped with the connection rather than read to its end.
  if (status === 413) res.setHeader('Connection', 'close');
  res.status(status).json(refusal.body);
}

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
  router.get('/evidence/:id', async (req: Request<{ id: string }>, res: Response) => {
    let opened;
    let file;
    try {
      const viewer = await sessionViewer(orm, req);
      if (!UUID.test(req.params.id)) throw notFound('EvidenceFile', req.params.id);
      file = await orm.em.fork().transactional(async (em) => {
        em.merge(viewer.user);
        return readEvidenceFile(em, viewer, req.params.id);
      });
      opened = await fileStore(app.config).open(file.sha256);
      if (!opened) throw new Error(`Evidence file ${file.id}: no bytes stored under ${file.sha256}`);
    } catch (err) {
      refuse(res, app, err, 'evidence download');
      return;
    }
    res.status(200);
    safeFileHeaders(res, file.contentType, file.fileName);
    res.setHeader('Content-Length', String(file.size));
    try {
      await pipeline(opened, res);
    } catch (err) {
      app.log.error({ err, fileId: file.id }, 'evidence download failed while streaming');
      res.destroy();
    }
  });
  return router;
}
