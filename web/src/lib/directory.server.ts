import type { RequestEvent } from '@sveltejs/kit';
import { formValues } from './forms.server.js';

/**
 * The text a page's picker search asks for (`param`): the one a picker's search just posted without
 * scripts (`pickerSearchAction`), else the address's; null for none.
 */
export function pickerQuery(event: Pick<RequestEvent, 'url' | 'locals'>, param: string): string | null {
  return (event.locals.pickerSearch?.[param] ?? event.url.searchParams.get(param))?.trim() || null;
}

/**
 * The `pickerSearch` action of a page whose picker (`PickerSearch` with `within`) sits by a form: without
 * scripts its search posts that form here, so nothing typed there is lost. Nothing is saved: the page
 * comes back with the form as typed (`values`, lists such as ticked boxes joined by commas, as after a
 * refusal, for the form named `form`) and its load finds what was searched through `pickerQuery`.
 */
export function pickerSearchAction(form: string, param: string, fields: string[], lists: string[] = []) {
  return async (event: RequestEvent) => {
    const data = await event.request.formData();
    const text = String(data.get(param) ?? '').trim();
    event.locals.pickerSearch = { ...event.locals.pickerSearch, [param]: text };
    const values = formValues(data, ...fields);
    for (const name of lists) values[name] = data.getAll(name).map(String).join(',');
    return { form, values, search: { [param]: text } };
  };
}
