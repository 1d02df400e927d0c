import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { badInput, conflict, notFound, Refusal } from '../errors.js';
import { Section } from '../frameworks/section.entity.js';
import { formatMessage } from '../i18n/messages.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { Release, ReleaseIndicator } from '../releases/release.entity.js';
import type { Locale } from '../users/user.entity.js';
import type { CreateSchemeInput } from './certification.inputs.js';
import { AreaDecisionMode, IndicatorWeight, Scheme, SchemeArea, SchemeIndicator } from './scheme.entity.js';

/** Each section's top-level ancestor (itself for a top-level one): the area it belongs to. */
function areaOfSection(sections: Section[]): Map<string, string> {
  const parent = new Map(sections.map((s) => [s.id, s.parent?.id ?? null]));
  const top = (id: string): string => {
    const up = parent.get(id);
    return up ? top(up) : id;
  };
  return new Map(sections.map((s) => [s.id, top(s.id)]));
}

/**
 * Makes the scheme of a final release: per area, the release's indicators it judges (each by code,
 * in that area), essential or scored, and the pass mark. Refused, storing nothing, for a working
 * release, a release that has its scheme, or an area or indicator the release does not have there.
 */
export async function createScheme(em: EntityManager, actorId: string, input: CreateSchemeInput): Promise<Scheme> {
  const release = await em.findOne(Release, { id: input.releaseId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!release) throw notFound('Release', input.releaseId);
  if (!release.finalAt) throw conflict(`Release ${release.number} is not final`, { reason: Refusal.RELEASE_NOT_FINAL });
  if (await em.count(Scheme, { release })) throw conflict(`Release ${release.number} has its scheme already`, { reason: Refusal.SCHEME_EXISTS });
  if (input.surveillanceMonths >= input.validityMonths) throw badInput('surveillanceMonths', 'The surveillance review comes before the end of validity', Refusal.SURVEILLANCE_AFTER_VALIDITY);

  const [sections, entries] = await Promise.all([
    em.find(Section, { framework: release.framework.id }),
    em.find(ReleaseIndicator, { release }, { orderBy: { position: 'asc' } }),
  ]);
  const indicators = await em.find(Indicator, { id: { $in: entries.map((e) => e.indicator.id) } });
  const sectionOfIndicator = new Map(indicators.map((i) => [i.id, i.section.id]));
  const areaOf = areaOfSection(sections);
  const topByCode = new Map(sections.filter((s) => !s.parent).map((s) => [s.code, s]));
  const entryByCode = new Map(entries.map((e) => [e.code, e]));

  const scheme = em.create(Scheme, { release, validityMonths: input.validityMonths, surveillanceMonths: input.surveillanceMonths, createdById: actorId });
  const seenAreas = new Set<string>();
  const seenIndicators = new Set<string>();
  input.areas.forEach((a, position) => {
    const section = topByCode.get(a.code.trim());
    if (!section || seenAreas.has(section.id)) throw badInput(`areas.${position}.code`, `${a.code} is not a top-level section of the framework, or is named twice`, Refusal.SCHEME_AREA_INVALID);
    seenAreas.add(section.id);
    const area = em.create(SchemeArea, { scheme, section, code: section.code, passPercent: a.passPercent, position, decidedBy: a.decidedBy ?? AreaDecisionMode.DIRECT });
    a.indicators.forEach((i, k) => {
      const field = `areas.${position}.indicators.${k}`;
      const entry = entryByCode.get(i.code.trim());
      if (!entry || seenIndicators.has(entry.id) || areaOf.get(sectionOfIndicator.get(entry.indicator.id)!) !== section.id) {
        throw badInput(`${field}.code`, `${i.code} is not an indicator of the release in ${section.code}, or is named twice`, Refusal.SCHEME_INDICATOR_INVALID);
      }
      seenIndicators.add(entry.id);
      if ((i.weight === IndicatorWeight.ESSENTIAL) !== (i.points === 0)) throw badInput(`${field}.points`, 'Essential indicators carry no points; scored ones carry some', Refusal.SCHEME_POINTS_INVALID);
      const quantitative = i.comparator != null;
      if (quantitative !== (i.threshold != null) || (quantitative && !Number.isFinite(i.threshold))) {
        throw badInput(`${field}.threshold`, 'A quantitative indicator has both a comparator and a finite threshold', Refusal.SCHEME_INDICATOR_INVALID);
      }
      em.create(SchemeIndicator, { area, releaseIndicator: entry, code: entry.code, weight: i.weight, points: i.points, comparator: i.comparator ?? null, threshold: i.threshold ?? null, position: entry.position });
    });
  });
  audit(em, {
    actorId,
    action: 'scheme.created',
    subjectType: 'Scheme',
    subjectId: scheme.id,
    scopeId: release.framework.id,
    data: { releaseId: release.id, number: release.number, areas: input.areas.map((a) => ({ code: a.code, passPercent: a.passPercent, indicators: a.indicators.length, decidedBy: a.decidedBy ?? AreaDecisionMode.DIRECT })) },
  });
  await em.flush();
  return scheme;
}

/** A framework's schemes, newest release first. */
export function listSchemes(em: EntityManager, frameworkId: string) {
  return em.find(Scheme, { release: { framework: frameworkId } }, { orderBy: { release: { sequence: 'desc' } } });
}

/** The area's rule in plain words, in `language`. */
export function areaRule(language: Locale, area: SchemeArea, indicators: SchemeIndicator[]): string {
  const essential = indicators.filter((i) => i.weight === IndicatorWeight.ESSENTIAL).length;
  const points = indicators.reduce((sum, i) => sum + i.points, 0);
  return formatMessage(language, 'certification.rule.statement', { essential, percent: area.passPercent, points });
}

export function validityRule(language: Locale, scheme: Scheme): string {
  return formatMessage(language, 'certification.rule.validity', { validity: scheme.validityMonths, surveillance: scheme.surveillanceMonths });
}

/** How one indicator is judged, in plain words: its weight, then its threshold when it has one. */
export function indicatorRule(language: Locale, indicator: SchemeIndicator): string {
  const weight = indicator.weight === IndicatorWeight.ESSENTIAL ? formatMessage(language, 'certification.rule.essential', {}) : formatMessage(language, 'certification.rule.scored', { points: indicator.points });
  if (!indicator.comparator || indicator.threshold == null) return weight;
  return `${weight} ${formatMessage(language, `certification.rule.threshold.${indicator.comparator}`, { threshold: indicator.threshold.toLocaleString(language) })}`;
}
