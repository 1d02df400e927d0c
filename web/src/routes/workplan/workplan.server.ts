import { error, type RequestEvent } from '@sveltejs/kit';
import { WorkPlanPageDocument } from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';

/** The plan of the year in the address (the 404 page for a year that is not one), as its pages show it. */
export async function planOfPage(event: RequestEvent<{ year: string }>) {
  const year = Number(event.params.year);
  if (!/^\d{4}$/.test(event.params.year) || year < 2000 || year > 2100) error(404, 'NOT_FOUND');
  const result = await event.locals.api.query(WorkPlanPageDocument, { year, language: event.locals.locale }).toPromise();
  if (!result.data) loadFailed(result.error);
  return result.data.workPlan;
}

/** A title typed in the page's language, as the API takes it. */
export const titleIn = (event: RequestEvent, title: string) => ({ [event.locals.locale]: title });
