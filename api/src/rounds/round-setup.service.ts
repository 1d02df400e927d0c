import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, DomainError, ErrorCode, Refusal, type FieldProblem } from '../errors.js';
import { Framework, FrameworkKind } from '../frameworks/framework.entity.js';
import { IndicatorStatus } from '../indicators/indicator.entity.js';
import { toLocalizedText } from '../i18n/localized-text.js';
import { Organization } from '../organizations/organization.entity.js';
import type { Locale } from '../users/user.entity.js';
import { ConsultationRound, RoundStatus, roundStatus } from './round.entity.js';
import type { AudienceInput, CreateRoundInput, UpdateRoundDraftInput } from './round.inputs.js';
import { RoundVersion } from './round-version.entity.js';
import { audienceColumns, getRound, requireStatus, versionsToPin } from './round.service.js';
import { scheduleRoundClock } from './round-clock.js';

/** A field problem with its own translatable reason. */
export type SetupProblem = FieldProblem & { reason: Refusal };

/**
 * BAD_USER_INPUT with every problem in `extensions.fields`; `extensions.reason` is the first one's. A draft
 * is checked as a whole, so a facilitator fixes the form in one go.
 */
function refuse(problems: SetupProblem[]): never {
  throw new DomainError(ErrorCode.BAD_USER_INPUT, problems.map((p) => `${p.field}: ${p.message}`).join('; '), { reason: problems[0].reason, fields: problems });
}

type DraftFields = Pick<CreateRoundInput, 'title' | 'instructions' | 'opensAt' | 'closesAt' | 'ratingsEnabled'> & {
  audience: AudienceInput;
  indicatorVersionIds?: string[] | null;
};

/** Everything wrong with a round's fields, a closing time judged against `now` when given; the versions to pin when nothing is. */
async function checkDraft(em: EntityManager, framework: Framework, input: DraftFields, now: Date | null = new Date()) {
  const problems: SetupProblem[] = [];
  const title = toLocalizedText(input.title);
  if (!title[framework.sourceLanguage as Locale]) {
    problems.push({ field: 'title', reason: Refusal.TITLE_SOURCE_LANGUAGE, message: `The title needs the framework’s source language (${framework.sourceLanguage})` });
  }
  if (input.closesAt <= input.opensAt) {
    problems.push({ field: 'closesAt', reason: Refusal.DATES_OUT_OF_ORDER, message: 'The round must close after it opens' });
  } else if (now && input.closesAt <= now) {
    problems.push({ field: 'closesAt', reason: Refusal.CLOSES_IN_PAST, message: 'The closing time has already passed' });
  }
  if (input.ratingsEnabled && framework.kind !== FrameworkKind.PRACTICES) {
    problems.push({ field: 'ratingsEnabled', reason: Refusal.RATINGS_NOT_PRACTICES, message: 'Practice ratings are for frameworks of essential practices' });
  }
  const audience = input.audience;
  const listed = !audience.all && !audience.workingGroup;
  if (listed && !audience.organizationIds.length && !audience.countries.length) {
    problems.push({ field: 'audience', reason: Refusal.AUDIENCE_EMPTY, message: 'Choose everyone, the working group, or at least one organization or country' });
  }
  if (listed && audience.organizationIds.length) {
    const found = await em.count(Organization, { id: { $in: audience.organizationIds } });
    if (found !== new Set(audience.organizationIds).size) {
      problems.push({ field: 'audience.organizationIds', reason: Refusal.UNKNOWN_ORGANIZATION, message: 'Unknown organization' });
    }
  }
  let versions: Awaited<ReturnType<typeof versionsToPin>> = [];
  if (input.indicatorVersionIds && !input.indicatorVersionIds.length) {
    problems.push({ field: 'indicatorVersionIds', reason: Refusal.NO_INDICATORS, message: 'Choose at least one indicator' });
  } else {
    try {
      versions = await versionsToPin(em, framework, input.indicatorVersionIds);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== ErrorCode.BAD_USER_INPUT) throw err;
      problems.push({ field: 'indicatorVersionIds', reason: err.details.reason ?? Refusal.NO_INDICATORS, message: err.message });
    }
  }
  if (problems.length) refuse(problems);
  return { title, versions };
}

const noAudience = (audience: AudienceInput | null | undefined): AudienceInput => audience ?? { all: true, workingGroup: false, organizationIds: [], countries: [] };

/**
 * Creates a round, checked as a whole. A draft is seen only by facilitators until scheduled or
 * opened, and its closing time must be ahead; a round created published takes its times as given
 * (one held on paper can be recorded after the fact), and the clock's jobs are scheduled for it.
 */
export async function createRound(em: EntityManager, viewer: Viewer, input: CreateRoundInput): Promise<ConsultationRound> {
  const framework = await em.findOne(Framework, { id: input.frameworkId });
  if (!framework) throw badInput('frameworkId', 'No such framework');
  const audience = noAudience(input.audience);
  const draft = Boolean(input.draft);
  const { title, versions } = await checkDraft(em, framework, { ...input, audience }, draft ? new Date() : null);
  const round = em.create(ConsultationRound, {
    framework,
    title,
    instructions: toLocalizedText(input.instructions),
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    draft,
    ...audienceColumns(audience),
    ratingsEnabled: input.ratingsEnabled,
    createdById: viewer.id,
  });
  versions.forEach((version, position) => em.create(RoundVersion, { round, indicatorVersion: version, indicator: version.indicator, position }));
  audit(em, { actorId: viewer.id, action: 'round.created', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: { draft, ...setupData(round, versions) } });
  await em.flush();
  if (!draft) await scheduleRoundClock(em, round);
  return round;
}

