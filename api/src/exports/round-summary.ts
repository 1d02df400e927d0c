import type { EntityManager } from '@mikro-orm/postgresql';
import { whereFor } from '../comments/comment-list.js';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
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

/**
 * The indicator versions that answer a round: revisions linked to its comments, and new versions
 * made from a version it pinned. One parameter: the round id, twice.
 */
export const ROUND_REVISIONS_SQL = `select v.id from indicator_version v where v.parent_id in (select indicator_version_id from round_version where round_id = ?)
  union select rc.revision_id from revision_comment rc join comment c on c.id = rc.comment_id where c.round_id = ?`;

interface GroupRow {
  g: string;
  key: string | null;
  label: string | null;
  n: number;
}

/** Every count of the summary in one grouped statement over the table's comments (the same filter), withdrawn included. */
export async function roundSummary(em: EntityManager, outline: RoundOutline, filter: CommentFilter): Promise<RoundSummary> {
  const { where, params } = whereFor(outline.roundId, filter);
  const rows = await em.execute<GroupRow[]>(
    `select case when grouping(c.section_id) = 0 then 'section' when grouping(c.indicator_id) = 0 then 'indicator'
                 when grouping(c.type) = 0 then 'type' when grouping(c.disposition_status) = 0 then 'disposition'
                 when grouping(c.author_country) = 0 then 'country' when grouping(c.author_organization_id) = 0 then 'organization'
                 when grouping(c.withdrawn_at is not null) = 0 then 'withdrawn' else 'total' end as g,
            case when grouping(c.section_id) = 0 then c.section_id::text when grouping(c.indicator_id) = 0 then c.indicator_id::text
                 when grouping(c.type) = 0 then c.type when grouping(c.disposition_status) = 0 then c.disposition_status
                 when grouping(c.author_country) = 0 then c.author_country when grouping(c.author_organization_id) = 0 then c.author_organization_id::text
                 when grouping(c.withdrawn_at is not null) = 0 then (c.withdrawn_at is not null)::text end as key,
            case when grouping(c.indicator_id) = 0 then max(i.code) when grouping(c.author_organization_id) = 0 then max(c.author_organization_name) end as label,
            count(*)::int as n
     from comment c left join indicator i on i.id = c.indicator_id
     where ${where}
     group by grouping sets ((c.section_id), (c.indicator_id), (c.type), (c.disposition_status), (c.author_country), (c.author_organization_id), (c.withdrawn_at is not null), ())
     order by n desc, key`,
    params,
  );
  const pick = (g: string): Count[] => rows.filter((r) => r.g === g).map((r) => ({ key: r.key, label: r.label, count: r.n }));
  const ratings = await em.execute<{ indicator_code: string; value: string; n: number }[]>(
    `select i.code as indicator_code, pr.value, count(*)::int as n from practice_rating pr join indicator i on i.id = pr.indicator_id
     where pr.round_id = ? group by i.code, pr.value order by i.code, pr.value`,
    [outline.roundId],
  );
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

interface BallotRow {
  ballot_id: string;
  title: LocalizedText;
  code: string;
  number: number;
  revision_id: string;
  closed_at: string | null;
  approve_count: number;
  reject_count: number;
  abstain_count: number;
  eligible_count: number | null;
  outcome: string | null;
}

/** The questions put to ballots on the round's revisions. Counts of a ballot still open stay hidden (ballots may be secret until they close). */
export async function ballotResults(em: EntityManager, outline: RoundOutline): Promise<BallotResult[]> {
  const rows = await em.execute<BallotRow[]>(
    `select b.id as ballot_id, b.title, i.code, v.number, q.revision_id, b.closed_at, q.approve_count, q.reject_count, q.abstain_count, b.eligible_count, q.outcome
     from ballot_question q join ballot b on b.id = q.ballot_id join indicator i on i.id = q.indicator_id join indicator_version v on v.id = q.revision_id
     where q.revision_id in (${ROUND_REVISIONS_SQL})
     order by b.opens_at, b.id, q.position`,
    [outline.roundId, outline.roundId],
  );
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
