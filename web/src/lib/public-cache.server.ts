import { createHash } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';

/** Pages anyone reads signed out (routes/public): shared caches may keep them a few minutes. */
const PUBLIC_PAGES = /^\/public(\/|$)/;
const MAX_AGE_SECONDS = 300;

/** True when `If-None-Match` names `etag` (or `*`); weak validators never match a strong one. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim() === etag);
}

/**
 * Cache headers for the public pages: signed out, `public, max-age` with a strong ETag of the
 * rendered bytes, and 304 when the visitor already holds them; signed in, nothing is stored (the
 * page carries the person's name). Other pages pass through untouched.
 */
export async function cachePublicPage(event: Pick<RequestEvent, 'url' | 'request' | 'locals'>, response: Response): Promise<Response> {
  if (!PUBLIC_PAGES.test(event.url.pathname) || (event.request.method !== 'GET' && event.request.method !== 'HEAD')) return response;
  const headers = new Headers(response.headers);
  headers.set('Vary', 'Cookie, Accept-Language');
  if (event.locals.viewer || response.status !== 200) {
    headers.set('Cache-Control', 'private, no-store');
    headers.delete('ETag');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  headers.set('ETag', etag);
  headers.set('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
  if (matches(event.request.headers.get('if-none-match'), etag)) {
    headers.delete('Content-Length');
    headers.delete('Content-Type');
    return new Response(null, { status: 304, headers });
  }
  return new Response(event.request.method === 'HEAD' ? null : body, { status: 200, headers });
}
