import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { RoundVersion } from './round-version.entity.js';

/** The pinned versions of each round, in framework order, with their counters. */
export const roundIndicators: LoaderFactory<string, RoundVersion[]> = (em) =>
  new DataLoader(async (roundIds) => {
    const pinned = await em.find(RoundVersion, { round: { $in: [...roundIds] } }, { orderBy: { position: 'asc' } });
    return roundIds.map((id) => pinned.filter((p) => p.round.id === id));
  });

/** For the viewer: the indicators of each round they have commented on (standing top-level comments). */
export const myCommentedIndicators: LoaderFactory<string, string[]> = (em, ctx) =>
  new DataLoader(async (roundIds) => {
    if (!ctx.viewer) return roundIds.map(() => []);
    const rows = await em.execute<{ round_id: string; indicator_id: string }[]>(
      'select distinct round_id, indicator_id from comment where round_id in (?) and author_id = ? and parent_id is null and withdrawn_at is null and indicator_id is not null',
      [[...roundIds], ctx.viewer.id],
    );
    return roundIds.map((id) => rows.filter((r) => r.round_id === id).map((r) => r.indicator_id));
  });