export async function openRoundNow(em: EntityManager, viewer: Viewer, id: string) {
  const round = await getRound(em, id);
  if (round.draft) return publishDraft(em, viewer, round, 'now');
  requireStatus(round, [RoundStatus.SCHEDULED], 'open');
  const previous = round.opensAt;
  round.opensAt = new Date();
  audit(em, { actorId: viewer.id, action: 'round.opened', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: { previousOpensAt: previous, opensAt: round.opensAt } });
  await em.flush();
  return round;
}

/** Replaces a draft's settings and pinned versions; CONFLICT `ROUND_<STATUS>` once it is published. */
export async function updateRoundDraft(em: EntityManager, viewer: Viewer, id: string, input: UpdateRoundDraftInput): Promise<ConsultationRound> {
  const round = await getRound(em, id);
  requireStatus(round, [RoundStatus.DRAFT], 'edit');
  const framework = await round.framework.loadOrFail();
  const { title, versions } = await checkDraft(em, framework, input);
  Object.assign(round, {
    title,
    instructions: toLocalizedText(input.instructions),
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    ...audienceColumns(input.audience),
    ratingsEnabled: input.ratingsEnabled,
  });
  // A draft has no comments, so its pins (and their zero counters) are simply laid again.
  await em.nativeDelete(RoundVersion, { round: round.id });
  versions.forEach((version, position) => em.create(RoundVersion, { round, indicatorVersion: version, indicator: version.indicator, position }));
  audit(em, { actorId: viewer.id, action: 'round.draft_updated', subjectType: 'ConsultationRound', subjectId: round.id, scopeId: round.id, data: setupData(round, versions) });
  await em.flush();
  return round;
}

/** Publishes a draft to open at its opening time, which must be in the future by the server's clock. */
export async function scheduleRound(em: EntityManager, viewer: Viewer, id: string): Promise<ConsultationRound> {
  const round = await getRound(em, id);
  requireStatus(round, [RoundStatus.DRAFT], 'schedule');
  return publishDraft(em, viewer, round, 'scheduled');
}

/**
 * A draft made public: opened now, or scheduled for its opening time. Refused with BAD_USER_INPUT
 * (every problem in `extensions.fields`) when it has no indicator, its closing time has passed, or
 * (scheduling) its opening time has; nothing changes then.
 */
export async function publishDraft(em: EntityManager, viewer: Viewer, round: ConsultationRound, when: 'now' | 'scheduled'): Promise<ConsultationRound> {
  if (roundStatus(round) !== RoundStatus.DRAFT) throw conflict('This round is no longer a draft', { reason: `ROUND_${roundStatus(round)}` });
  const now = new Date();
  const problems: SetupProblem[] = [];
  const pinned = await em.find(RoundVersion, { round: round.id }, { populate: ['indicator'] });
  if (!pinned.length) problems.push({ field: 'indicatorVersionIds', reason: Refusal.NO_INDICATORS, message: 'Choose at least one indicator' });
  if (pinned.some((p) => p.indicator.getEntity().status === IndicatorStatus.RETIRED)) {
    problems.push({ field: 'indicatorVersionIds', reason: Refusal.INDICATOR_RETIRED, message: 'A retired indicator cannot be consulted' });
  }
  if (when === 'scheduled' && round.opensAt <= now) {
    problems.push({ field: 'opensAt', reason: Refusal.OPENS_IN_PAST, message: 'The opening time has passed: open the round now, or move the opening time' });
  }
  if (round.closesAt <= now) problems.push({ field: 'closesAt', reason: Refusal.CLOSES_IN_PAST, message: 'The closing time has already passed' });
  if (problems.length) refuse(problems);
  const previousOpensAt = round.opensAt;
  round.draft = false;
  if (when === 'now') round.opensAt = now;
  audit(em, {
    actorId: viewer.id,
    action: when === 'now' ? 'round.opened' : 'round.scheduled',
    subjectType: 'ConsultationRound',
    subjectId: round.id,
    scopeId: round.id,
    data: { fromDraft: true, previousOpensAt, opensAt: round.opensAt, closesAt: round.closesAt },
  });
  await em.flush();
  await scheduleRoundClock(em, round);
  return round;
}

function setupData(round: ConsultationRound, versions: { id: string }[]) {
  return {
    frameworkId: round.framework.id,
    title: round.title,
    instructions: round.instructions,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    audienceAll: round.audienceAll,
    audienceWorkingGroup: round.audienceWorkingGroup,
    audienceOrganizationIds: round.audienceOrganizationIds,
    audienceCountries: round.audienceCountries,
    ratingsEnabled: round.ratingsEnabled,
    indicatorVersionIds: versions.map((v) => v.id),
  };
}
