import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { AnyVariables, TypedDocumentNode } from '@urql/core';
import { formFailure } from '$lib/forms.server';
import { LiveSequenceDocument, MeetingLiveDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';

/** Sends one form's mutation; the API's refusal comes back to the form named `form`, else it is `done`. */
export async function send<D, V extends AnyVariables>(event: RequestEvent, document: TypedDocumentNode<D, V>, variables: V, values: Record<string, string>, form: string) {
  const result = await event.locals.api.mutation(document, variables).toPromise();
  if (result.error || !result.data) return formFailure(result.error, values, { form });
  return done(event, form);
}

/**
 * A form that succeeded: a page enhanced by script reloads its data in place; a plain form post is
 * sent back to the page's own address (303), or the browser would stay on `?/action`, where a
 * reload posts the form again.
 */
export function done(event: RequestEvent, form: string) {
  if (event.request.headers.get('x-sveltekit-action') !== 'true') redirect(303, pageAddress(event.url));
  return { done: form };
}

/** The page an action was posted from: its path and query, without the action's `?/name`. */
function pageAddress(url: URL): string {
  const query = new URLSearchParams([...url.searchParams].filter(([name]) => !name.startsWith('/')));
  return query.size ? `${url.pathname}?${query}` : url.pathname;
}

/** A local date and time typed in a form (`YYYY-MM-DDTHH:mm`) in an IANA time zone, as an instant; null when either is not one. */
export function instantIn(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  try {
    const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    // The zone's offset at that moment, read back through Intl (twice, to settle across a DST change).
    let guess = asUtc;
    for (let i = 0; i < 2; i++) {
      const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(guess)).map((p) => [p.type, p.value]));
      const shown = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
      guess += asUtc - shown;
    }
    return new Date(guess).toISOString();
  } catch {
    return null;
  }
}

/**
 * The meeting as it stands, with where its live topics stood before it was read: the meeting's
 * sequence first, then the meeting; when its current item is a ballot, that ballot's sequence, then
 * the meeting again, so the tally shown is no older than the sequence its feed replays from. (The
 * fields of one query resolve in no set order, so each sequence is a request of its own.)
 */
export async function meetingNow(event: RequestEvent) {
  const api = event.locals.api;
  const sequence = async (topic: string) => (await api.query(LiveSequenceDocument, { topic }, { requestPolicy: 'network-only' }).toPromise()).data?.liveSequence ?? null;
  const read = async () => {
    const result = await api.query(MeetingLiveDocument, { id: event.params.id!, language: event.locals.locale, locale: apiLanguage(event) }, { requestPolicy: 'network-only' }).toPromise();
    if (!result.data) loadFailed(result.error);
    return result.data.meeting;
  };
  const meetingSequence = await sequence(`meeting:${event.params.id}`);
  let meeting = await read();
  let ballotSequence: number | null = null;
  if (meeting.currentItem?.ballot) {
    ballotSequence = await sequence(`ballot:${meeting.currentItem.ballot.id}`);
    meeting = await read();
  }
  return { meeting, meetingSequence, ballotSequence: meeting.currentItem?.ballot ? ballotSequence : null };
}
