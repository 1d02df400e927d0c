import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import type { FormFailure } from '$lib/forms';
import { formValues } from '$lib/forms.server';
import { DispositionQueueDocument, SetDispositionsDocument, type CommentFilter, type CommentType, type DispositionFacet, type DispositionStatus } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';
import { loadFailed } from '$lib/graphql/load.server';
import { consultationFailure } from '../../round.server';

/** The queue's filters, from the query string (a GET form), so a filtered queue is a link. */
function filterOf(params: URLSearchParams): CommentFilter {
  const list = (name: string) => params.getAll(name).filter(Boolean);
  const disposition = list('disposition');
  return {
    types: list('type').length ? (list('type') as CommentType[]) : null,
    // The queue starts with what is left to do.
    dispositions: (disposition.length ? disposition.filter((d) => d !== 'ALL') : ['NONE']) as DispositionFacet[],
    countries: list('country').length ? list('country') : null,
    sectionIds: list('section').length ? list('section') : null,
    organizationIds: list('organization').length ? list('organization') : null,
    withdrawn: false,
  };
}

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const filter = filterOf(event.url.searchParams);
  const after = event.url.searchParams.get('after');
  const result = await event.locals.api.query(DispositionQueueDocument, { id: event.params.id, filter, after, first: 50 }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { round: result.data.round, comments: result.data.roundComments, filter, query: event.url.searchParams.toString() };
};

export const actions: Actions = {
  dispose: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'status', 'response', 'duplicateOfId');
    const commentIds = data.getAll('commentIds').map(String).filter(Boolean);
    if (!commentIds.length) return fail(400, { form: 'dispose', message: 'consultation.queue.noneChosen', fields: {}, values } satisfies FormFailure);
    const input = { commentIds, status: values.status as DispositionStatus, response: values.response, duplicateOfId: values.duplicateOfId || null };
    const result = await event.locals.api.mutation(SetDispositionsDocument, { input }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, values, { form: 'dispose', otherFields: ['commentIds'] });
    return { form: 'dispose', disposed: result.data.setDispositions.length };
  },
};
