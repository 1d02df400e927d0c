import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { badInput, conflict, notFound } from '../errors.js';
import { Section } from '../frameworks/section.entity.js';
import { closeGap, placeAmongSiblings } from '../frameworks/sibling-order.js';
import { User, type Locale } from '../users/user.entity.js';
import { sameTexts } from './field-text.js';
import { IndicatorDraft } from './indicator-draft.entity.js';
import { IndicatorField, type IndicatorTexts } from './indicator-field.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator, IndicatorStatus } from './indicator.entity.js';
import { revisedTexts, toIndicatorTexts, type CreateIndicatorInput, type IndicatorTextsInput } from './indicator.inputs.js';
import { diffTexts } from './version-diff.js';

export function findIndicator(em: EntityManager, id: string) {
  return em.findOne(Indicator, { id });
}

export async function findIndicatorByCode(em: EntityManager, frameworkSlug: string, code: string) {
  return em.findOne(Indicator, { framework: { slug: frameworkSlug }, code: code.toUpperCase() });
}

export function findVersion(em: EntityManager, id: string) {
  return em.findOne(IndicatorVersion, { id });
}

export function requireTitle(texts: IndicatorTexts, source: Locale, field = 'texts') {
  if (!texts[IndicatorField.TITLE]?.[source]) {
    throw badInput(`${field}.title.${source}`, `An indicator needs a title in the framework’s source language (${source})`);
  }
}

export async function createIndicator(em: EntityManager, actorId: string, input: CreateIndicatorInput) {
  const section = await em.findOne(Section, { id: input.sectionId }, { populate: ['framework'] });
  if (!section) throw badInput('sectionId', 'sectionId must be an existing section');
  const framework = section.framework.getEntity();
  const code = input.code.toUpperCase();
  if (await em.count(Indicator, { framework, code })) {
    throw conflict(`Indicator code ${code} is already used in this framework`, { reason: 'DUPLICATE_CODE', fields: [{ field: 'code', message: 'already used' }] });
  }
  const texts = toIndicatorTexts(input.texts);
  requireTitle(texts, framework.sourceLanguage);
  const siblings = await em.find(Indicator, { section });
  const indicator = em.create(Indicator, { framework, section, code, position: siblings.length });
  placeAmongSiblings([...siblings, indicator], indicator, input.position);
  em.create(IndicatorDraft, { indicator, texts, updatedBy: em.getReference(User, actorId) });
  audit(em, { actorId, action: 'indicator.created', subjectType: 'Indicator', subjectId: indicator.id, scopeId: framework.id, data: { code, sectionId: section.id, position: indicator.position, texts } });
  await em.flush();
  return indicator;
}

/** The draft, locked until the transaction ends, so two saves of one draft queue up instead of racing. */
async function lockDraft(em: EntityManager, indicatorId: string) {
  const draft = await em.findOne(IndicatorDraft, { indicator: indicatorId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['indicator.framework'], refresh: true });
  if (!draft) throw notFound('Indicator', indicatorId);
  return draft;
}

/** A stale save is refused with the text that won, so the loser can merge without losing either. */
async function requireRevision(em: EntityManager, draft: IndicatorDraft, expectedRevision: number) {
  if (draft.revision === expectedRevision) return;
  const updatedBy = await draft.updatedBy.loadOrFail();
  throw conflict('Someone else saved this draft since you opened it; compare their text with yours', {
    reason: 'STALE_DRAFT',
    current: {
      revision: draft.revision,
      texts: draft.texts,
      updatedAt: draft.updatedAt.toISOString(),
      updatedBy: { id: updatedBy.id, name: updatedBy.name },
    },
  });
}

export async function saveDraft(em: EntityManager, actorId: string, indicatorId: string, expectedRevision: number, input: IndicatorTextsInput) {
  const draft = await lockDraft(em, indicatorId);
  await requireRevision(em, draft, expectedRevision);
  const indicator = draft.indicator.getEntity();
  const texts = revisedTexts(draft.texts, input);
  requireTitle(texts, indicator.framework.getEntity().sourceLanguage);
  if (sameTexts(draft.texts, texts)) return draft;
  const changes = diffTexts(draft.texts, texts).filter((d) => d.changed).map((d) => `${d.field}.${d.language}`);
  draft.texts = texts;
  draft.baseVersion = indicator.currentVersion ?? null;
  draft.updatedBy = em.getReference(User, actorId, { wrapped: true });
  draft.updatedAt = new Date();
  audit(em, { actorId, action: 'indicator.draft_saved', subjectType: 'Indicator', subjectId: indicator.id, scopeId: indicator.framework.id, data: { fromRevision: expectedRevision, changes, texts } });
  await em.flush();
  return draft;
}

