import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { dispositionChoice } from '$lib/components/analysis/analysis';
import type { FormFailure } from '$lib/forms';
import {
  ConfirmNearDuplicateGroupDocument,
  DisposeNearDuplicateGroupDocument,
  NearDuplicatesDocument,
  RegroupRoundDocument,
  RemoveFromNearDuplicateGroupDocument,
} from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import { problemOf } from '$lib/graphql/problems';
import type { Actions, PageServerLoad } from './$types';
import { consultationFailure } from '../../round.server';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const result = await event.locals.api.query(NearDuplicatesDocument, { roundId: event.params.id }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { round: result.data.round, groups: result.data.nearDuplicateGroups, confirmation: takeConfirmation(event) };
};

const groupIdOf = (data: FormData) => String(data.get('groupId') ?? '');

export const actions: Actions = {
  regroup: async (event) => {
    requireRole(event, 'FACILITATOR');
    const result = await event.locals.api.mutation(RegroupRoundDocument, { roundId: event.params.id }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, {}, { form: 'regroup' });
    confirmAndReturn(event, { form: 'regroup', groups: result.data.regroupRound }, 'groups-heading');
  },

  confirm: async (event) => {
    requireRole(event, 'FACILITATOR');
    const groupId = groupIdOf(await event.request.formData());
    const result = await event.locals.api.mutation(ConfirmNearDuplicateGroupDocument, { id: groupId }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, {}, { form: `group-${groupId}` });
    confirmAndReturn(event, { form: 'confirm', groupId }, `group-${groupId}`);
  },

  split: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const groupId = groupIdOf(data);
    const commentIds = data.getAll('commentIds').map(String).filter(Boolean);
    if (!commentIds.length) return fail(400, { form: `group-${groupId}`, message: 'consultation.queue.noneChosen', fields: {}, values: {} } satisfies FormFailure);
    const result = await event.locals.api.mutation(RemoveFromNearDuplicateGroupDocument, { input: { groupId, commentIds } }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, {}, { form: `group-${groupId}` });
    confirmAndReturn(event, { form: 'split', groupId, removed: commentIds.length }, `group-${groupId}`);
  },

  dispose: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const groupId = groupIdOf(data);
    const choice = dispositionChoice(data);
    const result = await event.locals.api.mutation(DisposeNearDuplicateGroupDocument, { input: { groupId, ...choice } }).toPromise();
    if (problemOf(result.error)?.reason === 'GROUP_EMPTY') return fail(409, { form: `group-${groupId}`, message: 'analysis.duplicates.empty', fields: {}, values: {} } satisfies FormFailure);
    if (result.error || !result.data) {
      return consultationFailure(result.error, { response: choice.response }, { form: `group-${groupId}`, otherFields: ['status', 'duplicateOfId'] });
    }
    confirmAndReturn(event, { form: 'dispose', groupId, disposed: result.data.disposeNearDuplicateGroup.length }, `group-${groupId}`);
  },
};
