import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { commentsMatching } from '../comments/filter-criteria.js';
import { countInt, reads, type Reads } from '../db/reads.js';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { localize } from '../i18n/localized-text.js';
import type { RoundOutline } from '../rounds/round-outline.js';

export interface Count {
  key: string | null;
  label: string | null;
  count: number;
}

export interface BallotResult {
  ballotId: string;
  ballot: string;
  indicatorCode: string;
  revisionNumber: number;
  revisionId: string;
  closed: boolean;
  approve: number;
  reject: number;
  abstain: number;
  eligible: number | null;
  outcome: string | null;
}

export interface RoundSummary {
  total: number;
  withdrawn: number;
  bySection: Count[];
  byIndicator: Count[];
  byType: Count[];
  byDisposition: Count[];
  byCountry: Count[];
  byOrganization: Count[];
  /** Per practice and value. */
  ratings: { indicatorCode: string; value: string; count: number }[];
  ballots: BallotResult[];
}

/** The indicator versions that answer a round: revisions linked to its comments, and new versions made from a version it pinned. */
export function roundRevisions(db: Reads, roundId: string) {
  return db
    .selectFrom('indicator_version as v')
    .select('v.id')
    .where('v.parent_id', 'in', (eb) => eb.selectFrom('round_version').select('indicator_version_id').where('round_id', '=', roundId))
    .union(db.selectFrom('revision_comment as rc').innerJoin('comment as c', 'c.id', 'rc.comment_id').select('rc.revision_id as id').where('c.round_id', '=', roundId));
}

type Grouped = 'c.section_id' | 'c.indicator_id' | 'c.type' | 'c.disposition_status' | 'c.author_country' | 'c.author_organization_id';

/** Every count of the summary in one grouped statement over the table's comments (the same filter), withdrawn included. */
export async function roundSummary(em: EntityManager, outline: RoundOutline, filter: CommentFilter): Promise<RoundSummary> {
  const db = reads(em);
  const rows = await db
    .selectFrom('comment as c')
    .leftJoin('indicator as i', 'i.id', 'c.indicator_id')
    .select(({ ref }) => {
      const grouped = (column: Grouped) => sql`grouping(${ref(column)}) = 0`;
      const withdrawn = sql`(${ref('c.withdrawn_at')} is not null)`;
      return [
        sql<string>`case when ${grouped('c.section_id')} then 'section' when ${grouped('c.indicator_id')} then 'indicator'
                 when ${grouped('c.type')} then 'type' when ${grouped('c.disposition_status')} then 'disposition'
                 when ${grouped('c.author_country')} then 'country' when ${grouped('c.author_organization_id')} then 'organization'
                 when grouping(${withdrawn}) = 0 then 'withdrawn' else 'total' end`.as('g'),
        sql<string | null>`case when ${grouped('c.section_id')} then ${ref('c.section_id')}::text when ${grouped('c.indicator_id')} then ${ref('c.indicator_id')}::text
                 when ${grouped('c.type')} then ${ref('c.type')} when ${grouped('c.disposition_status')} then ${ref('c.disposition_status')}
                 when ${grouped('c.author_country')} then ${ref('c.author_country')} when ${grouped('c.author_organization_id')} then ${ref('c.author_organization_id')}::text
                 when grouping(${withdrawn}) = 0 then ${withdrawn}::text end`.as('key'),
        sql<string | null>`case when ${grouped('c.indicator_id')} then max(${ref('i.code')}) when ${grouped('c.author_organization_id')} then max(${ref('c.author_organization_name')}) end`.as('label'),
        countInt,
      ];
    })
    .where(commentsMatching(db, outline.roundId, filter))
    .groupBy(({ ref }) =>
      sql`grouping sets ((${ref('c.section_id')}), (${ref('c.indicator_id')}), (${ref('c.type')}), (${ref('c.disposition_status')}), (${ref('c.author_country')}), (${ref('c.author_organization_id')}), ((${ref('c.withdrawn_at')} is not null)), ())`,
    )
    .orderBy('n', 'desc')
    .orderBy('key')
    .execute();
  const pick = (g: string): Count[] => rows.filter((r) => r.g === g).map((r) => ({ key: r.key, label: r.label, count: r.n }));
  const ratings = await db
    .selectFrom('practice_rating as pr')
    .innerJoin('indicator as i', 'i.id', 'pr.indicator_id')
    .select(['i.code as indicator_code', 'pr.value', countInt])
    .where('pr.round_id', '=', outline.roundId)
    .groupBy(['i.code', 'pr.value'])
    .orderBy('i.code').orderBy('pr.value')
    .execute();
  return {
    total: rows.find((r) => r.g === 'total')?.n ?? 0,
    withdrawn: rows.find((r) => r.g === 'withdrawn' && r.key === 'true')?.n ?? 0,
    bySection: pick('section'),
    byIndicator: pick('indicator'),
    byType: pick('type'),
    byDisposition: pick('disposition'),
    byCountry: pick('country'),
    byOrganization: pick('organization'),
    ratings: ratings.map((r) => ({ indicatorCode: r.indicator_code, value: r.value, count: r.n })),
    ballots: await ballotResults(em, outline),
  };
}

/** The questions put to ballots on the round's revisions. Counts of a ballot still open stay hidden (ballots may be secret until they close). */
export async function ballotResults(em: EntityManager, outline: RoundOutline): Promise<BallotResult[]> {
  const db = reads(em);
  const rows = await db
    .selectFrom('ballot_question as q')
    .innerJoin('ballot as b', 'b.id', 'q.ballot_id')
    .innerJoin('indicator as i', 'i.id', 'q.indicator_id')
    .innerJoin('indicator_version as v', 'v.id', 'q.revision_id')
    .select(['b.id as ballot_id', 'b.title', 'i.code', 'v.number', 'v.id as revision_id', 'b.closed_at', 'q.approve_count', 'q.reject_count', 'q.abstain_count', 'b.eligible_count', 'q.outcome'])
    .where('q.revision_id', 'in', roundRevisions(db, outline.roundId))
    .orderBy('b.opens_at').orderBy('b.id').orderBy('q.position')
    .execute();
  return rows.map((r) => {
    const closed = r.closed_at != null;
    return {
      ballotId: r.ballot_id,
      ballot: localize(r.title, outline.language, outline.sourceLanguage)?.value ?? '',
      indicatorCode: r.code,
      revisionNumber: r.number,
      revisionId: r.revision_id,
      closed,
      approve: closed ? r.approve_count : 0,
      reject: closed ? r.reject_count : 0,
      abstain: closed ? r.abstain_count : 0,
      eligible: r.eligible_count,
      outcome: closed ? r.outcome : null,
    };
  });
}

/** Section counts folded into areas (an indicator's comments count in its area); null key: the whole framework. */
export function countsByArea(outline: RoundOutline, bySection: Count[]): Count[] {
  const totals = new Map<string | null, number>();
  for (const c of bySection) {
    const area = c.key ? outline.areaOfSection.get(c.key) ?? null : null;
    totals.set(area?.id ?? null, (totals.get(area?.id ?? null) ?? 0) + c.count);
  }
  const out: Count[] = [];
  if (totals.has(null)) out.push({ key: null, label: null, count: totals.get(null)! });
  for (const area of outline.areas) {
    if (totals.has(area.id)) out.push({ key: area.id, label: `${area.code} — ${area.title}`, count: totals.get(area.id)! });
  }
  return out;
}
