import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { validate } from 'class-validator';
import express, { type Request, type Response, type Router } from 'express';
import { parse as parseCookies } from 'cookie';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { badInput, downloadRefusal } from '../errors.js';
import { csvLine } from '../exports/csv.export.js';
import { contentDisposition } from '../exports/export.routes.js';
import { shownName } from '../privacy/former-participant.js';
import { type Locale, Role } from '../users/user.entity.js';
import { audit } from './audit.service.js';
import { AuditFilter, auditLogPages, type AuditLogEntry } from './audit-log.js';

/** The file's columns: the names of the GraphQL fields, so a script reads both the same way. */
const COLUMNS = ['id', 'at', 'actorId', 'actorName', 'action', 'subjectType', 'subjectId', 'scopeId', 'sourceId', 'data'] as const;

const cell = (entry: AuditLogEntry, column: (typeof COLUMNS)[number], language: Locale): string => {
  const value = entry[column];
  if (value instanceof Date) return value.toISOString();
  if (column === 'data') return JSON.stringify(value);
  if (column === 'actorName' && value !== null) return shownName(value as string, language);
  return value === null ? '' : String(value);
};

/** `GET /exports/audit?actorId=…&action=…&from=…&to=…&scopeId=…`: the criteria of AuditFilter, dates as ISO 8601. */
async function parseAuditFilter(query: Record<string, unknown>): Promise<AuditFilter> {
  const filter = new AuditFilter();
  for (const [name, raw] of Object.entries(query)) {
    if (!['actorId', 'action', 'from', 'to', 'scopeId'].includes(name)) throw badInput(name, 'Unknown parameter');
    if (typeof raw !== 'string') throw badInput(name, 'Give this parameter once');
    if (raw === '') continue;
    if (name === 'from' || name === 'to') {
      const at = new Date(raw);
      if (Number.isNaN(at.getTime())) throw badInput(name, 'Must be an ISO 8601 date and time');
      filter[name] = at;
    } else {
      filter[name as 'actorId' | 'action' | 'scopeId'] = raw;
    }
  }
  const [problem] = await validate(filter);
  if (problem) throw badInput(problem.property, Object.values(problem.constraints ?? {})[0] ?? 'Invalid value');
  return filter;
}

/**
 * Facilitators and admins only. The download is itself written to the log before a byte is sent
 * (`audit_log.downloaded`, with its criteria): a copy of who did what leaves the system with it,
 * and whoever later reads the log should see who took one. Reading it on the page is not recorded;
 * that stays inside the system, behind the same roles.
 */
async function prepareDownload(em: EntityManager, viewer: Viewer, filter: AuditFilter) {
  viewer.require(Role.FACILITATOR, 'Only facilitators and admins read the audit log');
  audit(em, {
    actorId: viewer.id,
    action: 'audit_log.downloaded',
    subjectType: 'AuditLog',
    subjectId: filter.scopeId ?? 'all',
    scopeId: filter.scopeId ?? null,
    data: { filter: { ...filter } },
  });
  await em.flush();
}

/** The log as CSV; a deleted actor is “former participant” in `language`, the downloader's. */
async function* auditCsv(em: EntityManager, filter: AuditFilter, language: Locale): AsyncGenerator<string | Buffer> {
  yield `\uFEFF${csvLine([...COLUMNS])}`;
  for await (const page of auditLogPages(em, filter)) {
    yield Buffer.from(page.map((entry) => csvLine(COLUMNS.map((c) => cell(entry, c, language)))).join(''));
  }
}

export function auditLogRoutes(orm: MikroORM, app: AppServices): Router {
  const router = express.Router();
  router.get('/', async (req: Request, res: Response) => {
    const em = orm.em.fork();
    let filter: AuditFilter;
    let language: Locale;
    try {
      const viewer = requireViewer(await viewerForToken(em, parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE]));
      language = viewer.user.language;
      filter = await parseAuditFilter(req.query as Record<string, unknown>);
      await prepareDownload(em, viewer, filter);
    } catch (err) {
      const refusal = downloadRefusal(err, (cause, correlationId) => app.log.error({ err: cause, correlationId }, 'audit log download could not start'));
      res.status(refusal.status).json(refusal.body);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', contentDisposition(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await pipeline(Readable.from(auditCsv(em, filter, language), { objectMode: false }), res);
    } catch (err) {
      if (!req.socket.destroyed) app.log.error({ err }, 'audit log download failed while streaming');
      res.destroy();
    }
  });
  return router;
}
