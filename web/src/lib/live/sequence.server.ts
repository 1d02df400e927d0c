import type { RequestEvent } from '@sveltejs/kit';
import { LiveSequenceDocument, RoundIndicatorLiveSequenceDocument } from '$lib/graphql/generated';
import { dataSaverOf } from '$lib/offline/data-saver.server';
import { topicOf, type LiveSubject } from './live.svelte';

/** A live page's topic as its loader knows it: an indicator's page has the indicator's id, not its version's. */
export type PageTopic = LiveSubject | { round: string; indicator: string };

/**
 * Where a live page's feed starts: its topic's sequence, read before the page's data and in a request of
 * its own (the fields of one query resolve concurrently, in no set order). What is committed after this
 * read is replayed to the feed, so nothing falls between the data read and the feed's start; what the
 * data already holds only reloads it again. Null under data saver (no feed) or when it could not be read
 * (the feed then reads it as it starts).
 */
export async function liveSequenceBefore(event: Pick<RequestEvent, 'locals' | 'request' | 'cookies'>, topic: PageTopic): Promise<number | null> {
  if (dataSaverOf(event.request, event.cookies)) return null;
  if ('indicator' in topic) {
    const r = await event.locals.api.query(RoundIndicatorLiveSequenceDocument, { roundId: topic.round, indicatorId: topic.indicator }).toPromise();
    return r.data?.round.indicator?.liveSequence ?? null;
  }
  const r = await event.locals.api.query(LiveSequenceDocument, { topic: topicOf(topic) }).toPromise();
  return r.data?.liveSequence ?? null;
}
