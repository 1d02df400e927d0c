import { registerEnumType } from 'type-graphql';

/** What happened. Subscribers load the thing itself through the ids, with their own rights. */
export enum LiveEventKind {
  COMMENT_ADDED = 'COMMENT_ADDED',
  COMMENT_EDITED = 'COMMENT_EDITED',
  COMMENT_WITHDRAWN = 'COMMENT_WITHDRAWN',
  REPLY_ADDED = 'REPLY_ADDED',
  DISPOSITION_CHANGED = 'DISPOSITION_CHANGED',
  COMMENTS_TAKEN_UP = 'COMMENTS_TAKEN_UP',
  ROUND_STATUS_CHANGED = 'ROUND_STATUS_CHANGED',
  VOTE_CAST = 'VOTE_CAST',
  BALLOT_STATUS_CHANGED = 'BALLOT_STATUS_CHANGED',
  MEETING_ITEM_CHANGED = 'MEETING_ITEM_CHANGED',
  SPEAKING_QUEUE_CHANGED = 'SPEAKING_QUEUE_CHANGED',
  ROOM_POINT_RECORDED = 'ROOM_POINT_RECORDED',
}
registerEnumType(LiveEventKind, {
  name: 'LiveEventKind',
  description: 'What a live event reports.',
  valuesConfig: {
    COMMENT_ADDED: { description: 'A top-level comment was added (`commentId`, `threadId`).' },
    COMMENT_EDITED: { description: 'A comment or reply was edited.' },
    COMMENT_WITHDRAWN: { description: 'A comment or reply was withdrawn by its author.' },
    REPLY_ADDED: { description: 'A reply was added to a thread (`threadId`).' },
    DISPOSITION_CHANGED: { description: 'A comment’s disposition was set or changed.' },
    COMMENTS_TAKEN_UP: { description: 'A proposed revision takes up comments of the round.' },
    ROUND_STATUS_CHANGED: { description: 'The round’s status or dates changed (opened, extended, closed, resolved).' },
    VOTE_CAST: { description: 'A vote was cast or changed in the ballot (`ballotId`).' },
    BALLOT_STATUS_CHANGED: { description: 'The ballot was opened or closed.' },
    MEETING_ITEM_CHANGED: { description: 'A meeting moved to another agenda item, or its current item changed (a quick ballot opened on it) (`meetingId`, `agendaItemId`).' },
    SPEAKING_QUEUE_CHANGED: { description: 'A hand was raised, lowered or given the floor in a meeting’s speaking queue (`meetingId`).' },
    ROOM_POINT_RECORDED: { description: 'A point raised in a meeting’s room was recorded as a comment on its current item (`meetingId`, `agendaItemId`, `commentId`).' },
  },
});

/** The ids an event carries: enough to find what changed, nothing a reader might not be allowed to see. */
export interface LiveEventIds {
  roundId?: string;
  indicatorVersionId?: string;
  commentId?: string;
  threadId?: string;
  ballotId?: string;
  meetingId?: string;
  agendaItemId?: string;
}

/** One event on one topic, as stored in `live_event` and sent between API processes. */
export interface LiveEvent {
  topic: string;
  /** Gap-free within the topic, in commit order. */
  sequence: number;
  kind: LiveEventKind;
  ids: LiveEventIds;
  at: Date;
}

/**
 * Topics: a round's activity, one indicator version's activity within a round, a ballot's tally.
 * An event about an indicator version is written to both its round's and its indicator's topic.
 */
/** How the topics the outbox's reads pick out by kind begin (`live-event.log.ts` matches them in SQL). */
export const topicPrefix = { round: 'round:', indicator: 'indicator:' } as const;

export const topics = {
  round: (roundId: string) => `${topicPrefix.round}${roundId}`,
  indicator: (roundId: string, indicatorVersionId: string) => `${topicPrefix.indicator}${roundId}:${indicatorVersionId}`,
  ballot: (ballotId: string) => `ballot:${ballotId}`,
  meeting: (meetingId: string) => `meeting:${meetingId}`,
};

/** The topics an event about a round (and possibly one of its indicator versions) belongs to. */
export function roundTopics(ids: LiveEventIds & { roundId: string }): string[] {
  return ids.indicatorVersionId ? [topics.round(ids.roundId), topics.indicator(ids.roundId, ids.indicatorVersionId)] : [topics.round(ids.roundId)];
}
