import type { LocalizedText } from '../i18n/localized-text.js';
import { Framework } from '../frameworks/framework.entity.js';
import { readSeed, type SeedStep } from '../seed/seed.service.js';
import { releaseFramework } from './release.service.js';

interface ReleaseSeed {
  framework: string;
  number: string;
  final: boolean;
  notes: LocalizedText;
}

/**
 * The demo's releases, made by the demo facilitator through the same service as the page, before
 * the rounds open: what the ballots approve afterwards is what the next release would change.
 */
export const releasesStep: SeedStep = async (em, state) => {
  const facilitator = state.users.get('facilitadora@consulta.demo');
  if (!facilitator) throw new Error('releases.json needs the demo facilitator');
  const { releases } = readSeed<{ releases: ReleaseSeed[] }>('releases.json');
  for (const seed of releases) {
    const framework = await em.findOneOrFail(Framework, { slug: seed.framework });
    await releaseFramework(em, facilitator.id, { frameworkId: framework.id, number: seed.number, notes: seed.notes, final: seed.final });
  }
  return { releases: releases.length };
};
