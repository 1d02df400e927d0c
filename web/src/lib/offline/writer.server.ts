import { json, type RequestEvent } from '@sveltejs/kit';
import { WRITER_HEADER } from './offline-headers';

/**
 * A write kept on the device is sent only as the person who wrote it. A page left open in one tab keeps
 * its writer's outbox and retries it; if someone else signed in meanwhile on the same browser (another
 * tab), the retry carries their cookie. It is answered as a form action answers a lost session, so the
 * outbox keeps the write for its writer's next session; null lets the request through.
 */
export function otherWriter(event: RequestEvent): Response | null {
  const writer = event.request.headers.get(WRITER_HEADER);
  if (!writer || event.request.method !== 'POST' || writer === event.locals.viewer?.id) return null;
  return json({ type: 'redirect', status: 303, location: '/signin' });
}
