import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { dispositionChoice } from '$lib/components/analysis/analysis';
import type { FormFailure } from '$lib/forms';
import {
  DispositionQueueDocument,
  SetDispositionsDocument,
  TagCommentsDocument,
  UntagCommentsDocument,
  type CommentFilter,
  type CommentType,
  type DispositionFacet,
} from '$lib/graphql/generated';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { consultationFailure } from '../../round.server';
import { liveSequenceBefore } from '$lib/live/sequence.server';

/** The queue's filters, from the query string (a GET form), so a filtered queue is a link. */
function filterOf(params: URLSearchParams): CommentFilter {
  const list = (name: string) => params.getAll(name).filter(Boolean);
  const disposition = list('disposition');
  const onBehalf = params.get('onBehalf');
  return {
    types: list('type').length ? (list('type') as CommentType[]) : null,
    // The queue starts with what is left to do.
    dispositions: (disposition.length ? disposition.filter((d) => d !== 'ALL') : ['NONE']) as DispositionFacet[],
    countries: list('country').length ? list('country') : null,
    sectionIds: list('section').length ? list('section') : null,
    indicatorIds: list('indicator').length ? list('indicator') : null,
    organizationIds: list('organization').length ? list('organization') : null,
    themeIds: list('theme').length ? list('theme') : null,
    nearDuplicateGroupIds: list('group').length ? list('group') : null,
    onBehalf: onBehalf === 'true' ? true : onBehalf === 'false' ? false : null,
    withdrawn: false,
  };
}

/** The query string without a form action's `/name` key, so the page's forms can post to `?<filters>&/action`. */
function filterQuery(url: URL): string {
  const params = new URLSearchParams(url.searchParams);
  for (const key of [...params.keys()]) if (key.startsWith('/')) params.delete(key);
  return params.toString();
}

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const filter = filterOf(event.url.searchParams);
  const after = event.url.searchParams.get('after');
  const liveSequence = await liveSequenceBefore(event, { round: event.params.id });
  const result = await event.locals.api.query(DispositionQueueDocument, { id: event.params.id, filter, after, first: 50, language: apiLanguage(event), organizationSearch: event.url.searchParams.get('organizationSearch') || null }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { round: result.data.round, comments: result.data.roundComments, liveSequence, filter, query: filterQuery(event.url), confirmation: takeConfirmation(event) };
};

/**
 * Tags or untags with the chosen themes either the ticked comments or, with `scope=filter`, every
 * comment the queue's filter matches (the filter is in the URL the form posts to).
 */
async function tagging(event: RequestEvent, mode: 'tag' | 'untag') {
  requireRole(event, 'FACILITATOR');
  const data = await event.request.formData();
  const themeIds = data.getAll('themeIds').map(String).filter(Boolean);
  const everyMatching = data.get('scope') === 'filter';
  const commentIds = data.getAll('commentIds').map(String).filter(Boolean);
  const failure = (message: string) => fail(400, { form: 'tag', message, fields: {}, values: {} } satisfies FormFailure);
  if (!themeIds.length) return failure('analysis.tag.noTheme');
  if (!everyMatching && !commentIds.length) return failure('consultation.queue.noneChosen');
  const input = { roundId: event.params.id, themeIds, ...(everyMatching ? { filter: filterOf(event.url.searchParams) } : { commentIds }) };
  const result = mode === 'tag'
    ? await event.locals.api.mutation(TagCommentsDocument, { input }).toPromise()
    : await event.locals.api.mutation(UntagCommentsDocument, { input }).toPromise();
  if (result.error || !result.data) return consultationFailure(result.error, {}, { form: 'tag' });
  const count = 'tagComments' in result.data ? result.data.tagComments : result.data.untagComments;
  confirmAndReturn(event, { form: 'tag', mode, count }, 'queue-done');
}

export const actions: Actions = {
  dispose: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const choice = dispositionChoice(data);
    const commentIds = data.getAll('commentIds').map(String).filter(Boolean);
    const values = { response: choice.response };
    if (!commentIds.length) return fail(400, { form: 'dispose', message: 'consultation.queue.noneChosen', fields: {}, values } satisfies FormFailure);
    const result = await event.locals.api.mutation(SetDispositionsDocument, { input: { commentIds, ...choice } }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, values, { form: 'dispose', otherFields: ['commentIds', 'status', 'duplicateOfId'] });
    confirmAndReturn(event, { form: 'dispose', disposed: result.data.setDispositions.length }, 'queue-done');
  },
  tag: (event) => tagging(event, 'tag'),
  untag: (event) => tagging(event, 'untag'),
};
