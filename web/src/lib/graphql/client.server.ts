import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { Client, fetchExchange } from '@urql/core';

export const SESSION_COOKIE = 'consulta_session';

/**
 * The API client for one server request: it calls the API directly (not through the proxy), sends the
 * visitor's session cookie and address, and copies any session cookie the API sets or clears
 * (signIn, acceptInvitation, signOut) onto the response to the browser.
 */
export function apiClient(event: RequestEvent, apiUrl: string): Client {
  return new Client({
    url: new URL('/graphql', apiUrl).toString(),
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => {
      const session = event.cookies.get(SESSION_COOKIE);
      const headers: Record<string, string> = { 'x-forwarded-for': event.getClientAddress() };
      if (session) headers.cookie = `${SESSION_COOKIE}=${session}`;
      return { headers };
    },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      for (const header of response.headers.getSetCookie()) mirrorSessionCookie(event.cookies, header, event.url.protocol === 'https:');
      return response;
    },
  });
}

function mirrorSessionCookie(cookies: Cookies, header: string, secure: boolean) {
  const [pair, ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (pair.slice(0, eq).trim() !== SESSION_COOKIE) return;
  const value = decodeURIComponent(pair.slice(eq + 1).trim());
  const expiresText = attributes.map((a) => a.trim()).find((a) => /^expires=/i.test(a))?.slice('expires='.length);
  const expires = expiresText ? new Date(expiresText) : undefined;
  if (!value || (expires && expires.getTime() <= Date.now())) {
    cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  } else {
    cookies.set(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
  }
}
