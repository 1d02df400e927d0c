import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { countInt, reads } from '../db/reads.js';
import { badInput, conflict, notFound } from '../errors.js';
import { Framework } from '../frameworks/framework.entity.js';
import { Section } from '../frameworks/section.entity.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator, IndicatorStatus } from '../indicators/indicator.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { ConsultationRound, RoundStatus, roundStatus } from './round.entity.js';
import type { AudienceInput } from './round.inputs.js';
import { mayReadRound, requireRoundReader } from './round-readers.js';
import { scheduleRoundClock } from './round-clock.js';

export async function getRound(em: EntityManager, id: string): Promise<ConsultationRound> {
  const round = await em.findOne(ConsultationRound, { id });
  if (!round) throw notFound('Round', id);
  return round;
}

/** The rounds the viewer may read, newest opening first: a round for other organizations or countries is left out. */
export async function listRounds(em: EntityManager, viewer: Viewer, frameworkSlug?: string | null) {
  const rounds = await em.find(ConsultationRound, frameworkSlug ? { framework: { slug: frameworkSlug } } : {}, { orderBy: { opensAt: 'desc', id: 'asc' } });
  const readable = await Promise.all(rounds.map((round) => mayReadRound(viewer, round)));
  return rounds.filter((_, i) => readable[i]);
}

/** The audience as stored: everyone, the working group, or the listed organizations and countries. */
export function audienceColumns(audience: AudienceInput) {
  const listed = !audience.all && !audience.workingGroup;
  return {
    audienceAll: audience.all,
    audienceWorkingGroup: !audience.all && audience.workingGroup,
    audienceOrganizationIds: listed ? [...new Set(audience.organizationIds)] : [],
    audienceCountries: listed ? [...new Set(audience.countries.map((c) => c.toUpperCase()))] : [],
  };
}

/**
 * The chosen versions (one per indicator, all of this framework, none retired), or every current
 * indicator's version in force; in framework order.
 */
export async function versionsToPin(em: EntityManager, framework: Framework, ids: string[] | null | undefined): Promise<IndicatorVersion[]> {
  let versions: IndicatorVersion[];
  if (ids?.length) {
    versions = await em.find(IndicatorVersion, { id: { $in: ids } }, { populate: ['indicator'] });
    if (versions.length !== new Set(ids).size) throw badInput('indicatorVersionIds', 'Unknown indicator version', 'UNKNOWN_VERSION');
    if (versions.some((v) => v.indicator.getEntity().framework.id !== framework.id)) {
      throw badInput('indicatorVersionIds', 'Every version must belong to the round’s framework', 'VERSION_OF_OTHER_FRAMEWORK');
    }
    if (versions.some((v) => v.status === IndicatorVersionStatus.REJECTED)) throw badInput('indicatorVersionIds', 'A rejected version cannot be consulted', 'VERSION_REJECTED');
    if (versions.some((v) => v.indicator.getEntity().status === IndicatorStatus.RETIRED)) {
      throw badInput('indicatorVersionIds', 'A retired indicator cannot be consulted', 'INDICATOR_RETIRED');
    }
    if (new Set(versions.map((v) => v.indicator.id)).size !== versions.length) throw badInput('indicatorVersionIds', 'One version per indicator', 'ONE_VERSION_PER_INDICATOR');
  } else {
    const indicators = await em.find(Indicator, { framework, currentVersion: { $ne: null }, status: { $ne: IndicatorStatus.RETIRED } }, { populate: ['currentVersion'] });
    versions = indicators.map((i) => i.currentVersion!.getEntity());
  }
  if (!versions.length) throw badInput('indicatorVersionIds', 'The round needs at least one published indicator version', 'NO_INDICATORS');
  const order = await sectionOrder(em, framework.id);
  const indicator = (v: IndicatorVersion) => v.indicator.getEntity();
  return versions.sort(
    (a, b) => (order.get(indicator(a).section.id) ?? 0) - (order.get(indicator(b).section.id) ?? 0) || indicator(a).position - indicator(b).position,
  );
}

