import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { CommentFilter } from '../comments/comment.inputs.js';
import { conflict, forbidden } from '../errors.js';
import { RoundStatus, roundStatus, type ConsultationRound } from '../rounds/round.entity.js';
import { getRound } from '../rounds/round.service.js';
import { Role, type Locale } from '../users/user.entity.js';
import type { RoundDispositionSummary } from './export.types.js';
import { loadRoundOutline } from '../rounds/round-outline.js';
import { countsByArea, roundSummary } from './round-summary.js';

/** Shows stakeholders what was done with each comment of a resolved round; publishing again changes nothing. */
export async function publishRoundSummary(em: EntityManager, viewer: Viewer, roundId: string): Promise<ConsultationRound> {
  viewer.require(Role.FACILITATOR);
  const round = await getRound(em, roundId);
  if (roundStatus(round) !== RoundStatus.RESOLVED) throw conflict('Resolve the round before publishing its summary', { reason: 'ROUND_NOT_RESOLVED' });
  if (round.publishedSummaryAt) return round;
  round.publishedSummaryAt = new Date();
  audit(em, { actorId: viewer.id, action: 'round.summary_published', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id });
  await em.flush();
  return round;
}

/** Facilitators see the summary at any time; everyone else once it is published (FORBIDDEN `SUMMARY_NOT_PUBLISHED` before). */
export async function dispositionSummary(em: EntityManager, viewer: Viewer, roundId: string, language: Locale | null): Promise<RoundDispositionSummary> {
  const round = await getRound(em, roundId);
  if (!round.publishedSummaryAt && !viewer.isFacilitator) throw forbidden('The summary of this round is not published yet', 'SUMMARY_NOT_PUBLISHED');
  return summaryOfRound(em, round, language ?? viewer.user.language);
}

/** The summary's counts, whoever asks: callers decide who may read it (`dispositionSummary`, the public pages). */
export async function summaryOfRound(em: EntityManager, round: ConsultationRound, language: Locale | null): Promise<RoundDispositionSummary> {
  const outline = await loadRoundOutline(em, round.id, language);
  const summary = await roundSummary(em, outline, new CommentFilter());
  return {
    publishedAt: round.publishedSummaryAt ?? null,
    total: summary.total,
    withdrawn: summary.withdrawn,
    byDisposition: summary.byDisposition,
    byType: summary.byType,
    byArea: countsByArea(outline, summary.bySection),
    byIndicator: summary.byIndicator,
  };
}
