import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/auth.server';
import { DATA_SAVER_COOKIE } from '$lib/offline/data-saver.server';
import type { Actions } from './$types';

export const actions: Actions = {
  /** Remembers data saver on or off on this device, then goes back to the page. */
  default: async ({ request, cookies, url }) => {
    const data = await request.formData();
    const setting = data.get('dataSaver') === 'on' ? 'on' : 'off';
    cookies.set(DATA_SAVER_COOKIE, setting, { path: '/', maxAge: 60 * 60 * 24 * 365, httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
    redirect(303, safeNext(String(data.get('redirectTo') ?? '')));
  },
};
