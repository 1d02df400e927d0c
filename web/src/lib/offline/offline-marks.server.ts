import { createHash } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/graphql/client.server';
import { KEEP_HEADER, NO_PERSON, PERSON_HEADER, type Keep } from './offline-headers';

/** The pages the service worker keeps for reading offline, by route. */
const KEPT_ROUTES: Record<string, Keep> = {
  '/rounds/[id]': 'person',
  '/rounds/[id]/indicators/[indicatorId]': 'person',
  '/rounds/[id]/ratings': 'person',
  // An institution's assessment, answered over days: its overview and each area's answering page.
  '/certification/assessments/[id]': 'person',
  '/certification/assessments/[id]/areas/[code]': 'person',
  '/certification/registry': 'public',
};

/** A per-session name for the device's caches that gives nothing away: the session token cannot be had back from it. */
export const offlineKey = (sessionToken: string) => createHash('sha256').update(`offline-cache:${sessionToken}`).digest('hex').slice(0, 24);

/**
 * Tells the service worker whose session this response belongs to (it keeps one person's copies at a
 * time and drops them at sign-out) and whether to keep the page for reading offline.
 */
export function markForOffline(event: RequestEvent, response: Response) {
  const token = event.cookies.get(SESSION_COOKIE);
  const route = event.route.id;
  // The public pages (the published standard) are kept for anyone.
  const keep = route ? (KEPT_ROUTES[route] ?? (route.startsWith('/public') ? 'public' : undefined)) : undefined;
  try {
    response.headers.set(PERSON_HEADER, event.locals.viewer && token ? offlineKey(token) : NO_PERSON);
    if (keep && response.status === 200) response.headers.set(KEEP_HEADER, keep);
  } catch {
    // A response with immutable headers (a fetch passed through) is not a page: nothing to say.
  }
}
