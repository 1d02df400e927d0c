import type { CommentFilter } from '../comments/comment.inputs.js';

/**
 * The analysis's criteria of the comment-list filter (themes, near-duplicate groups, on-behalf
 * entries) as SQL on the list's `c` alias, for `whereFor` to add to its own.
 */
export function analysisCriteria(filter: CommentFilter): { parts: string[]; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.themeIds?.length) {
    parts.push('exists (select 1 from comment_theme ct where ct.comment_id = c.id and ct.theme_id in (?))');
    params.push(filter.themeIds);
  }
  if (filter.nearDuplicateGroupIds?.length) {
    parts.push("exists (select 1 from near_duplicate_member ndm where ndm.comment_id = c.id and ndm.state <> 'REMOVED' and ndm.group_id in (?))");
    params.push(filter.nearDuplicateGroupIds);
  }
  if (filter.onBehalf != null) parts.push(`${filter.onBehalf ? '' : 'not '}exists (select 1 from on_behalf_source obs where obs.comment_id = c.id)`);
  return { parts, params };
}
