import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/auth.server';
import { UpdateMyLanguageDocument, type Locale as ApiLocale } from '$lib/graphql/generated';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n/locales';
import type { Actions } from './$types';

export const actions: Actions = {
  /** Remembers the choice in a cookie (and on the account when signed in), then goes back to the page. */
  default: async ({ request, locals, cookies, url }) => {
    const data = await request.formData();
    const locale = data.get('locale');
    if (isLocale(locale)) {
      cookies.set(LOCALE_COOKIE, locale, { path: '/', maxAge: 60 * 60 * 24 * 365, httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
      if (locals.viewer) {
        await locals.api.mutation(UpdateMyLanguageDocument, { language: locale.toUpperCase() as ApiLocale }).toPromise();
      }
    }
    redirect(303, safeNext(String(data.get('redirectTo') ?? '')));
  },
};
