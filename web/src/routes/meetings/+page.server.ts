import { MeetingsPageDocument } from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await event.locals.api.query(MeetingsPageDocument, { language: event.locals.locale }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { meetings: result.data.meetings };
};
