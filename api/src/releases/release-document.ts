import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import { reads } from '../db/reads.js';
import { Framework } from '../frameworks/framework.entity.js';
import { Section } from '../frameworks/section.entity.js';
import { localize } from '../i18n/localized-text.js';
import { INDICATOR_FIELDS, type IndicatorField } from '../indicators/indicator-field.js';
import { diffTexts, type DiffRun } from '../indicators/version-diff.js';
import { mayReadRound } from '../rounds/round-readers.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import type { Locale } from '../users/user.entity.js';
import type { ReleaseChangeKind } from './changelog.js';
import type { Release } from './release.entity.js';
import { releaseChangelog, supersedingRelease } from './release.service.js';

/**
 * A release as one plain document in one language: what the JSON download is, and what the PDF and
 * the spreadsheet print. Texts are in `language`, falling back to the framework's source language;
 * each text says which language it is in.
 */
export interface ReleaseDocument {
  format: 'consulta-release';
  formatVersion: 1;
  language: Locale;
  framework: { id: string; slug: string; name: string };
  release: { id: string; number: string; sequence: number; final: boolean; finalAt: string | null; createdAt: string; supersededBy: string | null; notes: string | null };
  indicators: {
    indicatorId: string;
    code: string;
    area: string | null;
    versionId: string;
    versionNumber: number;
    fields: { field: IndicatorField; text: string; language: Locale }[];
  }[];
  changelog: {
    kind: ReleaseChangeKind;
    indicatorId: string;
    code: string;
    fromVersion: number | null;
    toVersion: number | null;
    diff: { field: IndicatorField; runs: DiffRun[] }[];
    steps: {
      versionId: string;
      versionNumber: number;
      changeSummary: string | null;
      ballots: { ballotId: string; questionId: string; title: string; outcome: string; decidedAt: string | null }[];
      comments: { commentId: string; roundId: string; body: string }[];
    }[];
  }[];
}

export async function releaseDocument(em: EntityManager, viewer: Viewer | null, release: Release, language: Locale): Promise<ReleaseDocument> {
  const framework = await em.findOneOrFail(Framework, { id: release.framework.id });
  const source = framework.sourceLanguage;
  const reading = [language];
  const text = (t: Parameters<typeof localize>[0]) => localize(t, reading, source);

  const rows = await reads(em)
    .selectFrom('release_indicator as ri')
    .innerJoin('indicator_version as v', 'v.id', 'ri.version_id')
    .innerJoin('indicator as i', 'i.id', 'ri.indicator_id')
    .select(['ri.indicator_id', 'ri.code', 'ri.version_id', 'v.number', 'v.texts', 'i.section_id'])
    .where('ri.release_id', '=', release.id)
    .orderBy('ri.position')
    .execute();
  // The area is the top of the indicator's section path.
  const sections = await em.find(Section, { framework });
  const sectionById = new Map(sections.map((s) => [s.id, s]));
  const areaOf = (sectionId: string) => {
    let s = sectionById.get(sectionId);
    for (let hops = 0; s?.parent && hops < 100; hops++) s = sectionById.get(s.parent.id);
    return s ? `${s.code} ${text(s.title)?.value ?? ''}`.trim() : null;
  };

  const changes = await releaseChangelog(em, release);
  const roundIds = [...new Set(changes.flatMap((c) => c.steps.flatMap((s) => s.comments.map((m) => m.round.id))))];
  const rounds = roundIds.length ? await em.find(ConsultationRound, { id: { $in: roundIds } }) : [];
  const readable = new Set<string>();
  for (const round of rounds) if (await mayReadRound(viewer, round)) readable.add(round.id);
  const later = await supersedingRelease(em, release);

  return {
    format: 'consulta-release',
    formatVersion: 1,
    language,
    framework: { id: framework.id, slug: framework.slug, name: text(framework.name)?.value ?? framework.slug },
    release: {
      id: release.id,
      number: release.number,
      sequence: release.sequence,
      final: Boolean(release.finalAt),
      finalAt: release.finalAt?.toISOString() ?? null,
      createdAt: release.createdAt.toISOString(),
      supersededBy: later?.number ?? null,
      notes: text(release.notes)?.value ?? null,
    },
    indicators: rows.map((r) => ({
      indicatorId: r.indicator_id,
      code: r.code,
      area: areaOf(r.section_id),
      versionId: r.version_id,
      versionNumber: r.number,
      fields: INDICATOR_FIELDS.flatMap((field) => {
        const t = text(r.texts[field]);
        return t ? [{ field, text: t.value, language: t.language }] : [];
      }),
    })),
    changelog: changes.map((c) => ({
      kind: c.kind,
      indicatorId: c.indicator.id,
      code: c.code,
      fromVersion: c.from?.number ?? null,
      toVersion: c.to?.number ?? null,
      diff: diffTexts(c.from?.texts ?? {}, c.to?.texts ?? {}, [language]).filter((d) => d.changed).map((d) => ({ field: d.field, runs: d.runs })),
      steps: c.steps.map((s) => ({
        versionId: s.version.id,
        versionNumber: s.version.number,
        changeSummary: s.version.changeSummary ?? null,
        ballots: s.approvedBy.map((a) => ({
          ballotId: a.ballot.id,
          questionId: a.question.id,
          title: localize(a.ballot.title, reading, source)?.value ?? '',
          outcome: a.question.outcome ?? '',
          decidedAt: a.question.decidedAt?.toISOString() ?? null,
        })),
        comments: s.comments.filter((m) => readable.has(m.round.id)).map((m) => ({ commentId: m.id, roundId: m.round.id, body: m.body })),
      })),
    })),
  };
}
