import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { countInt, reads } from '../db/reads.js';
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
    const rows = await reads(em)
      .selectFrom('comment_theme as ct')
      .innerJoin('comment as c', 'c.id', 'ct.comment_id')
      .select(['ct.theme_id', countInt])
      .where('ct.theme_id', 'in', [...themeIds])
      .where('c.withdrawn_at', 'is', null)
      .groupBy('ct.theme_id')
      .execute();
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
    const rows = await reads(em)
      .selectFrom('near_duplicate_member')
      .select(['group_id', countInt])
      .where('group_id', 'in', [...groupIds])
      .where('state', '<>', MembershipState.REMOVED)
      .groupBy('group_id')
      .execute();
    const counts = new Map(rows.map((r) => [r.group_id, r.n]));
    return groupIds.map((id) => counts.get(id) ?? 0);
  });

export const onBehalfByComment: LoaderFactory<string, OnBehalfSource | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const found = new Map((await em.find(OnBehalfSource, { comment: { $in: [...commentIds] } })).map((s) => [s.comment.id, s]));
    return commentIds.map((id) => found.get(id) ?? null);
  });
