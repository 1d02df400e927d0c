import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { badInput, conflict, notFound, Refusal } from '../errors.js';
import { Framework, FrameworkStatus } from '../frameworks/framework.entity.js';
import { setFrameworkStatus } from '../frameworks/framework.service.js';
import { Section } from '../frameworks/section.entity.js';
import { toLocalizedText } from '../i18n/localized-text.js';
import { IndicatorVersion, Indicator, IndicatorStatus } from '../indicators/indicator.entity.js';
import { buildChangelog, type ReleaseChange, type SnapshotEntry } from './changelog.js';
import { Release, ReleaseIndicator, RELEASE_NUMBER } from './release.entity.js';
import type { ReleaseFrameworkInput } from './release.inputs.js';

/** The framework now: every indicator in force (not retired, with a published version) at its current version, in tree order. */
export async function currentSnapshot(em: EntityManager, frameworkId: string): Promise<SnapshotEntry[]> {
  const [sections, indicators] = await Promise.all([
    em.find(Section, { framework: frameworkId }, { orderBy: { position: 'asc', code: 'asc' } }),
    em.find(Indicator, { framework: frameworkId, status: { $ne: IndicatorStatus.RETIRED }, currentVersion: { $ne: null } }, { orderBy: { position: 'asc', code: 'asc' } }),
  ]);
  const order = new Map<string, number>();
  const visit = (parentId: string | null) => {
    for (const s of sections.filter((s) => (s.parent?.id ?? null) === parentId)) {
      order.set(s.id, order.size);
      visit(s.id);
    }
  };
  visit(null);
  return indicators
    .map((i) => ({ indicatorId: i.id, versionId: i.currentVersion!.id, code: i.code, section: order.get(i.section.id) ?? order.size, position: i.position }))
    .sort((a, b) => a.section - b.section || a.position - b.position || a.code.localeCompare(b.code))
    .map((e, position) => ({ indicatorId: e.indicatorId, versionId: e.versionId, code: e.code, position }));
}

/** A stored release's snapshot, in its order. */
export async function releaseSnapshot(em: EntityManager, releaseId: string): Promise<SnapshotEntry[]> {
  const rows = await em.find(ReleaseIndicator, { release: releaseId }, { orderBy: { position: 'asc' } });
  return rows.map((r) => ({ indicatorId: r.indicator.id, versionId: r.version.id, code: r.code, position: r.position }));
}

async function latestRelease(em: EntityManager, frameworkId: string, before?: number): Promise<Release | null> {
  const [latest] = await em.find(Release, { framework: frameworkId, ...(before !== undefined ? { sequence: { $lt: before } } : {}) }, { orderBy: { sequence: 'desc' }, limit: 1 });
  return latest ?? null;
}

/** What a new release of the framework would change now, from its latest release. */
export async function previewChangelog(em: EntityManager, frameworkId: string): Promise<ReleaseChange[]> {
  const previous = await latestRelease(em, frameworkId);
  return buildChangelog(em, previous ? await releaseSnapshot(em, previous.id) : [], await currentSnapshot(em, frameworkId));
}

/** A release's changes from the release before it. */
export async function releaseChangelog(em: EntityManager, release: Release): Promise<ReleaseChange[]> {
  const previous = await latestRelease(em, release.framework.id, release.sequence);
  return buildChangelog(em, previous ? await releaseSnapshot(em, previous.id) : [], await releaseSnapshot(em, release.id));
}

export function previousRelease(em: EntityManager, release: Release) {
  return latestRelease(em, release.framework.id, release.sequence);
}

/** The first later release marked final: the standard that replaced this one. */
export async function supersedingRelease(em: EntityManager, release: Release): Promise<Release | null> {
  const [later] = await em.find(Release, { framework: release.framework.id, sequence: { $gt: release.sequence }, finalAt: { $ne: null } }, { orderBy: { sequence: 'asc' }, limit: 1 });
  return later ?? null;
}

/** The framework's standard for certification: its latest final release. */
export async function finalRelease(em: EntityManager, frameworkId: string): Promise<Release | null> {
  const [release] = await em.find(Release, { framework: frameworkId, finalAt: { $ne: null } }, { orderBy: { sequence: 'desc' }, limit: 1 });
  return release ?? null;
}

