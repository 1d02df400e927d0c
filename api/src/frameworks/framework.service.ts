import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { badInput, conflict, notFound } from '../errors.js';
import { toLocalizedText, type LocalizedText, type LocalizedTextInput } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';
import { Framework, type FrameworkStatus } from './framework.entity.js';
import type { CreateFrameworkInput, CreateSectionInput, UpdateFrameworkInput, UpdateSectionInput } from './framework.inputs.js';
import { Section } from './section.entity.js';
import { placeAmongSiblings } from './sibling-order.js';

export function listFrameworks(em: EntityManager) {
  return em.find(Framework, {}, { orderBy: { createdAt: 'asc', slug: 'asc' } });
}

export function findFramework(em: EntityManager, slug: string) {
  return em.findOne(Framework, { slug });
}

/** A localized text that must at least be written in the framework's source language. */
export function sourceText(input: LocalizedTextInput, source: Locale, field: string): LocalizedText {
  const text = toLocalizedText(input);
  if (!text[source]) throw badInput(`${field}.${source}`, `${field} needs a text in the source language (${source})`);
  return text;
}

export async function createFramework(em: EntityManager, actorId: string, input: CreateFrameworkInput) {
  if (await em.count(Framework, { slug: input.slug })) {
    throw conflict(`A framework with slug “${input.slug}” already exists`, { reason: 'DUPLICATE_SLUG', fields: [{ field: 'slug', message: 'already exists' }] });
  }
  const framework = em.create(Framework, {
    slug: input.slug,
    kind: input.kind,
    sourceLanguage: input.sourceLanguage,
    name: sourceText(input.name, input.sourceLanguage, 'name'),
    description: toLocalizedText(input.description),
  });
  audit(em, { actorId, action: 'framework.created', subjectType: 'Framework', subjectId: framework.id, scopeId: framework.id, data: { slug: framework.slug, kind: framework.kind } });
  await em.flush();
  return framework;
}

/** Renames a framework or rewrites its description; the slug, kind and source language stay. */
export async function updateFramework(em: EntityManager, actorId: string, id: string, input: UpdateFrameworkInput) {
  const framework = await em.findOne(Framework, { id });
  if (!framework) throw notFound('Framework', id);
  const before = { name: framework.name, description: framework.description };
  if (input.name) framework.name = sourceText(input.name, framework.sourceLanguage, 'name');
  if (input.description) framework.description = toLocalizedText(input.description);
  audit(em, { actorId, action: 'framework.updated', subjectType: 'Framework', subjectId: framework.id, scopeId: framework.id, data: { before, after: { name: framework.name, description: framework.description } } });
  await em.flush();
  return framework;
}

/**
 * Moves a framework to `status` (a release marked final makes it FINAL), audit-logged, inside the
 * caller's transaction: it changes and logs, and leaves the flush to the caller's. Returns whether it changed.
 */
export function setFrameworkStatus(em: EntityManager, actorId: string | null, framework: Framework, status: FrameworkStatus, data: Record<string, unknown> = {}): boolean {
  if (framework.status === status) return false;
  const before = framework.status;
  framework.status = status;
  audit(em, { actorId, action: 'framework.status_changed', subjectType: 'Framework', subjectId: framework.id, scopeId: framework.id, data: { ...data, before, after: status } });
  return true;
}

async function siblingsOf(em: EntityManager, frameworkId: string, parentId: string | null) {
  return em.find(Section, { framework: frameworkId, parent: parentId }, { orderBy: { position: 'asc' } });
}

async function requireFreeCode(em: EntityManager, frameworkId: string, code: string) {
  if (await em.count(Section, { framework: frameworkId, code })) {
    throw conflict(`Section code ${code} is already used in this framework`, { reason: 'DUPLICATE_CODE', fields: [{ field: 'code', message: 'already used' }] });
  }
}

export async function createSection(em: EntityManager, actorId: string, input: CreateSectionInput) {
  const framework = await em.findOne(Framework, { id: input.frameworkId });
  if (!framework) throw notFound('Framework', input.frameworkId);
  const parent = input.parentId ? await em.findOne(Section, { id: input.parentId, framework }) : null;
  if (input.parentId && !parent) throw badInput('parentId', 'parentId must be a section of the same framework');
  const code = input.code.toUpperCase();
  await requireFreeCode(em, framework.id, code);
  const siblings = await siblingsOf(em, framework.id, parent?.id ?? null);
  const section = em.create(Section, { framework, parent, code, title: sourceText(input.title, framework.sourceLanguage, 'title'), position: siblings.length });
  placeAmongSiblings([...siblings, section], section, input.position);
  audit(em, { actorId, action: 'section.created', subjectType: 'Section', subjectId: section.id, scopeId: framework.id, data: { code, parentId: parent?.id ?? null, position: section.position } });
  await em.flush();
  return section;
}

export async function updateSection(em: EntityManager, actorId: string, id: string, input: UpdateSectionInput) {
  const section = await em.findOne(Section, { id }, { populate: ['framework'] });
  if (!section) throw notFound('Section', id);
  const framework = section.framework.getEntity();
  const before = { code: section.code, title: section.title, position: section.position };
  const code = input.code?.toUpperCase();
  // Checked before the change: the count would flush it first and find the section itself.
  if (code && code !== section.code) {
    await requireFreeCode(em, framework.id, code);
    section.code = code;
  }
  if (input.title) section.title = sourceText(input.title, framework.sourceLanguage, 'title');
  if (input.position !== null && input.position !== undefined) {
    placeAmongSiblings(await siblingsOf(em, framework.id, section.parent?.id ?? null), section, input.position);
  }
  audit(em, { actorId, action: 'section.updated', subjectType: 'Section', subjectId: section.id, scopeId: framework.id, data: { before, after: { code: section.code, title: section.title, position: section.position } } });
  await em.flush();
  return section;
}
