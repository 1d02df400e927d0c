import { requireRole, requireViewer } from '$lib/auth.server';
import { formValues } from '$lib/forms.server';
import {
  CallNextSpeakerDocument,
  LowerHandDocument,
  MeetingBallotSequenceDocument,
  MeetingItemCommentsDocument,
  MeetingLiveDocument,
  OpenQuickBallotDocument,
  RaiseHandDocument,
  RecordRoomPointDocument,
  SetCurrentAgendaItemDocument,
} from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { send } from '../../meeting.server';
import type { Actions, PageServerLoad } from './$types';

/** The meeting as it stands now: its current item with the indicator's text and comments, or the ballot's tally, and where its live topics stand. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const api = event.locals.api;
  const result = await api.query(MeetingLiveDocument, { id: event.params.id, language: event.locals.locale, locale: apiLanguage(event), topic: `meeting:${event.params.id}` }, { requestPolicy: 'network-only' }).toPromise();
  if (!result.data) loadFailed(result.error);
  const item = result.data.meeting.currentItem;
  const [comments, ballotSequence] = await Promise.all([
    item?.roundId && item.indicatorVersion ? api.query(MeetingItemCommentsDocument, { roundId: item.roundId, indicatorIds: [item.indicatorVersion.indicator.id] }, { requestPolicy: 'network-only' }).toPromise() : null,
    item?.ballot ? api.query(MeetingBallotSequenceDocument, { topic: `ballot:${item.ballot.id}` }, { requestPolicy: 'network-only' }).toPromise() : null,
  ]);
  return {
    meeting: result.data.meeting,
    meetingSequence: result.data.liveSequence,
    ballotSequence: ballotSequence?.data?.liveSequence ?? null,
    comments: comments?.data?.roundComments.edges.map((e) => e.node) ?? [],
  };
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
