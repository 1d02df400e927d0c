import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import { parse as parseCookies } from 'cookie';
import ical from 'ical-generator';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import type { AppServices } from '../context.js';
import { param, readBody, refuse as refuseUpload, sendStoredFile, sessionViewer, UPLOAD_HEADER, UUID } from '../certification/file-transfer.js';
import { uploadLimits } from '../certification/evidence.service.js';
import { badInput, downloadRefusal, forbidden, notFound, Refusal } from '../errors.js';
import { contentDisposition } from '../exports/export.routes.js';
import { localize } from '../i18n/localized-text.js';
import { fileStore } from '../storage/file-store.js';
import { addAgendaFile, agendaFilePath, readAgendaFile } from './agenda-file.service.js';
import { Meeting } from './meeting.entity.js';
import { findMeeting, registeredMeetings, userOfFeedToken } from './meeting.service.js';
import { minutesPdf } from './minutes-document.js';

/** The meetings as an iCalendar document: times in UTC (every calendar shows them in its own zone), the meeting's own zone named in the description. */
function calendar(name: string, meetings: Meeting[], publicUrl: string): string {
  const cal = ical({ name, prodId: { company: 'Consulta', product: 'meetings', language: 'ES' } });
  for (const m of meetings) {
    const title = localize(m.title, [m.language], m.language)?.value ?? '';
    cal.createEvent({
      id: `${m.id}@consulta`,
      start: m.startsAt,
      end: m.endsAt,
      summary: title,
      location: m.place ?? m.onlineUrl ?? null,
      url: `${publicUrl}/meetings/${m.id}`,
      description: [m.onlineUrl ?? '', `(${m.timeZone})`].filter(Boolean).join('\n'),
      stamp: m.createdAt,
    });
  }
  return cal.toString();
}

async function viewerOf(em: EntityManager, req: Request) {
  return viewerForToken(em, parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE]);
}

/**
 * `GET /exports/meetings/:id.ics` (a meeting's calendar file, for whoever may see it: public
 * meetings signed out), `GET /exports/meetings/feed/:token.ics` (a person's feed of the meetings
 * they registered for; the signed token stands in for the session, as calendar apps send no
 * cookie) and `GET /exports/meetings/:id/minutes.pdf` (approved minutes). Errors answer JSON with
 * the GraphQL API's codes.
 */
export function meetingRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  const send = (res: Response, type: string, fileName: string) => {
    res.status(200);
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', contentDisposition(fileName));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };
  const refuse = (res: Response, err: unknown) => {
    const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'meeting download could not start'));
    res.status(refusal.status).json(refusal.body);
  };

  router.get('/feed/:file', async (req: Request<{ file: string }>, res: Response) => {
    const em = orm.em.fork();
    try {
      const match = /^(.+)\.ics$/.exec(req.params.file);
      const userId = match ? await userOfFeedToken(em, app.config, match[1]) : null;
      if (!userId || !UUID.test(userId)) throw notFound('CalendarFeed');
      const body = calendar('Consulta', await registeredMeetings(em, userId), app.config.PUBLIC_URL);
      send(res, 'text/calendar; charset=utf-8', 'consulta.ics');
      res.end(body);
    } catch (err) {
      refuse(res, err);
    }
  });

  router.get('/:id/minutes.pdf', async (req: Request<{ id: string }>, res: Response) => {
    const em = orm.em.fork();
    try {
      if (!UUID.test(req.params.id)) throw badInput('id', 'Not a meeting id');
      const meeting = await findMeeting(em, await viewerOf(em, req), req.params.id);
      if (!meeting.minutesApprovedAt) throw notFound('Minutes', meeting.id);
      const body = await minutesPdf(em, meeting);
      send(res, 'application/pdf', `minutes-${meeting.startsAt.toISOString().slice(0, 10)}.pdf`);
      await pipeline(body, res);
    } catch (err) {
      if (res.headersSent) res.destroy();
      else refuse(res, err);
    }
  });

  router.get('/materials/:id', (req: Request<{ id: string }>, res: Response) =>
    sendStoredFile(res, app, 'agenda file download', async () => {
      if (!UUID.test(req.params.id)) throw notFound('AgendaFile', req.params.id);
      const em = orm.em.fork();
      return readAgendaFile(em, await viewerOf(em, req), req.params.id);
    }),
  );

  router.get('/:file', async (req: Request<{ file: string }>, res: Response) => {
    const em = orm.em.fork();
    try {
      const match = /^(.+)\.ics$/.exec(req.params.file);
      if (!match || !UUID.test(match[1])) throw badInput('id', 'Not a meeting calendar file');
      const meeting = await findMeeting(em, await viewerOf(em, req), match[1]);
      const body = calendar(localize(meeting.title, [meeting.language], meeting.language)?.value ?? 'Consulta', [meeting], app.config.PUBLIC_URL);
      send(res, 'text/calendar; charset=utf-8', `meeting-${meeting.startsAt.toISOString().slice(0, 10)}.ics`);
      res.end(body);
    } catch (err) {
      refuse(res, err);
    }
  });
  return router;
}

/**
 * `POST /meetings/materials?agendaItemId=…&fileName=…[&declaredType=…]`, the file's bytes as the body,
 * the session cookie and the `X-Consulta-Upload: 1` header (as evidence uploads): adds a file to an
 * agenda item's materials. Answers 201 with the file's record, or the refusal as JSON (400, 403, 404,
 * 409; 413 past EVIDENCE_MAX_BYTES), with nothing stored. `GET /exports/meetings/materials/:id` serves it.
 */
export function meetingUploadRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.post('/materials', async (req: Request, res: Response) => {
    try {
      const viewer = await sessionViewer(orm, req);
      if (req.headers[UPLOAD_HEADER] !== '1') throw forbidden('Uploads need the X-Consulta-Upload: 1 header', Refusal.UPLOAD_HEADER_REQUIRED);
      const agendaItemId = param(req, 'agendaItemId') ?? '';
      if (!UUID.test(agendaItemId)) throw badInput('agendaItemId', 'Not an id', Refusal.INVALID_ID);
      const limits = uploadLimits(app.config);
      const bytes = await readBody(req, limits.maxBytes);
      const upload = { agendaItemId, fileName: param(req, 'fileName') ?? '', declaredType: param(req, 'declaredType') };
      const file = await orm.em.fork().transactional(async (em) => {
        em.merge(viewer.user);
        return addAgendaFile(em, fileStore(app.config), viewer, upload, bytes, limits);
      });
      res.status(201).json({ id: file.id, fileName: file.fileName, contentType: file.contentType, size: file.size, downloadPath: agendaFilePath(file.id) });
    } catch (err) {
      refuseUpload(res, app, err, 'agenda file upload');
    }
  });
  return router;
}
