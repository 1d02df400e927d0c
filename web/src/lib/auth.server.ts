import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from './graphql/generated.js';
import { hasRole, type Viewer } from './viewer.js';

/** The signed-in viewer; anonymous visitors go to the sign-in page and come back afterwards. */
export function requireViewer(event: Pick<RequestEvent, 'locals' | 'url'>): Viewer {
  const viewer = event.locals.viewer;
  if (!viewer) redirect(303, `/signin?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  return viewer;
}

/** The signed-in viewer holding `role`, else the 403 page. */
export function requireRole(event: Pick<RequestEvent, 'locals' | 'url'>, role: Role): Viewer {
  const viewer = requireViewer(event);
  if (!hasRole(viewer, role)) error(403, 'FORBIDDEN');
  return viewer;
}

/** A same-site path to return to after signing in, never another host. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}
