import DataLoader from 'dataloader';
import { expressionBuilder, type Expression } from 'kysely';
import type { LoaderFactory } from '../context.js';
import { countInt, reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import type { DB as Tables } from '../db/tables.js';
import { foundByKey, groupedByKey } from '../db/entity-loader.js';
import { MembershipState, NearDuplicateMember, type NearDuplicateGroupRecord } from './near-duplicate.entity.js';
import type { FeedbackSourceKind, OnBehalfRecord } from './on-behalf-source.entity.js';
import type { ThemeRecord } from './theme.entity.js';

/** The themes of each comment, in the round's theme order, as plain rows. */
export const themesByComment: LoaderFactory<string, ThemeRecord[]> = (em) =>
  new DataLoader(async (commentIds) => {
    const rows = await reads(em)
      .selectFrom('comment_theme as ct')
      .innerJoin('theme as t', 't.id', 'ct.theme_id')
      .select(['ct.comment_id', 't.id', 't.round_id', 't.label', 't.position', 't.created_at'])
      .where('ct.comment_id', '=', (eb) => eb.fn.any(eb.val([...commentIds])))
      .orderBy('t.position')
      .orderBy('t.id')
      .execute();
    const themes = rows.map((r) => ({ commentId: r.comment_id, theme: { id: r.id, round: { id: r.round_id }, label: r.label, position: r.position, createdAt: rowDate(r.created_at) } }));
    return groupedByKey(commentIds, themes, (t) => t.commentId).map((tagged) => tagged.map((t) => t.theme));
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
    return foundByKey(themeIds, rows, (r) => r.theme_id).map((r) => r?.n ?? 0);
  });

/** The near-duplicate group each comment is in, unless a facilitator took it out, with the group's size, as plain rows. */
export const groupOfComment: LoaderFactory<string, NearDuplicateGroupRecord | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const rows = await reads(em)
      .selectFrom('near_duplicate_member as m')
      .innerJoin('near_duplicate_group as g', 'g.id', 'm.group_id')
      .selectAll('g')
      .select((eb) => [
        'm.comment_id',
        groupSize(eb.ref('g.id')).as('size'),
      ])
      .where('m.comment_id', '=', (eb) => eb.fn.any(eb.val([...commentIds])))
      .where('m.state', '<>', MembershipState.REMOVED)
      .execute();
    return foundByKey(commentIds, rows, (r) => r.comment_id).map(
      (r): NearDuplicateGroupRecord | null =>
        r && { id: r.id, round: { id: r.round_id }, representative: { id: r.representative_id }, confirmedAt: rowDate(r.confirmed_at), confirmedById: r.confirmed_by_id, createdAt: rowDate(r.created_at), size: r.size ?? 0 },
    );
  });

/** Every member of each group (taken-out ones too, marked), oldest comment first. */
export const membersByGroup: LoaderFactory<string, NearDuplicateMember[]> = (em) =>
  new DataLoader(async (groupIds) => {
    const members = await em.find(NearDuplicateMember, { group: { $in: [...groupIds] } }, { populate: ['comment'], orderBy: { comment: { createdAt: 'asc', id: 'asc' } } });
    return groupedByKey(groupIds, members, (m) => m.group.id);
  });

/** Members not taken out, per group: counted, as a form-letter campaign makes groups of thousands. */
export const memberCountByGroup: LoaderFactory<string, number> = (em) =>
  new DataLoader(async (groupIds) => {
    const rows = await reads(em)
      .selectFrom('near_duplicate_group as g')
      .select((eb) => ['g.id', groupSize(eb.ref('g.id')).as('size')])
      .where('g.id', 'in', [...groupIds])
      .execute();
    return foundByKey(groupIds, rows, (r) => r.id).map((r) => r?.size ?? 0);
  });

/** A group's size, its members not taken out: one definition for a group read alone, beside its comment, or in an export's row. */
export function groupSize(groupId: Expression<string | null>) {
  return expressionBuilder<Tables>().selectFrom('near_duplicate_member as standing').select(countInt).where('standing.group_id', '=', groupId).where('standing.state', '<>', MembershipState.REMOVED);
}

/** Where each comment entered on someone's behalf was given, as plain rows. */
export const onBehalfByComment: LoaderFactory<string, OnBehalfRecord | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const rows = await reads(em).selectFrom('on_behalf_source').selectAll().where('comment_id', '=', (eb) => eb.fn.any(eb.val([...commentIds]))).execute();
    return foundByKey(commentIds, rows, (r) => r.comment_id).map(
      (r): OnBehalfRecord | null =>
        r && {
          id: r.id,
          comment: { id: r.comment_id },
          kind: r.kind as FeedbackSourceKind,
          eventName: r.event_name,
          givenOn: r.given_on,
          place: r.place,
          personName: r.person_name,
          organizationName: r.organization_name,
          enteredById: r.entered_by_id,
          enteredByName: r.entered_by_name,
          meetingId: r.meeting_id,
          enteredAt: rowDate(r.entered_at),
        },
    );
  });