/** Each section's place in a depth-first walk of the framework's tree. */
export async function sectionOrder(em: EntityManager, frameworkId: string): Promise<Map<string, number>> {
  const sections = await em.find(Section, { framework: frameworkId }, { orderBy: { position: 'asc' } });
  const children = new Map<string | null, Section[]>();
  for (const s of sections) children.set(s.parent?.id ?? null, [...(children.get(s.parent?.id ?? null) ?? []), s]);
  const order = new Map<string, number>();
  const walk = (parent: string | null) => {
    for (const s of children.get(parent) ?? []) {
      order.set(s.id, order.size);
      walk(s.id);
    }
  };
  walk(null);
  return order;
}

export function requireStatus(round: ConsultationRound, allowed: RoundStatus[], action: string) {
  const status = roundStatus(round);
  if (!allowed.includes(status)) {
    throw conflict(`Cannot ${action} a round that is ${status.toLowerCase()}`, { reason: `ROUND_${status}`, status });
  }
}

export async function extendRound(em: EntityManager, viewer: Viewer, id: string, closesAt: Date) {
  const round = await getRound(em, id);
  requireStatus(round, [RoundStatus.SCHEDULED, RoundStatus.OPEN, RoundStatus.CLOSED], 'extend');
  if (closesAt <= round.closesAt) throw badInput('closesAt', 'The new closing time must be later than the current one', 'CLOSES_BEFORE_CURRENT');
  if (closesAt <= new Date()) throw badInput('closesAt', 'The new closing time must be in the future', 'CLOSES_IN_PAST');
  const previous = round.closesAt;
  round.closesAt = closesAt;
  audit(em, { actorId: viewer.id, action: 'round.extended', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: { previousClosesAt: previous, closesAt } });
  await em.flush();
  await scheduleRoundClock(em, round);
  return round;
}

export async function closeRoundNow(em: EntityManager, viewer: Viewer, id: string) {
  const round = await getRound(em, id);
  requireStatus(round, [RoundStatus.OPEN], 'close');
  const previous = round.closesAt;
  round.closesAt = new Date();
  audit(em, { actorId: viewer.id, action: 'round.closed', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: { previousClosesAt: previous, closesAt: round.closesAt } });
  await em.flush();
  return round;
}

/** Top-level comments still standing that have no disposition, counted from the rows themselves. */
export async function countUndisposed(em: EntityManager, roundId: string): Promise<number> {
  const row = await reads(em)
    .selectFrom('comment as c')
    .select(countInt)
    .where('c.round_id', '=', roundId)
    .where('c.parent_id', 'is', null)
    .where('c.withdrawn_at', 'is', null)
    .where('c.disposition_status', '=', 'NONE')
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function resolveRound(em: EntityManager, viewer: Viewer, id: string) {
  const round = await getRound(em, id);
  requireStatus(round, [RoundStatus.CLOSED], 'resolve');
  const missing = await countUndisposed(em, round.id);
  if (missing > 0) {
    throw conflict(`${missing} comment(s) still have no disposition`, { reason: 'DISPOSITIONS_MISSING', missing });
  }
  round.resolvedAt = new Date();
  audit(em, { actorId: viewer.id, action: 'round.resolved', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: { resolvedAt: round.resolvedAt } });
  await em.flush();
  return round;
}

/** What a participant's writes record about them: their organization as it is now. */
export interface Participant {
  viewer: Viewer;
  organization: Organization | null;
}

/**
 * The gate for commenting, replying and rating: whoever may read the round (its audience, and
 * facilitators, who run it), while it is open by the server clock.
 */
export async function requireParticipation(em: EntityManager, viewer: Viewer, round: ConsultationRound): Promise<Participant> {
  await requireRoundReader(viewer, round);
  requireOpen(round);
  const organization = viewer.organizationId ? await em.findOne(Organization, { id: viewer.organizationId }) : null;
  return { viewer, organization };
}

/** CONFLICT unless the round is open now, saying when it opens or when it closed. */
export function requireOpen(round: ConsultationRound) {
  const status = roundStatus(round);
  if (status === RoundStatus.DRAFT) throw conflict('This round is still a draft', { reason: 'ROUND_DRAFT', status });
  if (status === RoundStatus.SCHEDULED) {
    throw conflict(`This round opens at ${round.opensAt.toISOString()}`, { reason: 'ROUND_NOT_OPEN', opensAt: round.opensAt.toISOString() });
  }
  if (status !== RoundStatus.OPEN) {
    throw conflict(`This round closed at ${round.closesAt.toISOString()}`, { reason: 'ROUND_CLOSED', closesAt: round.closesAt.toISOString() });
  }
}
