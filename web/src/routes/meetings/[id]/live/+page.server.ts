import { requireRole, requireViewer } from '$lib/auth.server';
import { formValues } from '$lib/forms.server';
import {
  CallNextSpeakerDocument,
  LowerHandDocument,
  MeetingItemCommentsDocument,
  OpenQuickBallotDocument,
  RaiseHandDocument,
  RecordRoomPointDocument,
  SetCurrentAgendaItemDocument,
} from '$lib/graphql/generated';
import { meetingNow, send } from '../../meeting.server';
import type { Actions, PageServerLoad } from './$types';

/** The meeting as it stands now: its current item with the indicator's text and comments, or the ballot's tally, and where its live topics stand. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const now = await meetingNow(event);
  const item = now.meeting.currentItem;
  const comments =
    item?.roundId && item.indicatorVersion
      ? await event.locals.api.query(MeetingItemCommentsDocument, { roundId: item.roundId, indicatorIds: [item.indicatorVersion.indicator.id] }, { requestPolicy: 'network-only' }).toPromise()
      : null;
  return { ...now, comments: comments?.data?.roundComments.edges.map((e) => e.node) ?? [] };
};

export const actions: Actions = {
  move: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'agendaItemId');
    return send(event, SetCurrentAgendaItemDocument, { meetingId: event.params.id, agendaItemId: values.agendaItemId || null }, values, 'move');
  },
  raise: async (event) => {
    requireViewer(event);
    return send(event, RaiseHandDocument, { meetingId: event.params.id }, {}, 'hand');
  },
  lower: async (event) => {
    requireViewer(event);
    return send(event, LowerHandDocument, { meetingId: event.params.id }, {}, 'hand');
  },
  next: async (event) => {
    requireRole(event, 'FACILITATOR');
    return send(event, CallNextSpeakerDocument, { meetingId: event.params.id }, {}, 'next');
  },
  quickBallot: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'agendaItemId', 'minutes');
    return send(event, OpenQuickBallotDocument, { agendaItemId: values.agendaItemId, minutes: Number(values.minutes) || 10 }, values, 'quickBallot');
  },
  roomPoint: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'agendaItemId', 'body', 'personName', 'organizationName');
    return send(event, RecordRoomPointDocument, { input: { agendaItemId: values.agendaItemId, body: values.body, personName: values.personName.trim() || null, organizationName: values.organizationName.trim() || null } }, values, 'roomPoint');
  },
};
