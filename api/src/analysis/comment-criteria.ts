import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { CommentFilter } from '../comments/comment.inputs.js';
import type { Listed } from '../comments/listed.js';

/**
 * The analysis's criteria of the comment-list filter (themes, near-duplicate groups, on-behalf
 * entries) on the list's `c` alias, for `commentsMatching` to add to its own.
 */
export function analysisCriteria(eb: ExpressionBuilder<Listed, 'c'>, filter: CommentFilter): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [];
  const themeIds = filter.themeIds;
  if (themeIds?.length) {
    parts.push(eb.exists(eb.selectFrom('comment_theme as ct').select(eb.lit(1).as('one')).whereRef('ct.comment_id', '=', 'c.id').where('ct.theme_id', 'in', themeIds)));
  }
  const groupIds = filter.nearDuplicateGroupIds;
  if (groupIds?.length) {
    parts.push(
      eb.exists(
        eb.selectFrom('near_duplicate_member as ndm').select(eb.lit(1).as('one')).whereRef('ndm.comment_id', '=', 'c.id').where('ndm.state', '<>', 'REMOVED').where('ndm.group_id', 'in', groupIds),
      ),
    );
  }
  if (filter.onBehalf != null) {
    const entered = eb.exists(eb.selectFrom('on_behalf_source as obs').select(eb.lit(1).as('one')).whereRef('obs.comment_id', '=', 'c.id'));
    parts.push(filter.onBehalf ? entered : eb.not(entered));
  }
  return parts;
}
