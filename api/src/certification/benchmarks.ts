import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { Viewer } from '../auth/viewer.js';
import { reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import { forbidden, notFound, Refusal } from '../errors.js';
import { Role } from '../users/user.entity.js';
import { Judgment } from './assessment.entity.js';
import { Scheme } from './scheme.entity.js';

/** The fewest institutions a cell may stand for when shown to institutions: fewer could point at one of them. */
export const MIN_INSTITUTIONS = 5;
const MOST_FAILED = 5;

@ObjectType({ description: 'An indicator often not met, in a benchmark cell.' })
export class FailedIndicator {
  @Field(() => String, { description: 'The indicator’s code.' }) code!: string;
  @Field(() => Float, { description: 'Of the assessments that judged it (not applicable left out), the share not met, 0 to 1 (partially met counts half).' }) shareNotMet!: number;
}

@ObjectType({ description: 'One cell of the certification benchmarks: an area, in one country or in all. Anonymized: it names no institution.' })
export class BenchmarkCell {
  @Field(() => String, { description: 'The area’s code.' }) area!: string;
  @Field(() => String, { nullable: true, description: 'The country (ISO 3166-1 alpha-2); null for every country together.' }) country!: string | null;
  @Field(() => Boolean, { description: 'True when shown to an institution and fewer than five institutions stand behind it: every figure is then null.' }) suppressed!: boolean;
  @Field(() => Int, { nullable: true, description: 'The institutions behind it (those with a submitted assessment of the area).' }) institutions!: number | null;
  @Field(() => Int, { nullable: true, description: 'The submitted assessments of the area behind it.' }) assessments!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of the judged indicators met, 0 to 1 (partially met counts half; not applicable left out); the reviewers’ judgment where given, the institution’s elsewhere.' }) shareMet!: number | null;
  @Field(() => [FailedIndicator], { nullable: true, description: 'The indicators most often not met, worst first (at most five).' }) mostFailed!: FailedIndicator[] | null;
  @Field(() => Float, { nullable: true, description: 'Median days from opening the assessment to the committee’s decision on the area; null when none is decided.' }) medianDaysToDecision!: number | null;
  @Field(() => Int, { nullable: true, description: 'Areas decided, of which awarded: see `awarded`.' }) decided!: number | null;
  @Field(() => Int, { nullable: true, description: 'Areas awarded a seal.' }) awarded!: number | null;
}

interface AreaAssessment {
  assessmentId: string;
  organizationId: string;
  country: string;
  area: string;
  openedAt: Date;
  decidedAt: Date | null;
  decision: string | null;
  /** Per indicator code: the reviewers' judgment where given, else the institution's. */
  judgments: Map<string, Judgment>;
}

const median = (values: number[]) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const credit = (j: Judgment) => (j === Judgment.MET ? 1 : j === Judgment.PARTIALLY_MET ? 0.5 : 0);

function cell(area: string, country: string | null, rows: AreaAssessment[], suppress: boolean): BenchmarkCell {
  const institutions = new Set(rows.map((r) => r.organizationId)).size;
  if (suppress && institutions < MIN_INSTITUTIONS) {
    return { area, country, suppressed: true, institutions: null, assessments: null, shareMet: null, mostFailed: null, medianDaysToDecision: null, decided: null, awarded: null };
  }
  let earned = 0;
  let judged = 0;
  const byCode = new Map<string, { judged: number; missed: number }>();
  for (const row of rows) {
    for (const [code, judgment] of row.judgments) {
      if (judgment === Judgment.NOT_APPLICABLE) continue;
      judged++;
      earned += credit(judgment);
      const tally = byCode.get(code) ?? { judged: 0, missed: 0 };
      tally.judged++;
      tally.missed += 1 - credit(judgment);
      byCode.set(code, tally);
    }
  }
  const decided = rows.filter((r) => r.decidedAt);
  return {
    area,
    country,
    suppressed: false,
    institutions,
    assessments: rows.length,
    shareMet: judged ? earned / judged : null,
    mostFailed: [...byCode]
      .map(([code, t]) => ({ code, shareNotMet: t.missed / t.judged }))
      .filter((f) => f.shareNotMet > 0)
      .sort((a, b) => b.shareNotMet - a.shareNotMet || a.code.localeCompare(b.code))
      .slice(0, MOST_FAILED),
    medianDaysToDecision: median(decided.map((r) => (r.decidedAt!.getTime() - r.openedAt.getTime()) / 86_400_000)),
    decided: decided.length,
    awarded: decided.filter((r) => r.decision === 'AWARD').length,
  };
}

/**
 * The scheme's benchmarks, per area and per country and per area in all countries, over the
 * submitted assessments. The committee and facilitators see every cell; the people of an institution
 * that took part (it has a submitted assessment against the scheme) see the cells of five
 * institutions or more, the others suppressed; anyone else is refused.
 */
export async function benchmarks(em: EntityManager, viewer: Viewer, schemeId: string): Promise<BenchmarkCell[]> {
  if (!(await em.count(Scheme, { id: schemeId }))) throw notFound('Scheme', schemeId);
  const overseer = viewer.has(Role.CERTIFICATION_COMMITTEE) || viewer.has(Role.FACILITATOR);
  const db = reads(em);
  const areas = await db
    .selectFrom('certification_assessment_area as aa')
    .innerJoin('certification_assessment as a', 'a.id', 'aa.assessment_id')
    .innerJoin('certification_scheme_area as sa', 'sa.id', 'aa.scheme_area_id')
    .innerJoin('organization as o', 'o.id', 'a.organization_id')
    .select(['a.id as assessment_id', 'a.organization_id', 'o.country', 'sa.id as scheme_area_id', 'sa.code', 'sa.position', 'a.opened_at', 'aa.decided_at', 'aa.decision'])
    .where('a.scheme_id', '=', schemeId)
    .where('a.submitted_at', 'is not', null)
    .orderBy('sa.position')
    .execute();
  if (!overseer && !areas.some((a) => a.organization_id === viewer.organizationId)) {
    throw forbidden('Benchmarks are for the committee, facilitators and the institutions taking part in the pilot', Refusal.NOT_PARTICIPATING);
  }
  const ids = [...new Set(areas.map((a) => a.assessment_id))];
  const judged = ids.length
    ? await db
        .selectFrom('certification_answer as an')
        .innerJoin('certification_scheme_indicator as si', 'si.id', 'an.scheme_indicator_id')
        .leftJoin('certification_review_judgment as rj', (join) => join.onRef('rj.assessment_id', '=', 'an.assessment_id').onRef('rj.scheme_indicator_id', '=', 'an.scheme_indicator_id'))
        .select(['an.assessment_id', 'si.area_id', 'si.code', 'an.judgment', 'rj.judgment as reviewed'])
        .where('an.assessment_id', 'in', ids)
        .execute()
    : [];
  const rows: AreaAssessment[] = areas.map((a) => ({
    assessmentId: a.assessment_id,
    organizationId: a.organization_id,
    country: a.country,
    area: a.code,
    openedAt: rowDate(a.opened_at),
    decidedAt: a.decided_at ? rowDate(a.decided_at) : null,
    decision: a.decision,
    judgments: new Map(judged.filter((j) => j.assessment_id === a.assessment_id && j.area_id === a.scheme_area_id).map((j) => [j.code, (j.reviewed ?? j.judgment) as Judgment])),
  }));
  const cells: BenchmarkCell[] = [];
  for (const area of [...new Set(rows.map((r) => r.area))]) {
    const inArea = rows.filter((r) => r.area === area);
    const countries = [...new Set(inArea.map((r) => r.country))].sort().map((country) => cell(area, country, inArea.filter((r) => r.country === country), !overseer));
    // One country hidden beside the area's total could be worked out by subtraction: hide the smallest shown one with it.
    const shown = countries.filter((c) => !c.suppressed);
    if (!overseer && countries.length - shown.length === 1 && shown.length) {
      const smallest = shown.reduce((a, b) => (b.institutions! < a.institutions! ? b : a));
      countries[countries.indexOf(smallest)] = cell(area, smallest.country, [], true);
    }
    cells.push(cell(area, null, inArea, !overseer), ...countries);
  }
  return cells;
}
