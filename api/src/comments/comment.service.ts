import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { reads } from '../db/reads.js';
import { badInput, conflict, forbidden, notFound } from '../errors.js';
import { Section } from '../frameworks/section.entity.js';
import { IndicatorVersion, Indicator } from '../indicators/indicator.entity.js';
import { Disposition } from '../dispositions/disposition.entity.js';
import { adjustCounters } from '../rounds/round-counters.js';
import { getRound, requireOpen, requireParticipation, type Participant } from '../rounds/round.service.js';
import { resolveAnchor } from './anchor.js';
import { CommentRevision } from './comment-revision.entity.js';
import { Comment, CommentTargetKind } from './comment.entity.js';
import type { AddCommentInput, EditCommentInput, ReplyInput } from './comment.inputs.js';
import { renderMarkdown } from './markdown.js';

export async function getComment(em: EntityManager, id: string): Promise<Comment> {
  const comment = await em.findOne(Comment, { id });
  if (!comment) throw notFound('Comment', id);
  return comment;
}

function authorSnapshot({ viewer, organization }: Participant) {
  return {
    authorId: viewer.id,
    authorName: viewer.user.name,
    authorOrganizationId: organization?.id ?? null,
    authorOrganizationName: organization?.name ?? null,
    authorOrganizationKind: organization?.kind ?? null,
    authorCountry: organization?.country ?? null,
  };
}

export async function addComment(em: EntityManager, viewer: Viewer, input: AddCommentInput): Promise<Comment> {
  const round = await getRound(em, input.roundId);
  const participant = await requireParticipation(em, viewer, round);
  const target = await resolveTarget(em, round.id, round.framework.id, input);
  if (input.anchor && input.targetKind !== CommentTargetKind.INDICATOR_VERSION) {
    throw badInput('anchor', 'Only a comment on an indicator version can point at a passage');
  }
  const anchor = input.anchor && target.pinned?.texts ? resolveAnchor(target.pinned.texts, input.anchor) : null;
  const id = randomUUID();
  const comment = em.create(Comment, {
    id,
    round,
    threadId: id,
    targetKind: input.targetKind,
    indicatorVersion: target.pinned ? em.getReference(IndicatorVersion, target.pinned.indicatorVersionId) : null,
    indicator: target.pinned ? em.getReference(Indicator, target.pinned.indicatorId) : null,
    section: target.sectionId ? em.getReference(Section, target.sectionId) : null,
    type: input.type,
    body: input.body,
    bodyHtml: renderMarkdown(input.body, 'body'),
    proposedChange: input.proposedChange?.trim() || null,
    anchor,
    ...authorSnapshot(participant),
  });
  audit(em, { actorId: viewer.id, action: 'comment.added', subjectType: 'Comment', subjectId: comment.id, scopeId: round.id, data: { targetKind: comment.targetKind, indicatorVersionId: target.pinned?.indicatorVersionId ?? null, sectionId: target.sectionId, type: comment.type, anchor } });
  await em.flush();
  // Last: the counter rows stay locked until the commit, and every writer of the round needs them.
  await adjustCounters(em, round.id, target.pinned?.indicatorVersionId, { comments: 1, undisposed: 1 });
  return comment;
}

/** The pinned version or the section a new comment is about; BAD_USER_INPUT `targetId` when it is not part of the round. */
async function resolveTarget(em: EntityManager, roundId: string, frameworkId: string, input: AddCommentInput) {
  switch (input.targetKind) {
    case CommentTargetKind.INDICATOR_VERSION: {
      if (!input.targetId) throw badInput('targetId', 'Say which indicator version');
      // Plain SQL: a comment needs the ids, and the text only to place an anchor.
      const pinned = await reads(em)
        .selectFrom('round_version as rv')
        .innerJoin('indicator as i', 'i.id', 'rv.indicator_id')
        .innerJoin('indicator_version as v', 'v.id', 'rv.indicator_version_id')
        .select(['rv.indicator_id', 'i.section_id'])
        .select((eb) => eb.case().when(eb.val(input.anchor != null)).then(eb.ref('v.texts')).end().as('texts'))
        .where('rv.round_id', '=', roundId)
        .where('rv.indicator_version_id', '=', input.targetId)
        .executeTakeFirst();
      if (!pinned) throw badInput('targetId', 'That indicator version is not under consultation in this round');
      return { pinned: { indicatorVersionId: input.targetId, indicatorId: pinned.indicator_id, texts: pinned.texts }, sectionId: pinned.section_id };
    }
    case CommentTargetKind.SECTION: {
      if (!input.targetId) throw badInput('targetId', 'Say which section');
      const section = await em.findOne(Section, { id: input.targetId, framework: frameworkId });
      if (!section) throw badInput('targetId', 'That section is not part of this round’s framework');
      return { pinned: null, sectionId: section.id };
    }
    case CommentTargetKind.FRAMEWORK:
      if (input.targetId && input.targetId !== frameworkId) throw badInput('targetId', 'That is not this round’s framework');
      return { pinned: null, sectionId: null };
  }
}

