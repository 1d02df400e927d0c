import type { Cookies } from '@sveltejs/kit';

export const DATA_SAVER_COOKIE = 'consulta_data_saver';

/** Data saver: the person's setting, else the browser's `Save-Data: on`. */
export function dataSaverOf(request: Request, cookies: Cookies): boolean {
  const setting = cookies.get(DATA_SAVER_COOKIE);
  if (setting === 'on' || setting === 'off') return setting === 'on';
  return request.headers.get('save-data') === 'on';
}
