import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { MembershipState, NearDuplicateMember } from './near-duplicate.entity.js';
import { OnBehalfSource } from './on-behalf-source.entity.js';
import { CommentTheme, Theme } from './theme.entity.js';

/** The themes of each comment, in the round's theme order. */
export const themesByComment: LoaderFactory<string, Theme[]> = (em) =>
  new DataLoader(async (commentIds) => {
    const tags = await em.find(CommentTheme, { comment: { $in: [...commentIds] } }, { populate: ['theme'], orderBy: { theme: { position: 'asc', id: 'asc' } } });
    return commentIds.map((id) => tags.filter((t) => t.comment.id === id).map((t) => t.theme.getEntity()));
  });

/** Standing top-level comments tagged with each theme. */
export const commentCountByTheme: LoaderFactory<string, number> = (em) =>
  new DataLoader(async (themeIds) => {
    const rows = await em.execute<{ theme_id: string; n: number }[]>(
      'select ct.theme_id, count(*)::int as n from comment_theme ct join comment c on c.id = ct.comment_id where ct.theme_id in (?) and c.withdrawn_at is null group by ct.theme_id',
      [[...themeIds]],
    );
    const counts = new Map(rows.map((r) => [r.theme_id, r.n]));
    return themeIds.map((id) => counts.get(id) ?? 0);
  });

/** Each comment's place in a near-duplicate group, unless a facilitator took it out. */
export const membershipByComment: LoaderFactory<string, NearDuplicateMember | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const found = new Map((await em.find(NearDuplicateMember, { comment: { $in: [...commentIds] }, state: { $ne: MembershipState.REMOVED } })).map((m) => [m.comment.id, m]));
    return commentIds.map((id) => found.get(id) ?? null);
  });

/** Every member of each group (taken-out ones too, marked), oldest comment first. */
export const membersByGroup: LoaderFactory<string, NearDuplicateMember[]> = (em) =>
  new DataLoader(async (groupIds) => {
    const members = await em.find(NearDuplicateMember, { group: { $in: [...groupIds] } }, { populate: ['comment'], orderBy: { comment: { createdAt: 'asc', id: 'asc' } } });
    return groupIds.map((id) => members.filter((m) => m.group.id === id));
  });

/** Members not taken out, per group: counted, as a form-letter campaign makes groups of thousands. */
export const memberCountByGroup: LoaderFactory<string, number> = (em) =>
  new DataLoader(async (groupIds) => {
    const rows = await em.execute<{ group_id: string; n: number }[]>(
      'select group_id, count(*)::int as n from near_duplicate_member where group_id in (?) and state <> ? group by group_id',
      [[...groupIds], MembershipState.REMOVED],
    );
    const counts = new Map(rows.map((r) => [r.group_id, r.n]));
    return groupIds.map((id) => counts.get(id) ?? 0);
  });

export const onBehalfByComment: LoaderFactory<string, OnBehalfSource | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const found = new Map((await em.find(OnBehalfSource, { comment: { $in: [...commentIds] } })).map((s) => [s.comment.id, s]));
    return commentIds.map((id) => found.get(id) ?? null);
  });
