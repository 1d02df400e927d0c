import type { EntityManager } from '@mikro-orm/postgresql';
import { enterOnBehalf } from '../analysis/on-behalf.service.js';
import { FeedbackSourceKind } from '../analysis/on-behalf-source.entity.js';
import { Viewer } from '../auth/viewer.js';
import { CommentTargetKind, CommentType } from '../comments/comment.entity.js';
import { reads } from '../db/reads.js';
import { forbidden, Refusal } from '../errors.js';
import { Framework } from '../frameworks/framework.entity.js';
import { Section } from '../frameworks/section.entity.js';
import { formatMessage, message } from '../i18n/messages.js';
import { localize } from '../i18n/localized-text.js';
import { enqueue, defineTask } from '../jobs/tasks.js';
import { LiveEventKind } from '../live/live-event.js';
import { reactTo } from '../live/publish.js';
import { ReleaseIndicator, Release } from '../releases/release.entity.js';
import { publishCommentEvent } from '../rounds/round-activity.js';
import { ConsultationRound, RoundStatus, roundStatus } from '../rounds/round.entity.js';
import { Role, User } from '../users/user.entity.js';
import { partyOf, readableAssessment } from './assessment-access.js';
import { auditAssessment, indicatorOfAssessment } from './assessment.service.js';
import { FlaggedAs, PilotFlag, PilotFlagDelivery, type PilotFlagKind } from './pilot-flag.entity.js';
import { Scheme, SchemeArea, SchemeIndicator } from './scheme.entity.js';

export interface FlagInput {
  assessmentId: string;
  schemeIndicatorId: string;
  kind: PilotFlagKind;
  note: string;
}

/** The rounds open now that consult `indicatorId`. */
async function openRoundsOf(em: EntityManager, indicatorId: string): Promise<string[]> {
  const rows = await reads(em).selectFrom('round_version').select('round_id').where('indicator_id', '=', indicatorId).execute();
  const rounds = await em.find(ConsultationRound, { id: { $in: rows.map((r) => r.round_id) } });
  return rounds.filter((r) => roundStatus(r) === RoundStatus.OPEN).map((r) => r.id);
}

/**
 * Delivers the flags of a round's indicators: after a round opens (the reaction below), or at once
 * when a flag is raised while a round on its indicator is open.
 */
export const pilotFlagDelivery = defineTask<{ roundId: string }>('certification:pilot-flags', async ({ roundId }, { em }) => {
  await deliverPilotFlags(em, roundId);
});

/**
 * An institution's people or an assigned reviewer flag an indicator of the assessment as unclear,
 * unmeasurable or too costly to evidence. If a round that consults it is open, the flag is on its
 * way there when this commits (a job); otherwise it waits for the next such round to open.
 */
export async function flagIndicator(em: EntityManager, viewer: Viewer, input: FlagInput): Promise<PilotFlag> {
  const assessment = await readableAssessment(em, viewer, input.assessmentId);
  const party = await partyOf(em, viewer, assessment);
  if (!party.institution && !party.reviewer) throw forbidden('Only the assessed institution’s people and its reviewers flag an indicator', Refusal.NOT_ASSESSMENT_PARTY);
  const indicator = await indicatorOfAssessment(em, assessment, input.schemeIndicatorId);
  const released = await em.findOneOrFail(ReleaseIndicator, { id: indicator.releaseIndicator.id });
  const flag = em.create(PilotFlag, {
    assessment,
    schemeIndicator: indicator,
    indicatorId: released.indicator.id,
    kind: input.kind,
    note: input.note.trim(),
    flaggedById: viewer.id,
    flaggedAs: party.institution ? FlaggedAs.INSTITUTION : FlaggedAs.REVIEWER,
  });
  auditAssessment(em, viewer.id, 'assessment.indicator_flagged', assessment, { flagId: flag.id, code: indicator.code, kind: flag.kind, as: flag.flaggedAs });
  await em.flush();
  for (const roundId of await openRoundsOf(em, flag.indicatorId)) await enqueue(em, pilotFlagDelivery, { roundId }, { jobKey: `certification:pilot-flags:${roundId}` });
  return flag;
}

/** Who enters the pilot's feedback: the facilitator who made the scheme, or any active facilitator when that one no longer is. */
async function enteringFacilitator(em: EntityManager, scheme: Scheme): Promise<Viewer> {
  const creator = await em.findOne(User, { id: scheme.createdById, active: true }, { populate: ['organization'] });
  if (creator && new Viewer(creator, '').has(Role.FACILITATOR)) return new Viewer(creator, '');
  const someone = (await em.find(User, { active: true }, { populate: ['organization'], orderBy: { createdAt: 'asc' } })).map((u) => new Viewer(u, '')).find((v) => v.has(Role.FACILITATOR));
  if (!someone) throw new Error('No active facilitator to enter the certification pilot’s feedback');
  return someone;
}

