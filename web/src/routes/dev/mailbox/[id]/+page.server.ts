import { error } from '@sveltejs/kit';
import { DevelopmentMailboxMessageDocument } from '$lib/graphql/generated';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api.query(DevelopmentMailboxMessageDocument, { id: params.id }).toPromise();
  if (!result.data) error(404, 'NOT_FOUND');
  const message = result.data.developmentMailboxMessage;
  // The text with its links made clickable: split so that each URL becomes an anchor, the rest stays text.
  const parts = (message.text ?? '').split(/(https?:\/\/\S+)/g).map((text, i) => ({ text, link: i % 2 === 1 }));
  return { message, parts };
};
