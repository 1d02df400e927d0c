import { fail, type RequestEvent } from '@sveltejs/kit';
import { requireRole, requireViewer } from '$lib/auth.server';
import { uploadMessage, uploadToApi } from '$lib/certification-uploads.server';
import { formValues } from '$lib/forms.server';
import {
  AddActionItemDocument,
  AddAgendaItemDocument,
  CancelMeetingRegistrationDocument,
  MarkActionItemDocument,
  MeetingPageDocument,
  MeetingsPublicPageDocument,
  MoveAgendaItemDocument,
  RecordAttendanceDocument,
  RecordDecisionDocument,
  RegisterForMeetingDocument,
  SaveItemMinutesDocument,
  SignOffMinutesDocument,
  type AgendaLinkKind,
  type AgendaMove,
} from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import { done, send } from '../meeting.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const variables = { id: event.params.id, language: event.locals.locale };
  if (!event.locals.viewer) {
    const result = await event.locals.api.query(MeetingsPublicPageDocument, variables).toPromise();
    if (!result.data) loadFailed(result.error);
    return { meeting: { ...result.data.meeting, myRegistration: null, registrations: null, signOffCount: 0, membersPresent: 0, actionItems: [] }, feedPath: null };
  }
  const result = await event.locals.api.query(MeetingPageDocument, variables).toPromise();
  if (!result.data) loadFailed(result.error);
  return { meeting: result.data.meeting, feedPath: result.data.myCalendarFeedPath };
};

const facilitator = (event: RequestEvent) => requireRole(event, 'FACILITATOR');

export const actions: Actions = {
  register: async (event) => {
    requireViewer(event);
    return send(event, RegisterForMeetingDocument, { meetingId: event.params.id }, {}, 'register');
  },
  cancel: async (event) => {
    requireViewer(event);
    return send(event, CancelMeetingRegistrationDocument, { meetingId: event.params.id }, {}, 'register');
  },
  attend: async (event) => {
    facilitator(event);
    const values = formValues(await event.request.formData(), 'personName', 'organizationName', 'country');
    return send(event, RecordAttendanceDocument, { input: { meetingId: event.params.id, personName: values.personName, organizationName: values.organizationName, country: values.country.trim() || null } }, values, 'attend');
  },
  addItem: async (event) => {
    facilitator(event);
    const values = formValues(await event.request.formData(), 'title', 'timeBoxMinutes', 'presenter', 'linkKind', 'roundId', 'indicatorVersionId', 'ballotId', 'materialLabel', 'materialUrl');
    const input = {
      meetingId: event.params.id,
      title: { es: values.title, en: values.title, pt: values.title, fr: values.title },
      timeBoxMinutes: values.timeBoxMinutes.trim() ? Number(values.timeBoxMinutes) : null,
      presenter: values.presenter.trim() || null,
      linkKind: (values.linkKind || null) as AgendaLinkKind | null,
      roundId: values.roundId.trim() || null,
      indicatorVersionId: values.indicatorVersionId.trim() || null,
      ballotId: values.ballotId.trim() || null,
      materials: values.materialUrl.trim() ? [{ label: values.materialLabel.trim() || values.materialUrl.trim(), url: values.materialUrl.trim() }] : [],
    };
    return send(event, AddAgendaItemDocument, { input }, values, 'addItem');
  },
  move: async (event) => {
    facilitator(event);
    const values = formValues(await event.request.formData(), 'agendaItemId', 'direction');
    return send(event, MoveAgendaItemDocument, { agendaItemId: values.agendaItemId, direction: values.direction as AgendaMove }, values, `move-${values.agendaItemId}`);
  },
  /** Adds a file to an item's materials (a plain multipart form: the bytes go on to the API from here, as evidence files do). */
  attach: async (event) => {
    facilitator(event);
    const data = await event.request.formData();
    const agendaItemId = String(data.get('agendaItemId') ?? '');
    const form = `attach-${agendaItemId}`;
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { form, message: 'certificationFiles.error.EVIDENCE_EMPTY', fields: {}, values: {} });
    const result = await uploadToApi(event, '/meetings/materials', file, { agendaItemId, fileName: file.name || 'material', declaredType: file.type || null });
    return result.ok ? done(event, form) : fail(result.status, { form, message: uploadMessage(result), fields: {}, values: {} });
  },
  minutes: async (event) => {
    facilitator(event);
    const values = formValues(await event.request.formData(), 'agendaItemId', 'minutes');
    return send(event, SaveItemMinutesDocument, { agendaItemId: values.agendaItemId, minutes: values.minutes }, values, `minutes-${values.agendaItemId}`);
  },
  decide: async (event) => {
    facilitator(event);
    const values = formValues(await event.request.formData(), 'agendaItemId', 'text');
    return send(event, RecordDecisionDocument, { input: { agendaItemId: values.agendaItemId, text: values.text } }, values, `decide-${values.agendaItemId}`);
  },
  action: async (event) => {
    facilitator(event);
    const values = formValues(await event.request.formData(), 'agendaItemId', 'description', 'responsiblePerson', 'dueOn');
    return send(event, AddActionItemDocument, { input: { agendaItemId: values.agendaItemId, description: values.description, responsiblePerson: values.responsiblePerson, dueOn: values.dueOn } }, values, `action-${values.agendaItemId}`);
  },
  done: async (event) => {
    facilitator(event);
    const values = formValues(await event.request.formData(), 'id', 'done');
    return send(event, MarkActionItemDocument, { id: values.id, done: values.done === 'true' }, values, `done-${values.id}`);
  },
  signOff: async (event) => {
    requireViewer(event);
    return send(event, SignOffMinutesDocument, { meetingId: event.params.id }, {}, 'signOff');
  },
};
