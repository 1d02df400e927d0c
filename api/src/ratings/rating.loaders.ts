import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { countInt, reads } from '../db/reads.js';
import { groupedByKey } from '../db/entity-loader.js';
import { PracticeRating, RatingValue } from './practice-rating.entity.js';

export type Distribution = Record<RatingValue, number>;

/** Per round, the count of each rating value per practice (indicator id), in one grouped query. */
export const ratingDistributions: LoaderFactory<string, Map<string, Distribution>> = (em) =>
  new DataLoader(async (roundIds) => {
    const rows = await reads(em)
      .selectFrom('practice_rating')
      .select(['round_id', 'indicator_id', 'value', countInt])
      .where('round_id', 'in', [...roundIds])
      .groupBy(['round_id', 'indicator_id', 'value'])
      .execute();
    return roundIds.map((roundId) => {
      const byPractice = new Map<string, Distribution>();
      for (const r of rows.filter((row) => row.round_id === roundId)) {
        const d = byPractice.get(r.indicator_id) ?? { ESSENTIAL: 0, USEFUL: 0, NOT_RELEVANT: 0, NO_OPINION: 0 };
        d[r.value as RatingValue] = r.n;
        byPractice.set(r.indicator_id, d);
      }
      return byPractice;
    });
  });

/** The viewer's own ratings in each round. */
export const myRatings: LoaderFactory<string, PracticeRating[]> = (em, ctx) =>
  new DataLoader(async (roundIds) => {
    if (!ctx.viewer) return roundIds.map(() => []);
    const ratings = await em.find(PracticeRating, { round: { $in: [...roundIds] }, userId: ctx.viewer.id });
    return groupedByKey(roundIds, ratings, (r) => r.round.id);
  });
