import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict } from '../errors.js';
import { RoundVersion } from '../rounds/round-version.entity.js';
import { getRound, requireParticipation } from '../rounds/round.service.js';
import { PracticeRating } from './practice-rating.entity.js';
import type { RatePracticeInput } from './rating.inputs.js';

/** Creates or changes my rating of one practice; the unique key makes a second row impossible even under races. */
export async function ratePractice(em: EntityManager, viewer: Viewer, input: RatePracticeInput): Promise<PracticeRating> {
  const round = await getRound(em, input.roundId);
  if (!round.ratingsEnabled) throw conflict('This round does not ask for practice ratings', { reason: 'RATINGS_DISABLED' });
  await requireParticipation(em, viewer, round);
  if (!(await em.count(RoundVersion, { round, indicator: input.indicatorId }))) {
    throw badInput('indicatorId', 'That practice is not under consultation in this round');
  }
  const comment = input.comment?.trim() || null;
  const [row] = await em.execute<{ id: string; inserted: boolean }[]>(
    `insert into practice_rating (id, round_id, indicator_id, user_id, value, comment, updated_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, now())
     on conflict (round_id, indicator_id, user_id) do update set value = excluded.value, comment = excluded.comment, updated_at = excluded.updated_at
     returning id, (xmax = 0) as inserted`,
    [round.id, input.indicatorId, viewer.id, input.value, comment],
  );
  audit(em, { actorId: viewer.id, action: row.inserted ? 'rating.set' : 'rating.changed', subjectType: 'PracticeRating', subjectId: row.id, scopeId: round.id, data: { indicatorId: input.indicatorId, value: input.value, comment } });
  await em.flush();
  return em.findOneOrFail(PracticeRating, { id: row.id }, { refresh: true });
}
