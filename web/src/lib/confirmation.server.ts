import { redirect, type Cookies } from '@sveltejs/kit';
import type { Confirmation } from './forms.js';

const COOKIE = 'consulta_sent';
/** Long enough for a slow link to follow the redirect; a confirmation nobody read is soon gone. */
const MAX_AGE_SECONDS = 120;

type FormEvent = { url: URL; cookies: Cookies };

function cookieOptions(url: URL) {
  return { path: url.pathname, httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' } as const;
}

/**
 * A form action succeeded: answer 303 with the page the form belongs to (post/redirect/get), so that
 * reloading it reads the page again instead of sending the form twice. What to confirm travels in a
 * short-lived cookie for that page alone, which its load reads once (`takeConfirmation`); none when the
 * page shows the change by itself (a published summary says when it was published). The page keeps
 * its query (a filtered queue stays filtered) without the `/action` key; `anchor` is the element it
 * opens at: the new comment, the ballot acted on, the section whose form was sent.
 */
export function confirmAndReturn(event: FormEvent, confirmation: Confirmation | null, anchor?: string): never {
  const { url } = event;
  if (confirmation) {
    const value = Buffer.from(JSON.stringify({ page: url.pathname, ...confirmation })).toString('base64url');
    event.cookies.set(COOKIE, value, { ...cookieOptions(url), maxAge: MAX_AGE_SECONDS });
  }
  const query = new URLSearchParams(url.searchParams);
  for (const key of [...query.keys()]) if (key.startsWith('/')) query.delete(key);
  redirect(303, `${url.pathname}${query.size ? `?${query}` : ''}${anchor ? `#${encodeURIComponent(anchor)}` : ''}`);
}

/** The confirmation a form action left for this page, if any; read once (the cookie is cleared). */
export function takeConfirmation(event: FormEvent): Confirmation | null {
  const value = event.cookies.get(COOKIE);
  if (!value) return null;
  event.cookies.delete(COOKIE, cookieOptions(event.url));
  try {
    const { page, ...confirmation } = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return page === event.url.pathname && typeof confirmation.form === 'string' ? (confirmation as Confirmation) : null;
  } catch {
    return null;
  }
}
