import type { EntityManager } from '@mikro-orm/postgresql';
import { whereFor, type FacetCount } from '../comments/comment-list.js';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';

/**
 * Comments per theme within every criterion of the list's filter but the themes (ticking a theme lists
 * that many), in the round's theme order, then those without a theme; one statement.
 */
export async function themeFacets(em: EntityManager, roundId: string, filter: CommentFilter, language: Locale | null): Promise<FacetCount[]> {
  const { where, params } = whereFor(roundId, { ...filter, themeIds: null });
  const rows = await em.execute<{ id: string | null; label: LocalizedText | null; source: Locale; n: number }[]>(
    `with matching as (select c.id from comment c where ${where})
     select t.id, t.label, f.source_language as source, t.position, count(ct.id)::int as n
       from theme t join consultation_round r on r.id = t.round_id join framework f on f.id = r.framework_id
       left join comment_theme ct on ct.theme_id = t.id and ct.comment_id in (select id from matching)
      where t.round_id = ? group by t.id, t.label, t.position, f.source_language
     union all
     select null, null, null, null, count(*)::int from matching m where not exists (select 1 from comment_theme ct where ct.comment_id = m.id)
     order by 4 nulls last`,
    [...params, roundId],
  );
  return rows.map((r) => ({ value: r.id, label: r.label ? (localize(r.label, language ?? r.source, r.source)?.value ?? null) : null, count: r.n }));
}

/** Of the comments matching every criterion but `onBehalf`, those entered on someone's behalf: asking for them lists that many. */
export async function countOnBehalf(em: EntityManager, roundId: string, filter: CommentFilter): Promise<number> {
  const { where, params } = whereFor(roundId, { ...filter, onBehalf: null });
  const [row] = await em.execute<{ n: number }[]>(`select count(*)::int as n from comment c join on_behalf_source s on s.comment_id = c.id where ${where}`, params);
  return row.n;
}
