import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { pickerQuery, pickerSearchAction } from '$lib/directory.server';
import { formFailure, formValues } from '$lib/forms.server';
import { LinkWorkActivityDocument, UnlinkWorkActivityDocument, UpdateWorkActivityDocument, WorkPlanLinkTargetsDocument, type ActivityLinkKind, type ActivityStatus } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { send } from '../../../../meetings/meeting.server';
import { planOfPage, titleIn } from '../../../workplan.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const [plan, targets] = await Promise.all([planOfPage(event), event.locals.api.query(WorkPlanLinkTargetsDocument, { language: event.locals.locale, locale: apiLanguage(event), organizationSearch: pickerQuery(event, 'orgq') }).toPromise()]);
  if (!targets.data) loadFailed(targets.error);
  const objective = plan.objectives.find((o) => o.activities.some((a) => a.id === event.params.id));
  const activity = objective?.activities.find((a) => a.id === event.params.id);
  if (!objective || !activity) error(404, 'NOT_FOUND');
  return { plan: { id: plan.id, year: plan.year }, code: `${objective.position}.${activity.position}`, activity, targets: targets.data };
};

const UPDATE_FIELDS = ['title', 'responsiblePerson', 'startsOn', 'endsOn', 'status', 'progress'];

export const actions: Actions = {
  update: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, ...UPDATE_FIELDS);
    const input = {
      id: event.params.id,
      title: titleIn(event, values.title),
      partnerIds: data.getAll('partnerIds').map(String),
      responsiblePerson: values.responsiblePerson.trim() || null,
      startsOn: values.startsOn,
      endsOn: values.endsOn,
      status: values.status as ActivityStatus,
      progress: values.progress.trim() ? Number(values.progress) : null,
    };
    const result = await event.locals.api.mutation(UpdateWorkActivityDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, { ...values, partnerIds: input.partnerIds.join(',') }, { form: 'update' });
    redirect(303, `/workplan/${event.params.year}`);
  },
  /** The partners' search without scripts: the activity's form comes back as typed, with what the search found. */
  pickerSearch: pickerSearchAction('update', 'orgq', UPDATE_FIELDS, ['partnerIds']),
  link: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'target');
    const [kind, targetId] = values.target.split(':');
    return send(event, LinkWorkActivityDocument, { input: { activityId: event.params.id, kind: kind as ActivityLinkKind, targetId: targetId ?? '' } }, values, 'link');
  },
  unlink: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'linkId');
    return send(event, UnlinkWorkActivityDocument, { linkId: values.linkId }, values, `unlink-${values.linkId}`);
  },
};
