import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import type { FacetCount } from '../comments/comment-facets.js';
import { commentsMatching, matchingCount } from '../comments/filter-criteria.js';
import { countInt, reads } from '../db/reads.js';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';

/**
 * Comments per theme within every criterion of the list's filter but the themes (ticking a theme lists
 * that many), in the round's theme order, then those without a theme; one statement. Only tagged
 * comments are joined: those without a theme are all that match (from the maintained counts when the
 * filter allows, or `matching` when the caller counted them already) less the tagged ones that match.
 */
export async function themeFacets(em: EntityManager, roundId: string, filter: CommentFilter, language: Locale | null, matching?: Promise<number>): Promise<FacetCount[]> {
  const db = reads(em);
  const others = { ...filter, themeIds: null };
  const tagged = db.selectFrom('comment_theme as ct').innerJoin('comment as c', 'c.id', 'ct.comment_id').where(commentsMatching(db, roundId, others));
  const rows = await db
    .selectFrom('theme as t')
    .innerJoin('consultation_round as r', 'r.id', 't.round_id')
    .innerJoin('framework as f', 'f.id', 'r.framework_id')
    .leftJoin(tagged.select(['ct.theme_id', 'ct.comment_id']).as('m'), 'm.theme_id', 't.id')
    // Nullable: the comments without a theme follow in the same columns.
    .select(({ ref }) => [
      ref('t.id').$castTo<string | null>().as('id'),
      ref('t.label').$castTo<LocalizedText | null>().as('label'),
      ref('f.source_language').$castTo<Locale | null>().as('source'),
      ref('t.position').$castTo<number | null>().as('position'),
      sql<number>`count(m.comment_id)::int`.as('n'),
    ])
    .where('t.round_id', '=', roundId)
    .groupBy(['t.id', 't.label', 't.position', 'f.source_language'])
    .unionAll(
      db.selectNoFrom([
        sql<null>`null`.as('id'),
        sql<null>`null`.as('label'),
        sql<null>`null`.as('source'),
        sql<null>`null`.as('position'),
        sql<number>`(${matching ? sql`0` : matchingCount(db, roundId, others)}) - (${tagged.select(sql<number>`count(distinct ct.comment_id)::int`.as('n'))})`.as('n'),
      ]),
    )
    .orderBy(sql`4 nulls last`)
    .execute();
  const untagged = matching ? await matching : 0;
  return rows.map((r) => ({ value: r.id, label: r.label && r.source ? (localize(r.label, language ?? r.source, r.source)?.value ?? null) : null, count: r.id === null ? untagged + r.n : r.n }));
}

/** Of the comments matching every criterion but `onBehalf`, those entered on someone's behalf: asking for them lists that many. */
export async function countOnBehalf(em: EntityManager, roundId: string, filter: CommentFilter): Promise<number> {
  const db = reads(em);
  const row = await db
    .selectFrom('comment as c')
    .innerJoin('on_behalf_source as s', 's.comment_id', 'c.id')
    .select(countInt)
    .where(commentsMatching(db, roundId, { ...filter, onBehalf: null }))
    .executeTakeFirstOrThrow();
  return row.n;
}
