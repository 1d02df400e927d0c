import { requireRole, requireViewer } from '$lib/auth.server';
import { formValues } from '$lib/forms.server';
import { AddWorkActivityDocument, AddWorkObjectiveDocument, UpdateWorkObjectiveDocument, type ActivityStatus } from '$lib/graphql/generated';
import { send } from '../../meetings/meeting.server';
import { planOfPage, titleIn } from '../workplan.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  return { plan: await planOfPage(event), today: new Date().toISOString().slice(0, 10) };
};

export const actions: Actions = {
  addObjective: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'planId', 'title');
    return send(event, AddWorkObjectiveDocument, { input: { planId: values.planId, title: titleIn(event, values.title) } }, values, 'addObjective');
  },
  renameObjective: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'id', 'title');
    return send(event, UpdateWorkObjectiveDocument, { input: { id: values.id, title: titleIn(event, values.title) } }, values, `rename-${values.id}`);
  },
  addActivity: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'objectiveId', 'title', 'responsiblePerson', 'startsOn', 'endsOn', 'status', 'progress');
    const input = {
      objectiveId: values.objectiveId,
      title: titleIn(event, values.title),
      partnerIds: [],
      responsiblePerson: values.responsiblePerson.trim() || null,
      startsOn: values.startsOn,
      endsOn: values.endsOn,
      status: values.status as ActivityStatus,
      progress: values.progress.trim() ? Number(values.progress) : null,
    };
    return send(event, AddWorkActivityDocument, { input }, values, `activity-${values.objectiveId}`);
  },
};