/**
 * Enters every flag on the round's indicators not yet in it, as an on-behalf comment on the pinned
 * version: source "certification pilot", no person or institution named, and a context that says
 * only who raised it (an institution or a reviewer), the area and the release. Each is announced
 * as a comment added (the outbox, in the same transaction), so pages following the round show it
 * and the near-duplicate placement reacts to it as to any comment. One transaction per
 * round, serialized per round, and the delivery's primary key: a retried or concurrent run adds
 * nothing. A round not open now takes nothing (a closed or draft round's event).
 */
export async function deliverPilotFlags(em: EntityManager, roundId: string): Promise<number> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`certification:pilot-flags:${roundId}`]);
    const round = await tx.findOne(ConsultationRound, { id: roundId });
    if (!round || roundStatus(round) !== RoundStatus.OPEN) return 0;
    const pinned = await reads(tx).selectFrom('round_version').select(['indicator_id', 'indicator_version_id']).where('round_id', '=', roundId).execute();
    const versionOf = new Map(pinned.map((p) => [p.indicator_id, p.indicator_version_id]));
    if (!versionOf.size) return 0;
    const delivered = new Set((await tx.find(PilotFlagDelivery, { roundId })).map((d) => d.flag.id));
    const flags = (await tx.find(PilotFlag, { indicatorId: { $in: [...versionOf.keys()] } }, { orderBy: { flaggedAt: 'asc', id: 'asc' } })).filter((f) => !delivered.has(f.id));
    if (!flags.length) return 0;
    const framework = await tx.findOneOrFail(Framework, { id: round.framework.id });
    const language = framework.sourceLanguage;
    for (const flag of flags) {
      const schemeIndicator = await tx.findOneOrFail(SchemeIndicator, { id: flag.schemeIndicator.id });
      const area = await tx.findOneOrFail(SchemeArea, { id: schemeIndicator.area.id });
      // One after the other: a transaction is one connection, which runs one statement at a time.
      const section = await tx.findOneOrFail(Section, { id: area.section.id });
      const scheme = await tx.findOneOrFail(Scheme, { id: area.scheme.id });
      const release = await tx.findOneOrFail(Release, { id: scheme.release.id });
      const source = message(language, 'certificationFiles.pilotFlag.source');
      const body = formatMessage(language, 'certificationFiles.pilotFlag.body', {
        kind: message(language, `certificationFiles.pilotFlag.kind.${flag.kind}`),
        note: flag.note,
        who: message(language, `certificationFiles.pilotFlag.by.${flag.flaggedAs}`),
        area: localize(section.title, language, language)?.value ?? area.code,
        release: release.number,
      });
      const comment = await enterOnBehalf(tx, await enteringFacilitator(tx, scheme), {
        comment: { roundId, targetKind: CommentTargetKind.INDICATOR_VERSION, targetId: versionOf.get(flag.indicatorId)!, type: CommentType.TECHNICAL, body },
        source: { kind: FeedbackSourceKind.OTHER, eventName: source, organizationName: source, givenOn: flag.flaggedAt.toISOString().slice(0, 10) },
      });
      tx.create(PilotFlagDelivery, { flag, roundId, commentId: comment.id });
      await publishCommentEvent({ em: tx }, LiveEventKind.COMMENT_ADDED, comment);
    }
    await tx.flush();
    return flags.length;
  });
}

/**
 * Every open round that consults a flagged indicator gets the flags it lacks: a round made open from
 * the start announces no opening, and an event's reaction may have been lost; returns how many entered.
 */
export async function deliverPendingPilotFlags(em: EntityManager): Promise<number> {
  const flagged = await reads(em).selectFrom('certification_pilot_flag').select('indicator_id').distinct().execute();
  if (!flagged.length) return 0;
  const pinned = await reads(em).selectFrom('round_version').select('round_id').distinct().where('indicator_id', 'in', flagged.map((f) => f.indicator_id)).execute();
  const rounds = await em.find(ConsultationRound, { id: { $in: pinned.map((p) => p.round_id) } });
  let entered = 0;
  for (const round of rounds.filter((r) => roundStatus(r) === RoundStatus.OPEN)) entered += await deliverPilotFlags(em.fork(), round.id);
  return entered;
}

export const pilotFlagSweep = defineTask<Record<string, never>>('certification:pilot-flags-sweep', async (_, { em }) => void (await deliverPendingPilotFlags(em)), { everyMinutes: 60 });

// A round that opens (by a facilitator or by its clock) announces ROUND_STATUS_CHANGED; so do its other changes, which take nothing.
reactTo(LiveEventKind.ROUND_STATUS_CHANGED, async ({ roundId }, { em }) => {
  if (roundId) await deliverPilotFlags(em, roundId);
});
