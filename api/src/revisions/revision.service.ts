import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { BallotQuestion } from '../ballots/ballot-question.entity.js';
import { Comment } from '../comments/comment.entity.js';
import { badInput, notFound, Refusal } from '../errors.js';
import { sameTexts } from '../indicators/field-text.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator } from '../indicators/indicator.entity.js';
import { revisedTexts } from '../indicators/indicator.inputs.js';
import { diffTexts } from '../indicators/version-diff.js';
import { requireTitle } from '../indicators/indicator.service.js';
import { User } from '../users/user.entity.js';
import { RevisionComment } from './revision-comment.entity.js';
import type { ProposeRevisionInput, RevisionPreviewInput } from './revision.inputs.js';

/**
 * A new PROPOSED version built on the consulted one, linked to the comments it answers. It takes
 * the indicator's next number now (a rejected revision keeps its number in the history) and
 * becomes current only if a ballot approves it.
 */
export async function proposeRevision(em: EntityManager, actorId: string, input: ProposeRevisionInput) {
  // Locking the indicator queues concurrent proposals, so each gets its own version number.
  const indicator = await em.findOne(Indicator, { id: input.indicatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['framework'] });
  if (!indicator) throw notFound('Indicator', input.indicatorId);
  const basedOn = await em.findOne(IndicatorVersion, { id: input.basedOnVersionId, indicator });
  if (!basedOn) throw badInput('basedOnVersionId', 'basedOnVersionId must be a version of this indicator');
  if (basedOn.status !== IndicatorVersionStatus.PUBLISHED) throw badInput('basedOnVersionId', 'A revision is built on a published version');

  const texts = revisedTexts(basedOn.texts, input.texts);
  requireTitle(texts, indicator.framework.getEntity().sourceLanguage);
  if (sameTexts(basedOn.texts, texts)) {
    throw badInput('texts', `The text is the same as version ${basedOn.number}; a revision must change something`, Refusal.REVISION_UNCHANGED);
  }

  const commentIds = [...new Set(input.answersCommentIds ?? [])];
  const comments = commentIds.length ? await em.find(Comment, { id: { $in: commentIds }, indicator, parentId: null }) : [];
  if (comments.length !== commentIds.length) {
    const missing = commentIds.filter((id) => !comments.some((c) => c.id === id));
    throw badInput('answersCommentIds', `Not top-level comments on ${indicator.code}: ${missing.join(', ')}`);
  }

  const [last] = await em.find(IndicatorVersion, { indicator }, { orderBy: { number: 'desc' }, limit: 1 });
  const revision = em.create(IndicatorVersion, {
    indicator,
    number: (last?.number ?? 0) + 1,
    parent: basedOn,
    texts,
    status: IndicatorVersionStatus.PROPOSED,
    author: em.getReference(User, actorId),
    changeSummary: input.changeSummary.trim(),
  });
  for (const comment of comments) em.create(RevisionComment, { revision, comment });
  audit(em, {
    actorId,
    action: 'revision.proposed',
    subjectType: 'IndicatorVersion',
    subjectId: revision.id,
    scopeId: indicator.framework.id,
    data: { indicatorId: indicator.id, number: revision.number, basedOnVersionId: basedOn.id, answersCommentIds: commentIds, changeSummary: revision.changeSummary },
  });
  await em.flush();
  return revision;
}

/** Revisions still waiting for a ballot (none pending and none decided them), for the ballot console. */
export async function revisionsAwaitingBallot(em: EntityManager) {
  const pending = await em.find(BallotQuestion, { outcome: null, revision: { $ne: null } }, { fields: ['revision'] });
  return em.find(
    IndicatorVersion,
    { status: IndicatorVersionStatus.PROPOSED, id: { $nin: pending.map((q) => q.revision!.id) } },
    { populate: ['indicator'], orderBy: { createdAt: 'asc' } },
  );
}

/**
 * The word diff a revision with these texts would show against the consulted version, for the
 * workbench while the facilitator writes: the same texts and tokenization proposeRevision and the
 * ballot use, and nothing stored.
 */
export async function previewRevision(em: EntityManager, input: RevisionPreviewInput) {
  const basedOn = await em.findOne(IndicatorVersion, { id: input.basedOnVersionId });
  if (!basedOn) throw notFound('IndicatorVersion', input.basedOnVersionId);
  return diffTexts(basedOn.texts, revisedTexts(basedOn.texts, input.texts));
}
