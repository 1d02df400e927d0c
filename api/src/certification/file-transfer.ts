import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SESSION_COOKIE, viewerForToken } from '../auth/session.service.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { badInput, DomainError, downloadRefusal, ErrorCode, Refusal } from '../errors.js';
import { contentDisposition } from '../exports/export.routes.js';
import { fileStore } from '../storage/file-store.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
export async function readBody(req: Request, max: number): Promise<Buffer> {
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

export const param = (req: Request, name: string): string | null => {
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

/** What a download reads of a stored file's row. */
export interface StoredFile {
  id: string;
  sha256: string;
  size: number;
  contentType: string;
  fileName: string;
}

/**
 * Answers a download: `find` decides who may have the file (its refusal is answered as JSON), then the
 * bytes stream from the store under the safe headers; a failure mid-stream drops the connection.
 */
export async function sendStoredFile(res: Response, app: AppServices, what: string, find: () => Promise<StoredFile>) {
  let opened;
  let file;
  try {
    file = await find();
    opened = await fileStore(app.config).open(file.sha256);
    if (!opened) throw new Error(`${what} ${file.id}: no bytes stored under ${file.sha256}`);
  } catch (err) {
    refuse(res, app, err, what);
    return;
  }
  res.status(200);
  safeFileHeaders(res, file.contentType, file.fileName);
  res.setHeader('Content-Length', String(file.size));
  try {
    await pipeline(opened, res);
  } catch (err) {
    app.log.error({ err, fileId: file.id }, `${what} failed while streaming`);
    res.destroy();
  }
}
