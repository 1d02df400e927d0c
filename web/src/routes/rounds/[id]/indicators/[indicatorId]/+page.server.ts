import { error } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formValues } from '$lib/forms.server';
import {
  AddCommentDocument,
  EditCommentDocument,
  ReplyToCommentDocument,
  RoundIndicatorDocument,
  WithdrawCommentDocument,
  type CommentType,
  type IndicatorField,
  type Locale,
} from '$lib/graphql/generated';
import { hasRole } from '$lib/viewer';
import type { Actions, PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { consultationFailure } from '../../../round.server';
import { idempotencyKeyOf } from '$lib/offline/idempotency.server';
import { liveSequenceBefore } from '$lib/live/sequence.server';

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const liveSequence = await liveSequenceBefore(event, { round: event.params.id, indicator: event.params.indicatorId });
  const result = await event.locals.api.query(RoundIndicatorDocument, { id: event.params.id, indicatorId: event.params.indicatorId, language: apiLanguage(event), first: 200 }).toPromise();
  if (!result.data) loadFailed(result.error);
  if (!result.data.round.indicator) error(404, 'NOT_FOUND');
  return { round: result.data.round, pinned: result.data.round.indicator, comments: result.data.roundComments, liveSequence, isFacilitator: hasRole(viewer, 'FACILITATOR'), confirmation: takeConfirmation(event) };
};

const number = (value: string) => (value === '' ? null : Number(value));

export const actions: Actions = {
  /** A comment on the pinned version: on a passage (quote, with offsets when the browser found them) or on a whole field, or on the indicator. */
  comment: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'versionId', 'target', 'exact', 'start', 'end', 'type', 'body', 'proposedChange');
    // `target` is the field and the language it was shown in, e.g. `STATEMENT:ES`; empty for the whole indicator.
    const [field, language] = values.target.split(':');
    const exact = values.exact.trim() ? values.exact : null;
    const anchor = field
      ? { field: field as IndicatorField, language: (language || apiLanguage(event)) as Locale, exact, start: exact ? number(values.start) : null, end: exact ? number(values.end) : null }
      : null;
    const input = { roundId: event.params.id, targetKind: 'INDICATOR_VERSION' as const, targetId: values.versionId, type: values.type as CommentType, body: values.body, proposedChange: values.proposedChange || null, anchor, idempotencyKey: idempotencyKeyOf(data) };
    const result = await event.locals.api.mutation(AddCommentDocument, { input }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, values, { form: 'comment', otherFields: ['anchor'] });
    const id = result.data.addComment.id;
    confirmAndReturn(event, { form: 'comment', commentId: id }, `comment-${id}`);
  },

  reply: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'parentId', 'body', 'official');
    const input = { parentId: values.parentId, body: values.body, official: values.official === 'on', idempotencyKey: idempotencyKeyOf(data) };
    const result = await event.locals.api.mutation(ReplyToCommentDocument, { input }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, values, { form: `reply-${values.parentId}` });
    const id = result.data.replyToComment.id;
    confirmAndReturn(event, { form: 'reply', commentId: id }, `comment-${id}`);
  },

  edit: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'commentId', 'body', 'proposedChange', 'type');
    const input = { body: values.body, proposedChange: values.proposedChange || null, type: (values.type || null) as CommentType | null };
    const result = await event.locals.api.mutation(EditCommentDocument, { id: values.commentId, input }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, values, { form: `edit-${values.commentId}` });
    confirmAndReturn(event, { form: 'edit', commentId: values.commentId }, `comment-${values.commentId}`);
  },

  withdraw: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const commentId = String(data.get('commentId') ?? '');
    const result = await event.locals.api.mutation(WithdrawCommentDocument, { id: commentId }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, { commentId }, { form: `withdraw-${commentId}` });
    confirmAndReturn(event, { form: 'withdraw', commentId }, `comment-${commentId}`);
  },
};