/** Freezes the draft as the indicator's next version; the text it froze never changes again. */
export async function publishDraft(em: EntityManager, actorId: string, indicatorId: string, changeSummary: string | null, expectedRevision?: number | null) {
  if (changeSummary && changeSummary.length > 2000) throw badInput('changeSummary', 'changeSummary must be at most 2000 characters');
  const draft = await lockDraft(em, indicatorId);
  if (expectedRevision !== null && expectedRevision !== undefined) await requireRevision(em, draft, expectedRevision);
  const indicator = draft.indicator.getEntity();
  const framework = indicator.framework.getEntity();
  requireTitle(draft.texts, framework.sourceLanguage);
  const current = await indicator.currentVersion?.load();
  if (current && sameTexts(current.texts, draft.texts)) {
    throw conflict(`The draft of ${indicator.code} is the same as version ${current.number}; there is nothing to publish`, { reason: 'NOTHING_TO_PUBLISH' });
  }
  const [last] = await em.find(IndicatorVersion, { indicator }, { orderBy: { number: 'desc' }, limit: 1 });
  const version = em.create(IndicatorVersion, {
    indicator,
    number: (last?.number ?? 0) + 1,
    parent: current ?? null,
    texts: structuredClone(draft.texts),
    status: IndicatorVersionStatus.PUBLISHED,
    author: em.getReference(User, actorId),
    changeSummary: changeSummary?.trim() || null,
  });
  indicator.currentVersion = em.getReference(IndicatorVersion, version.id, { wrapped: true });
  // Its first published text puts a drafted indicator in force; a retired one stays retired.
  if (indicator.status === IndicatorStatus.DRAFT) indicator.status = IndicatorStatus.ACTIVE;
  audit(em, { actorId, action: 'indicator.version_published', subjectType: 'Indicator', subjectId: indicator.id, scopeId: framework.id, data: { versionId: version.id, number: version.number, parentId: current?.id ?? null, draftRevision: draft.revision, changeSummary: version.changeSummary } });
  await em.flush();
  return version;
}

/** Moves an indicator to `position` in a section (its own or another of the framework); code and history stay. */
export async function moveIndicator(em: EntityManager, actorId: string, indicatorId: string, sectionId: string, position: number) {
  const indicator = await em.findOne(Indicator, { id: indicatorId });
  if (!indicator) throw notFound('Indicator', indicatorId);
  const target = await em.findOne(Section, { id: sectionId, framework: indicator.framework });
  if (!target) throw badInput('sectionId', 'sectionId must be a section of the indicator’s framework');
  const before = { sectionId: indicator.section.id, position: indicator.position };
  if (before.sectionId !== target.id) {
    closeGap(await em.find(Indicator, { section: before.sectionId }), indicator);
    indicator.section = em.getReference(Section, target.id, { wrapped: true });
  }
  placeAmongSiblings(await em.find(Indicator, { section: target, id: { $ne: indicator.id } }), indicator, position);
  audit(em, { actorId, action: 'indicator.moved', subjectType: 'Indicator', subjectId: indicator.id, scopeId: indicator.framework.id, data: { before, after: { sectionId: target.id, position: indicator.position } } });
  await em.flush();
  return indicator;
}

/**
 * Takes an indicator out of the standard: its versions stay readable where rounds and releases
 * pinned them, and new rounds no longer pin it by default. Its code stays taken.
 */
export async function retireIndicator(em: EntityManager, actorId: string, indicatorId: string) {
  const indicator = await em.findOne(Indicator, { id: indicatorId });
  if (!indicator) throw notFound('Indicator', indicatorId);
  if (indicator.status === IndicatorStatus.RETIRED) {
    throw conflict(`Indicator ${indicator.code} is already retired`, { reason: 'ALREADY_RETIRED' });
  }
  const before = indicator.status;
  indicator.status = IndicatorStatus.RETIRED;
  audit(em, { actorId, action: 'indicator.retired', subjectType: 'Indicator', subjectId: indicator.id, scopeId: indicator.framework.id, data: { code: indicator.code, before } });
  await em.flush();
  return indicator;
}

export async function versionDiff(em: EntityManager, fromId: string, toId: string, languages?: Locale[] | null) {
  const [from, to] = await Promise.all([findVersion(em, fromId), findVersion(em, toId)]);
  if (!from) throw notFound('Version', fromId);
  if (!to) throw notFound('Version', toId);
  if (from.indicator.id !== to.indicator.id) throw badInput('to', 'Both versions must belong to the same indicator');
  return { from, to, fields: diffTexts(from.texts, to.texts, languages?.length ? languages : undefined) };
}