export async function findFrameworkBySlug(em: EntityManager, slug: string): Promise<Framework> {
  const framework = await em.findOne(Framework, { slug });
  if (!framework) throw notFound('Framework', slug);
  return framework;
}

/** Newest first. */
export async function listReleases(em: EntityManager, frameworkSlug: string): Promise<Release[]> {
  const framework = await findFrameworkBySlug(em, frameworkSlug);
  return em.find(Release, { framework }, { orderBy: { sequence: 'desc' } });
}

export async function findRelease(em: EntityManager, frameworkSlug: string, number: string): Promise<Release | null> {
  const framework = await em.findOne(Framework, { slug: frameworkSlug });
  return framework ? em.findOne(Release, { framework, number: number.trim() }) : null;
}

/**
 * Releases the framework: every indicator in force at its current version, numbered as the working
 * group names it. Refused, storing nothing, when the number is malformed or taken or when nothing
 * changed since the previous release. The framework row is locked, so two releases at once get
 * consecutive sequences and each sees the other's snapshot.
 */
export async function releaseFramework(em: EntityManager, actorId: string, input: ReleaseFrameworkInput): Promise<Release> {
  const framework = await em.findOne(Framework, { id: input.frameworkId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!framework) throw notFound('Framework', input.frameworkId);
  const number = input.number.trim();
  if (!RELEASE_NUMBER.test(number)) throw badInput('number', 'A release number is the year, a dot and a number, e.g. 2026.1', Refusal.RELEASE_NUMBER_FORMAT);
  if (await em.count(Release, { framework, number })) throw badInput('number', `Release ${number} already exists`, Refusal.RELEASE_NUMBER_TAKEN);

  const previous = await latestRelease(em, framework.id);
  const snapshot = await currentSnapshot(em, framework.id);
  const changes = await buildChangelog(em, previous ? await releaseSnapshot(em, previous.id) : [], snapshot);
  if (!changes.length || !snapshot.length) throw badInput('changes', 'Nothing changed since the previous release', Refusal.RELEASE_NO_CHANGES);

  const now = new Date();
  const release = em.create(Release, {
    framework,
    number,
    sequence: (previous?.sequence ?? 0) + 1,
    notes: toLocalizedText(input.notes),
    createdById: actorId,
    createdAt: now,
    finalAt: input.final ? now : null,
    finalById: input.final ? actorId : null,
  });
  for (const entry of snapshot) {
    em.create(ReleaseIndicator, { release, indicator: em.getReference(Indicator, entry.indicatorId), version: em.getReference(IndicatorVersion, entry.versionId), code: entry.code, position: entry.position });
  }
  audit(em, {
    actorId,
    action: 'release.created',
    subjectType: 'Release',
    subjectId: release.id,
    scopeId: framework.id,
    data: {
      number,
      sequence: release.sequence,
      final: Boolean(input.final),
      previousReleaseId: previous?.id ?? null,
      indicators: snapshot.length,
      changes: changes.map((c) => ({ code: c.code, kind: c.kind, fromVersionId: c.from?.id ?? null, toVersionId: c.to?.id ?? null })),
    },
  });
  if (input.final) setFrameworkStatus(em, actorId, framework, FrameworkStatus.FINAL, { releaseId: release.id, number });
  await em.flush();
  return release;
}

/** Marks a release final: the standard certification uses. Once, and never for one a later final release superseded. */
export async function markReleaseFinal(em: EntityManager, actorId: string, releaseId: string): Promise<Release> {
  const release = await em.findOne(Release, { id: releaseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!release) throw notFound('Release', releaseId);
  const framework = await em.findOneOrFail(Framework, { id: release.framework.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (release.finalAt) throw conflict(`Release ${release.number} is final already`, { reason: Refusal.RELEASE_ALREADY_FINAL });
  const later = await supersedingRelease(em, release);
  if (later) throw conflict(`Release ${later.number} is final and supersedes ${release.number}`, { reason: Refusal.RELEASE_SUPERSEDED });
  release.finalAt = new Date();
  release.finalById = actorId;
  audit(em, { actorId, action: 'release.marked_final', subjectType: 'Release', subjectId: release.id, scopeId: framework.id, data: { number: release.number } });
  setFrameworkStatus(em, actorId, framework, FrameworkStatus.FINAL, { releaseId: release.id, number: release.number });
  await em.flush();
  return release;
}
