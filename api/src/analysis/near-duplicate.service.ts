import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { Comment } from '../comments/comment.entity.js';
import type { Disposition } from '../dispositions/disposition.entity.js';
import { setDispositions } from '../dispositions/disposition.service.js';
import { reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import { badInput, conflict, notFound } from '../errors.js';
import { LiveEventKind } from '../live/live-event.js';
import { reactTo, type Reaction } from '../live/publish.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { getRound } from '../rounds/round.service.js';
import { linkNearDuplicates } from './near-duplicate-links.js';
import { MembershipState, NearDuplicateGroup, NearDuplicateMember } from './near-duplicate.entity.js';
import type { DisposeGroupInput, RemoveFromGroupInput } from './near-duplicate.inputs.js';

/**
 * Trigram similarity (pg_trgm, on `comment_match_text`) from which two comments count as
 * near-identical. Measured on the test campaign: copies of a letter with another signature, typos,
 * punctuation or accents dropped score 0.80–0.99 with each other; distinct comments built from the
 * same stock phrases score below 0.36 against the letter and rarely above 0.7 with each other.
 */
export const SIMILARITY_THRESHOLD = 0.7;
/** Loose comments looked at per new comment, of its indicator version and of the round: bounds the work of each insert whatever the size of the round. */
const CANDIDATES = 200;

interface Match {
  id: string;
  created_at: Date | string;
  group_id: string | null;
  similarity: number;
}

/**
 * Puts a new top-level comment into the group of its most similar comment in the round (creating
 * the group when that comment had none), or leaves it alone. Runs after a comment is added (the
 * job below), in a transaction of its own. Comments a facilitator took out of a group are neither
 * matched nor moved; a comment already placed, or withdrawn meanwhile, is left as it is, so placing
 * twice gives the same groups.
 *
 * A copy of a campaign is compared with the groups' representatives first: once a campaign has a
 * group, each new copy costs one comparison per group, however many copies the round holds. Only
 * a comment that joins no group is searched for among the loose comments (through the trigram
 * index); near-identical loose comments do not pile up, since each is grouped as it arrives.
 * Chains the representatives miss are caught by `regroupRound`.
 */
export async function placeComment(em: EntityManager, roundId: string, commentId: string): Promise<void> {
  // One placement at a time per round: two copies arriving together would otherwise both start a group around the same comment.
  await em.execute("select pg_advisory_xact_lock(hashtext('near-duplicates:' || ?)), set_config('pg_trgm.similarity_threshold', ?, true)", [roundId, String(SIMILARITY_THRESHOLD)]);
  // Read once the lock is held (a statement of its own, so that it sees what the placement before it wrote).
  const comment = await reads(em)
    .selectFrom('comment as c')
    .select(['c.id', 'c.body', 'c.created_at', 'c.indicator_version_id'])
    .select((eb) => eb.exists(eb.selectFrom('near_duplicate_member as m').select('m.id').whereRef('m.comment_id', '=', 'c.id')).as('placed'))
    .where('c.id', '=', commentId)
    .where('c.round_id', '=', roundId)
    .where('c.parent_id', 'is', null)
    .where('c.withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (!comment || comment.placed) return;
  const match = await bestMatch(em, roundId, comment);
  if (!match) return;
  let group: NearDuplicateGroup;
  if (match.group_id) {
    group = em.getReference(NearDuplicateGroup, match.group_id);
  } else {
    // A group is shown by its earliest comment.
    const earliest = rowDate(match.created_at) <= rowDate(comment.created_at) ? match.id : comment.id;
    group = em.create(NearDuplicateGroup, { round: em.getReference(ConsultationRound, roundId), representative: em.getReference(Comment, earliest) });
    em.create(NearDuplicateMember, { comment: em.getReference(Comment, match.id), group, state: MembershipState.SUGGESTED, similarity: 1 });
  }
  em.create(NearDuplicateMember, { comment: em.getReference(Comment, comment.id), group, state: MembershipState.SUGGESTED, similarity: match.similarity });
  await em.flush();
}

/** Places each comment added, after its write commits: the writer waits for no other writer of the round. */
export const placeAddedComment: Reaction = async ({ roundId, commentId }, { em }) => {
  if (roundId && commentId) await em.transactional((tx) => placeComment(tx, roundId, commentId));
};
reactTo(LiveEventKind.COMMENT_ADDED, placeAddedComment);

/**
 * The group whose representative is most similar to the comment, if any is similar enough; else
 * the most similar loose comment (in no group, never taken out of one) among the latest of the
 * same indicator version and the latest of the round. One statement: the second part runs only
 * when the first finds nothing.
 *
 * The loose part is bounded on purpose: a trigram index cannot prune long comments that share most
 * words with this one, and a round of such comments would make every insert read them all. Copies
 * of a campaign arrive close together; what this misses, `regroupRound` finds.
 */
async function bestMatch(em: EntityManager, roundId: string, comment: { id: string; body: string; indicator_version_id: string | null }): Promise<Match | undefined> {
  const [match] = await em.execute<Match[]>(
    `(select c.id, c.created_at, g.id as group_id, similarity(comment_match_text(c.body), comment_match_text(?)) as similarity
      from near_duplicate_group g join comment c on c.id = g.representative_id
      where g.round_id = ? and c.id <> ? and c.withdrawn_at is null and comment_match_text(c.body) % comment_match_text(?)
        and not exists (select 1 from near_duplicate_member r where r.comment_id = c.id and r.state = 'REMOVED')
      order by similarity desc, g.id limit 1)
     union all
     (select x.id, x.created_at, null, similarity(comment_match_text(x.body), comment_match_text(?)) as similarity
      from ((select c.id, c.body, c.created_at from comment c
             where c.round_id = ? and c.indicator_version_id = ? and c.parent_id is null and c.withdrawn_at is null and c.id <> ?
             order by c.created_at desc limit ${CANDIDATES})
            union
            (select c.id, c.body, c.created_at from comment c
             where c.round_id = ? and c.parent_id is null and c.withdrawn_at is null and c.id <> ?
             order by c.created_at desc, c.id desc limit ${CANDIDATES})) x
      where not exists (select 1 from near_duplicate_member m where m.comment_id = x.id)
        and comment_match_text(x.body) % comment_match_text(?)
      order by similarity desc, x.id limit 1)
     limit 1`,
    [comment.body, roundId, comment.id, comment.body, comment.body, roundId, comment.indicator_version_id, comment.id, roundId, comment.id, comment.body],
  );
  return match;
}

/**
 * Groups the round again from scratch: suggestions are recomputed (after edits, or for comments
 * imported or seeded), what a facilitator confirmed or took out stays. Loose comments are linked to
 * their similar comments (`linkNearDuplicates`); linked comments form a group, which keeps an
 * existing group when it holds a confirmed member or the group's representative.
 * Returns the number of groups of two or more.
 */
export async function regroupRound(em: EntityManager, viewer: Viewer, roundId: string): Promise<number> {
  const round = await getRound(em, roundId);
  await em.execute("select pg_advisory_xact_lock(hashtext('near-duplicates:' || ?))", [round.id]);
  await em.execute(
    "delete from near_duplicate_member m using near_duplicate_group g where g.id = m.group_id and g.round_id = ? and m.state = 'SUGGESTED'",
    [round.id],
  );
  em.clear();
  // Every standing comment not taken out of a group, normalized by the database (one definition of the text compared).
  const comments = await em.execute<{ id: string; created_at: Date; text: string; loose: boolean }[]>(
    `select c.id, c.created_at, comment_match_text(c.body) as text, not exists (select 1 from near_duplicate_member m where m.comment_id = c.id) as loose
     from comment c
     where c.round_id = ? and c.parent_id is null and c.withdrawn_at is null
       and not exists (select 1 from near_duplicate_member r where r.comment_id = c.id and r.state = 'REMOVED')`,
    [round.id],
  );
  const createdAtOf = new Map(comments.map((c) => [c.id, c.created_at]));
  const links = linkNearDuplicates(comments, SIMILARITY_THRESHOLD).map((l) => ({
    id: l.id,
    created_at: createdAtOf.get(l.id)!,
    match_id: l.matchId,
    match_created_at: createdAtOf.get(l.matchId)!,
    similarity: l.similarity,
  }));
  const kept = await em.execute<{ group_id: string; representative_id: string; comment_id: string | null }[]>(
    `select g.id as group_id, g.representative_id, m.comment_id from near_duplicate_group g
     left join near_duplicate_member m on m.group_id = g.id and m.state = 'CONFIRMED' where g.round_id = ?`,
    [round.id],
  );
  const confirmedIn = new Map(kept.filter((k) => k.comment_id).map((k) => [k.comment_id!, k.group_id]));
  const representing = new Map(kept.map((k) => [k.representative_id, k.group_id]));

  const parent = new Map<string, string>();
  const find = (id: string): string => {
    const p = parent.get(id) ?? id;
    if (p === id) return id;
    const root = find(p);
    parent.set(id, root);
    return root;
  };
  const createdAt = new Map<string, Date>();
  for (const l of links) {
    createdAt.set(l.id, new Date(l.created_at));
    createdAt.set(l.match_id, new Date(l.match_created_at));
    parent.set(find(l.id), find(l.match_id));
  }
  const components = new Map<string, string[]>();
  for (const id of createdAt.keys()) components.set(find(id), [...(components.get(find(id)) ?? []), id]);

  const similarity = new Map<string, number>();
  for (const l of links) similarity.set(l.id, Math.max(similarity.get(l.id) ?? 0, l.similarity));
  for (const ids of components.values()) {
    const existing = ids.map((id) => confirmedIn.get(id) ?? representing.get(id)).find(Boolean);
    const earliest = ids.reduce((a, b) => (createdAt.get(a)! <= createdAt.get(b)! ? a : b));
    const group = existing
      ? em.getReference(NearDuplicateGroup, existing)
      : em.create(NearDuplicateGroup, { round: round.id, representative: em.getReference(Comment, earliest) });
    for (const id of ids) {
      if (confirmedIn.has(id)) continue;
      em.create(NearDuplicateMember, { comment: em.getReference(Comment, id), group, state: MembershipState.SUGGESTED, similarity: similarity.get(id) ?? 1 });
    }
  }
  await em.flush();
  await em.execute('delete from near_duplicate_group g where g.round_id = ? and not exists (select 1 from near_duplicate_member m where m.group_id = g.id)', [round.id]);
  const groups = await countGroups(em, round.id);
  audit(em, { actorId: viewer.id, action: 'near_duplicates.regrouped', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: { groups } });
  await em.flush();
  return groups;
}

async function countGroups(em: EntityManager, roundId: string): Promise<number> {
  const [{ n }] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from (select 1 from near_duplicate_group g join near_duplicate_member m on m.group_id = g.id
     where g.round_id = ? and m.state <> 'REMOVED' group by g.id having count(*) >= 2) x`,
    [roundId],
  );
  return n;
}

export interface GroupWithSize {
  group: NearDuplicateGroup;
  size: number;
}

/** The round's groups of two or more comments, largest first. */
export async function listGroups(em: EntityManager, roundId: string): Promise<GroupWithSize[]> {
  await getRound(em, roundId);
  const rows = await em.execute<{ id: string; size: number }[]>(
    `select g.id, count(*)::int as size from near_duplicate_group g join near_duplicate_member m on m.group_id = g.id
     where g.round_id = ? and m.state <> 'REMOVED' group by g.id having count(*) >= 2 order by size desc, min(g.created_at), g.id`,
    [roundId],
  );
  const groups = new Map((await em.find(NearDuplicateGroup, { id: { $in: rows.map((r) => r.id) } })).map((g) => [g.id, g]));
  return rows.map((r) => ({ group: groups.get(r.id)!, size: r.size }));
}

export async function getGroup(em: EntityManager, id: string): Promise<NearDuplicateGroup> {
  const group = await em.findOne(NearDuplicateGroup, { id });
  if (!group) throw notFound('NearDuplicateGroup', id);
  return group;
}

async function activeMembers(em: EntityManager, group: NearDuplicateGroup) {
  return em.find(NearDuplicateMember, { group, state: { $ne: MembershipState.REMOVED } }, { populate: ['comment'], orderBy: { comment: { createdAt: 'asc', id: 'asc' } } });
}

/** The facilitator agrees these comments say the same: every member standing now is confirmed. */
export async function confirmGroup(em: EntityManager, viewer: Viewer, id: string): Promise<NearDuplicateGroup> {
  const group = await getGroup(em, id);
  const members = await activeMembers(em, group);
  for (const m of members) m.state = MembershipState.CONFIRMED;
  group.confirmedAt = new Date();
  group.confirmedById = viewer.id;
  audit(em, { actorId: viewer.id, action: 'near_duplicates.confirmed', subjectType: 'NearDuplicateGroup', subjectId: group.id, scopeId: group.round.id, data: { commentIds: members.map((m) => m.comment.id) } });
  await em.flush();
  return group;
}

/** Takes members out of a group (a split): they stand alone, and regrouping never puts them back. */
export async function removeFromGroup(em: EntityManager, viewer: Viewer, input: RemoveFromGroupInput): Promise<NearDuplicateGroup> {
  const group = await getGroup(em, input.groupId);
  const members = await activeMembers(em, group);
  const ids = new Set(input.commentIds);
  const leaving = members.filter((m) => ids.has(m.comment.id));
  if (leaving.length !== ids.size) throw badInput('commentIds', 'Every comment must be a member of the group');
  for (const m of leaving) m.state = MembershipState.REMOVED;
  const staying = members.filter((m) => !ids.has(m.comment.id));
  if (staying.length && ids.has(group.representative.id)) group.representative = staying[0].comment;
  audit(em, { actorId: viewer.id, action: 'near_duplicates.removed', subjectType: 'NearDuplicateGroup', subjectId: group.id, scopeId: group.round.id, data: { commentIds: [...ids] } });
  await em.flush();
  return group;
}

/**
 * Records one disposition on every standing member of the group through the disposition service
 * (each comment keeps its own record, counters and audit entry), and confirms the group. For
 * DUPLICATE, the comment they repeat is left out when it is a member.
 */
export async function disposeGroup(em: EntityManager, viewer: Viewer, input: DisposeGroupInput): Promise<Disposition[]> {
  const group = await getGroup(em, input.groupId);
  const members = (await activeMembers(em, group)).filter((m) => !m.comment.getEntity().withdrawnAt);
  const commentIds = members.map((m) => m.comment.id).filter((id) => id !== input.duplicateOfId);
  if (!commentIds.length) throw conflict('The group has no standing comment to dispose of', { reason: 'GROUP_EMPTY' });
  const dispositions = await setDispositions(em, viewer, { commentIds, status: input.status, response: input.response, duplicateOfId: input.duplicateOfId ?? null });
  for (const m of members) m.state = MembershipState.CONFIRMED;
  group.confirmedAt ??= new Date();
  group.confirmedById ??= viewer.id;
  audit(em, { actorId: viewer.id, action: 'near_duplicates.disposed', subjectType: 'NearDuplicateGroup', subjectId: group.id, scopeId: group.round.id, data: { status: input.status, commentIds } });
  await em.flush();
  return dispositions;
}
