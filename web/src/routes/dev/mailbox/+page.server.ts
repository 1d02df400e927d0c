import { error } from '@sveltejs/kit';
import { DevelopmentMailboxDocument } from '$lib/graphql/generated';
import type { PageServerLoad } from './$types';

/** The API keeps the mailbox closed in production and whenever mail really leaves: then this page is a 404. */
export const load: PageServerLoad = async ({ locals }) => {
  const result = await locals.api.query(DevelopmentMailboxDocument, {}).toPromise();
  if (!result.data) error(404, 'NOT_FOUND');
  return { messages: result.data.developmentMailbox };
};
