import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { Client, fetchExchange } from '@urql/core';

export const SESSION_COOKIE = 'consulta_session';
/** Marks a browser that has signed in to an account before, so guessing elsewhere never holds it back (the API's auth/device-cookie.ts). */
export const DEVICE_COOKIE = 'consulta_device';
const FORWARDED_COOKIES = [SESSION_COOKIE, DEVICE_COOKIE];

/**
 * The API client for one server request: it calls the API directly (not through the proxy), sends the
 * visitor's session and device cookies, address and languages, and copies any of those cookies the API
 * sets or clears (signIn, acceptInvitation, signOut) onto the response to the browser.
 */
export function apiClient(event: RequestEvent, apiUrl: string): Client {
  return new Client({
    url: new URL('/graphql', apiUrl).toString(),
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => {
      const headers: Record<string, string> = { 'x-forwarded-for': event.getClientAddress() };
      const cookies = FORWARDED_COOKIES.flatMap((name) => {
        const value = event.cookies.get(name);
        return value ? [`${name}=${encodeURIComponent(value)}`] : [];
      });
      if (cookies.length) headers.cookie = cookies.join('; ');
      // The reader's languages: a text not yet in the page's language falls back through them.
      const languages = event.request.headers.get('accept-language');
      if (languages) headers['accept-language'] = languages;
      return { headers };
    },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      for (const header of response.headers.getSetCookie()) mirrorCookie(event.cookies, header, event.url.protocol === 'https:');
      return response;
    },
  });
}

function mirrorCookie(cookies: Cookies, header: string, secure: boolean) {
  const [pair, ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq).trim();
  if (!FORWARDED_COOKIES.includes(name)) return;
  const value = decodeURIComponent(pair.slice(eq + 1).trim());
  const expiresText = attributes.map((a) => a.trim()).find((a) => /^expires=/i.test(a))?.slice('expires='.length);
  const expires = expiresText ? new Date(expiresText) : undefined;
  if (!value || (expires && expires.getTime() <= Date.now())) {
    cookies.delete(name, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  } else {
    cookies.set(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
  }
}
