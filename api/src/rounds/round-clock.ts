import type { EntityManager } from '@mikro-orm/postgresql';
import { defineTask, enqueue } from '../jobs/tasks.js';
import { LiveEventKind, topics } from '../live/live-event.js';
import { announcedSince } from '../live/live-event.log.js';
import { publishRoundStatusEvent } from './round-activity.js';
import { ConsultationRound } from './round.entity.js';

type Edge = 'opensAt' | 'closesAt';

/**
 * At a round's opening or closing time, its followers are told, as a facilitator's action tells
 * them: the status itself follows the clock (`roundStatus`), nothing is stored. The job carries the
 * time it was set for; a round whose time moved since (its own job was replaced) or that was
 * already told at or after that time (a repeated delivery) is left alone.
 */
export const roundClock = defineTask<{ roundId: string; edge: Edge; at: string }>('rounds:clock', async ({ roundId, edge, at }, { em }) => {
  await em.transactional(async (tx) => {
    const round = await tx.findOne(ConsultationRound, { id: roundId });
    if (!round || round.draft || round.resolvedAt || round[edge].toISOString() !== at) return;
    if (!(await announcedSince(tx, topics.round(round.id), LiveEventKind.ROUND_STATUS_CHANGED, round[edge]))) await publishRoundStatusEvent({ em: tx }, round);
  });
});

/** Schedules the round's opening and closing announcements still ahead, replacing earlier ones. Call it when a published round's times are set. */
export async function scheduleRoundClock(em: EntityManager, round: ConsultationRound): Promise<void> {
  const now = new Date();
  for (const edge of ['opensAt', 'closesAt'] as const) {
    if (round[edge] > now) await enqueue(em, roundClock, { roundId: round.id, edge, at: round[edge].toISOString() }, { runAt: round[edge], jobKey: `round:${round.id}:${edge}` });
  }
}
