import type { EntityManager } from '@mikro-orm/postgresql';
import type { LocalizedText } from '../i18n/localized-text.js';
import { IndicatorDraft } from '../indicators/indicator-draft.entity.js';
import type { IndicatorTexts } from '../indicators/indicator-field.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator, IndicatorStatus } from '../indicators/indicator.entity.js';
import { readSeed, type SeedStep } from '../seed/seed.service.js';
import type { Locale, User } from '../users/user.entity.js';
import { Framework, type FrameworkKind, type FrameworkStatus } from './framework.entity.js';
import { Section } from './section.entity.js';

interface IndicatorSeed {
  code: string;
  /** The first holds the whole text; each later one only the fields it changes. */
  versions: { changeSummary: string | null; texts: IndicatorTexts }[];
}
interface SectionSeed {
  code: string;
  title: LocalizedText;
  sections?: SectionSeed[];
  indicators?: IndicatorSeed[];
}
interface FrameworkSeed {
  slug: string;
  kind: FrameworkKind;
  status: FrameworkStatus;
  sourceLanguage: Locale;
  name: LocalizedText;
  description: LocalizedText;
  sections: SectionSeed[];
}

export const FRAMEWORK_SEEDS = ['frameworks/spwg-lac.json', 'frameworks/usspm.json'];
const AUTHOR = 'facilitadora@consulta.demo';

function addIndicator(em: EntityManager, framework: Framework, section: Section, seed: IndicatorSeed, position: number, author: User) {
  const indicator = em.create(Indicator, { framework, section, code: seed.code, position });
  let texts: IndicatorTexts = {};
  let parent: IndicatorVersion | null = null;
  for (const [i, v] of seed.versions.entries()) {
    texts = { ...texts, ...v.texts };
    parent = em.create(IndicatorVersion, { indicator, number: i + 1, parent, texts, status: IndicatorVersionStatus.PUBLISHED, author, changeSummary: v.changeSummary });
  }
  indicator.currentVersion = parent ? em.getReference(IndicatorVersion, parent.id, { wrapped: true }) : null;
  if (parent) indicator.status = IndicatorStatus.ACTIVE;
  em.create(IndicatorDraft, { indicator, texts: structuredClone(texts), baseVersion: parent, updatedBy: author });
}

function addSections(em: EntityManager, framework: Framework, parent: Section | null, seeds: SectionSeed[], author: User) {
  for (const [position, seed] of seeds.entries()) {
    const section = em.create(Section, { framework, parent, code: seed.code, title: seed.title, position });
    (seed.indicators ?? []).forEach((ind, i) => addIndicator(em, framework, section, ind, i, author));
    addSections(em, framework, section, seed.sections ?? [], author);
  }
}

/** The SPWG LAC certification and the USSPM, with every version published by the demo facilitator. */
export const frameworksStep: SeedStep = async (em, state) => {
  const author = state.users.get(AUTHOR);
  if (!author) throw new Error(`frameworks seed: the author ${AUTHOR} is not among the demo users`);
  for (const file of FRAMEWORK_SEEDS) {
    const { sections, ...seed } = readSeed<FrameworkSeed>(file);
    const framework = em.create(Framework, seed);
    addSections(em, framework, null, sections, author);
  }
  await em.flush();
  return {
    frameworks: FRAMEWORK_SEEDS.length,
    indicators: await em.count(Indicator, {}),
    indicatorVersions: await em.count(IndicatorVersion, {}),
  };
};
