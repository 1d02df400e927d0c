import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import { findBallot, tallyVisible } from '../ballots/ballot.service.js';
import { badInput } from '../errors.js';
import { LiveEventKind, type LiveEvent } from './live-event.js';
import { requireRoundReader } from '../rounds/round-readers.js';
import { getRound } from '../rounds/round.service.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ROUND = new RegExp(`^round:(${UUID})$`, 'i');
const INDICATOR = new RegExp(`^indicator:(${UUID}):(${UUID})$`, 'i');
const BALLOT = new RegExp(`^ballot:(${UUID})$`, 'i');

/** Which of a topic's events a viewer receives. */
export type EventFilter = (event: LiveEvent) => boolean;
const everything: EventFilter = () => true;

/**
 * The one gate for following a topic, live or through catch-up: throws NOT_FOUND / FORBIDDEN
 * (BAD_USER_INPUT for a malformed topic) and returns which events the viewer may receive.
 */
export async function authorizeTopic(em: EntityManager, viewer: Viewer, topic: string): Promise<EventFilter> {
  const round = ROUND.exec(topic) ?? INDICATOR.exec(topic);
  if (round) {
    await requireRoundReader(viewer, await getRound(em, round[1]));
    return everything;
  }
  const ballot = BALLOT.exec(topic);
  if (ballot) return ballotEventFilter(em, viewer, ballot[1]);
  throw badInput('topic', 'Not a live topic: round:<id>, indicator:<roundId>:<versionId> or ballot:<id>');
}

/**
 * A ballot the viewer may see; votes as they are cast only where the viewer may see the tally
 * (facilitators always; others on an OPEN ballot, or once a secret one has closed).
 */
async function ballotEventFilter(em: EntityManager, viewer: Viewer, ballotId: string): Promise<EventFilter> {
  const ballot = await findBallot(em, viewer, ballotId);
  return (event) => event.kind !== LiveEventKind.VOTE_CAST || tallyVisible(ballot, viewer);
}