export async function reply(em: EntityManager, viewer: Viewer, input: ReplyInput): Promise<Comment> {
  const parent = await getComment(em, input.parentId);
  const round = await getRound(em, parent.round.id);
  const participant = await requireParticipation(em, viewer, round);
  if (input.official && !viewer.isFacilitator) throw forbidden('Only a facilitator gives the official response', 'OFFICIAL_REPLY_FACILITATOR_ONLY');
  if (parent.withdrawnAt) throw conflict('That comment was withdrawn', { reason: 'COMMENT_WITHDRAWN' });
  const comment = em.create(Comment, {
    round,
    parentId: parent.id,
    threadId: parent.threadId,
    targetKind: parent.targetKind,
    indicatorVersion: parent.indicatorVersion,
    indicator: parent.indicator,
    section: parent.section,
    type: null,
    body: input.body,
    bodyHtml: renderMarkdown(input.body, 'body'),
    official: input.official,
    ...authorSnapshot(participant),
  });
  await adjustCounters(em, round.id, null, { replies: 1 });
  audit(em, { actorId: viewer.id, action: 'comment.replied', subjectType: 'Comment', subjectId: comment.id, scopeId: round.id, data: { parentId: parent.id, threadId: parent.threadId, official: input.official } });
  await em.flush();
  return comment;
}

/** My own comment, in a round open now, not withdrawn: what editing and withdrawing need. */
async function myStandingComment(em: EntityManager, viewer: Viewer, id: string) {
  const comment = await getComment(em, id);
  if (comment.authorId !== viewer.id) throw forbidden('Only its author may change a comment', 'NOT_AUTHOR');
  requireOpen(await getRound(em, comment.round.id));
  if (comment.withdrawnAt) throw conflict('That comment was withdrawn', { reason: 'COMMENT_WITHDRAWN' });
  return comment;
}

export async function editComment(em: EntityManager, viewer: Viewer, id: string, input: EditCommentInput): Promise<Comment> {
  const comment = await myStandingComment(em, viewer, id);
  const isReply = comment.parentId != null;
  if (isReply && (input.type || input.proposedChange)) throw badInput(input.type ? 'type' : 'proposedChange', 'A reply has no type or proposed change');
  const number = (await em.count(CommentRevision, { comment })) + 1;
  em.create(CommentRevision, {
    comment,
    number,
    type: comment.type,
    body: comment.body,
    bodyHtml: comment.bodyHtml,
    proposedChange: comment.proposedChange,
    writtenAt: comment.editedAt ?? comment.createdAt,
  });
  comment.body = input.body;
  comment.bodyHtml = renderMarkdown(input.body, 'body');
  if (!isReply) {
    comment.proposedChange = input.proposedChange?.trim() || null;
    comment.type = input.type ?? comment.type;
  }
  comment.editedAt = new Date();
  audit(em, { actorId: viewer.id, action: 'comment.edited', subjectType: 'Comment', subjectId: comment.id, scopeId: comment.round.id, data: { revision: number } });
  await em.flush();
  return comment;
}

export async function withdrawComment(em: EntityManager, viewer: Viewer, id: string): Promise<Comment> {
  const comment = await myStandingComment(em, viewer, id);
  comment.withdrawnAt = new Date();
  if (comment.parentId) {
    await adjustCounters(em, comment.round.id, null, { replies: -1 });
  } else {
    const disposed = (await em.count(Disposition, { comment })) > 0;
    await adjustCounters(em, comment.round.id, comment.indicatorVersion?.id, { comments: -1, undisposed: disposed ? 0 : -1 });
  }
  audit(em, { actorId: viewer.id, action: 'comment.withdrawn', subjectType: 'Comment', subjectId: comment.id, scopeId: comment.round.id });
  await em.flush();
  return comment;
}
