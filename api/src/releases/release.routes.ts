import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import express, { type Request, type Response, type Router } from 'express';
import { parse as parseCookies } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import type { Viewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { badInput, downloadRefusal, notFound } from '../errors.js';
import { CONTENT_TYPES, ExportFormat } from '../exports/export-request.js';
import { contentDisposition } from '../exports/export.routes.js';
import { Framework } from '../frameworks/framework.entity.js';
import { localize } from '../i18n/localized-text.js';
import { Locale } from '../users/user.entity.js';
import { releaseDocument } from './release-document.js';
import { releasePdf, releaseXlsx } from './release-files.js';
import { releaseLabels } from './release-labels.js';
import { Release } from './release.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATS = [ExportFormat.PDF, ExportFormat.XLSX, ExportFormat.JSON] as const;

/**
 * `GET /exports/releases/:id.pdf|xlsx|json?language=es|en|pt|fr`: a release as a file, in one
 * language (default: the framework's source language), for anyone, signed out too. Signed in (the
 * session cookie), the changelog names the comments of rounds the reader may read, and the download is
 * written to the audit log before a byte is sent. Errors answer JSON with the GraphQL API's codes.
 */
export function releaseRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/:file', async (req: Request<{ file: string }>, res: Response) => {
    const em = orm.em.fork();
    let body: Readable | null = null;
    let write: ((out: Response) => Promise<void>) | null = null;
    let format: ExportFormat;
    let fileName: string;
    let viewer: Viewer | null = null;
    try {
      // Releases are public: signed out, the file leaves out the changelog's comments (they belong to their rounds).
      viewer = await viewerForToken(em, parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE]);
      const match = /^(.+)\.([a-z]+)$/.exec(req.params.file);
      if (!match || !UUID.test(match[1])) throw badInput('id', 'Not a release id');
      if (!(FORMATS as readonly string[]).includes(match[2])) throw badInput('format', `Choose one of ${FORMATS.join(', ')}`);
      format = match[2] as ExportFormat;
      for (const name of Object.keys(req.query)) if (name !== 'language') throw badInput(name, 'Unknown parameter');
      const asked = req.query.language;
      if (asked !== undefined && (typeof asked !== 'string' || !Object.values(Locale).includes(asked as Locale))) {
        throw badInput('language', `Choose one of ${Object.values(Locale).join(', ')}`);
      }
      const release = await em.findOne(Release, { id: match[1] });
      if (!release) throw notFound('Release', match[1]);
      const framework = await em.findOneOrFail(Framework, { id: release.framework.id });
      const language = (asked as Locale | undefined) ?? framework.sourceLanguage;
      const doc = await releaseDocument(em, viewer, release, language);
      if (viewer) {
        audit(em, { actorId: viewer.id, action: 'release.downloaded', subjectType: 'Release', subjectId: release.id, scopeId: framework.id, data: { format, language, number: release.number } });
        await em.flush();
      }
      const name = (localize(framework.name, [language], framework.sourceLanguage)?.value ?? framework.slug).replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
      fileName = `${releaseLabels(language).fileStem}-${release.number} - ${name}.${format}`;
      if (format === ExportFormat.JSON) body = Readable.from([Buffer.from(JSON.stringify(doc, null, 2))]);
      else if (format === ExportFormat.PDF) body = await releasePdf(doc);
      else write = (out) => releaseXlsx(doc, out);
    } catch (err) {
      const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'release download could not start'));
      res.status(refusal.status).json(refusal.body);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', contentDisposition(fileName));
    res.setHeader('Cache-Control', viewer ? 'private, no-store' : 'public, max-age=300');
    res.setHeader('Vary', 'Cookie');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      if (body) await pipeline(body, res);
      else await write!(res);
    } catch (err) {
      app.log.error({ err, file: req.params.file }, 'release download failed while streaming');
      res.destroy();
    }
  });
  return router;
}
