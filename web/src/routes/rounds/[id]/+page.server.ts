import { fail } from '@sveltejs/kit';
import { requireRole, requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formValues } from '$lib/forms.server';
import { AddCommentDocument, CloseRoundNowDocument, ResolveRoundDocument, RoundDocument, type CommentTargetKind, type CommentType } from '$lib/graphql/generated';
import { confirmStep, lifecycleActions } from './lifecycle.server';
import { hasRole } from '$lib/viewer';
import type { Actions, PageServerLoad } from './$types';
import { loadFailed } from '$lib/graphql/load.server';
import { consultationFailure } from '../round.server';
import { idempotencyKeyOf } from '$lib/offline/idempotency.server';
import { liveSequenceBefore } from '$lib/live/sequence.server';

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const liveSequence = await liveSequenceBefore(event, { round: event.params.id });
  const result = await event.locals.api.query(RoundDocument, { id: event.params.id }).toPromise();
  if (!result.data) loadFailed(result.error);
  const isFacilitator = hasRole(viewer, 'FACILITATOR');
  return { round: result.data.round, liveSequence, isFacilitator, confirmation: takeConfirmation(event), lifecycle: isFacilitator ? confirmStep(event, result.data.round) : null };
};

export const actions: Actions = {
  ...lifecycleActions,

  /** A comment on the framework as a whole or on one section. */
  comment: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'target', 'type', 'body', 'proposedChange');
    const [targetKind, targetId] = values.target.split(':') as [CommentTargetKind, string | undefined];
    const input = { roundId: event.params.id, targetKind, targetId: targetId || null, type: values.type as CommentType, body: values.body, proposedChange: values.proposedChange || null, idempotencyKey: idempotencyKeyOf(data) };
    const result = await event.locals.api.mutation(AddCommentDocument, { input }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, values, { form: 'comment' });
    confirmAndReturn(event, { form: 'comment' }, 'general-heading');
  },

  close: async (event) => {
    requireRole(event, 'FACILITATOR');
    const result = await event.locals.api.mutation(CloseRoundNowDocument, { id: event.params.id }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, {}, { form: 'manage' });
    // Back to the round without the confirmation step's query.
    confirmAndReturn({ url: new URL(event.url.pathname, event.url), cookies: event.cookies }, { form: 'close' }, 'manage-heading');
  },

  resolve: async (event) => {
    requireRole(event, 'FACILITATOR');
    const result = await event.locals.api.mutation(ResolveRoundDocument, { id: event.params.id }).toPromise();
    const missing = result.error?.graphQLErrors[0]?.extensions.missing;
    if (typeof missing === 'number') return fail(409, { form: 'manage', message: 'consultation.error.DISPOSITIONS_MISSING', missing, fields: {}, values: {} });
    if (result.error || !result.data) return consultationFailure(result.error, {}, { form: 'manage' });
    confirmAndReturn(event, { form: 'resolve' }, 'manage-heading');
  },
};
