import type { EntityManager } from '@mikro-orm/postgresql';
import { loadRoundOutline } from '../rounds/round-outline.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import { getRound } from '../rounds/round.service.js';
import type { Locale } from '../users/user.entity.js';
import type { DashboardCount, DayCount, HeatMapRow, PracticeRatingRow, RoundDashboard } from './dashboard.types.js';

const STANDING = 'c.round_id = ? and c.parent_id is null and c.withdrawn_at is null';

interface GroupRow {
  g: string;
  key: string | null;
  n: number;
}

interface CellRow {
  section_id: string | null;
  indicator_id: string | null;
  general: number;
  technical: number;
  editorial: number;
  proposed: number;
  contested: number;
  total: number;
}

/**
 * Every figure of a round's dashboard: a handful of grouped statements over the round's
 * standing comments (each scoped by round, so it stays on one shard when comments are distributed).
 */
export async function roundDashboard(em: EntityManager, roundId: string, language: Locale): Promise<RoundDashboard> {
  const round = await getRound(em, roundId);
  const outline = await loadRoundOutline(em, round.id, language);
  const [groups, days, cells, themes, ratings, [totals]] = await Promise.all([
    em.execute<GroupRow[]>(
      `select case when grouping(c.type) = 0 then 'type' when grouping(c.author_country) = 0 then 'country'
                   when grouping(c.author_organization_kind) = 0 then 'kind' when grouping(c.disposition_status) = 0 then 'disposition'
                   else 'source' end as g,
              case when grouping(c.type) = 0 then c.type when grouping(c.author_country) = 0 then c.author_country
                   when grouping(c.author_organization_kind) = 0 then c.author_organization_kind
                   when grouping(c.disposition_status) = 0 then c.disposition_status else s.kind end as key,
              count(*)::int as n
       from comment c left join on_behalf_source s on s.comment_id = c.id
       where ${STANDING}
       group by grouping sets ((c.type), (c.author_country), (c.author_organization_kind), (c.disposition_status), (s.kind))
       order by n desc, key`,
      [round.id],
    ),
    em.execute<{ day: string; comments: number; on_behalf: number }[]>(
      `select to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as comments, count(s.id)::int as on_behalf
       from comment c left join on_behalf_source s on s.comment_id = c.id where ${STANDING} group by 1 order by 1`,
      [round.id],
    ),
    em.execute<CellRow[]>(
      `select c.section_id, c.indicator_id, count(*) filter (where c.type = 'GENERAL')::int as general,
              count(*) filter (where c.type = 'TECHNICAL')::int as technical, count(*) filter (where c.type = 'EDITORIAL')::int as editorial,
              count(c.proposed_change)::int as proposed, count(*) filter (where c.disposition_status in ('REJECTED', 'PARTIALLY_ACCEPTED'))::int as contested, count(*)::int as total
       from comment c where ${STANDING} group by c.section_id, c.indicator_id`,
      [round.id],
    ),
    em.execute<{ id: string; label: LocalizedText; n: number }[]>(
      `select t.id, t.label, count(c.id)::int as n from theme t left join comment_theme ct on ct.theme_id = t.id
       left join comment c on c.id = ct.comment_id and c.withdrawn_at is null
       where t.round_id = ? group by t.id, t.label, t.position order by t.position, t.id`,
      [round.id],
    ),
    em.execute<{ indicator_id: string; code: string; essential: number; useful: number; not_relevant: number; no_opinion: number; total: number }[]>(
      `select r.indicator_id, i.code, count(*) filter (where r.value = 'ESSENTIAL')::int as essential, count(*) filter (where r.value = 'USEFUL')::int as useful,
              count(*) filter (where r.value = 'NOT_RELEVANT')::int as not_relevant, count(*) filter (where r.value = 'NO_OPINION')::int as no_opinion, count(*)::int as total
       from practice_rating r join indicator i on i.id = r.indicator_id where r.round_id = ? group by r.indicator_id, i.code order by i.code`,
      [round.id],
    ),
    em.execute<{ comments: number; disposed: number; on_behalf: number; participants: number }[]>(
      `select count(*)::int as comments, count(*) filter (where c.disposition_status <> 'NONE')::int as disposed, count(s.id)::int as on_behalf,
              count(distinct case when s.id is null then c.author_id::text else coalesce(s.person_name, '') || '|' || coalesce(s.organization_name, '') end)::int as participants
       from comment c left join on_behalf_source s on s.comment_id = c.id where ${STANDING}`,
      [round.id],
    ),
  ]);
  const count = (g: string): DashboardCount[] => groups.filter((r) => r.g === g && (g !== 'source' || r.key)).map((r) => ({ key: r.key, label: null, count: r.n }));
  let cumulative = 0;
  const participation: DayCount[] = days.map((d) => ({ day: d.day, comments: d.comments, onBehalf: d.on_behalf, cumulative: (cumulative += d.comments) }));
  return {
    roundId: round.id,
    comments: totals.comments,
    disposed: totals.disposed,
    onBehalf: totals.on_behalf,
    participants: totals.participants,
    participation,
    heatMap: heatMap(outline, cells),
    byType: count('type'),
    byCountry: count('country'),
    byOrganizationKind: count('kind'),
    byDisposition: count('disposition'),
    bySource: count('source'),
    byTheme: themes.map((t) => ({ key: t.id, label: localize(t.label, language, outline.sourceLanguage)?.value ?? null, count: t.n })),
    ratings: ratings.map((r): PracticeRatingRow => ({ indicatorId: r.indicator_id, code: r.code, essential: r.essential, useful: r.useful, notRelevant: r.not_relevant, noOpinion: r.no_opinion, total: r.total })),
  };
}

/** The heat map in framework order: per area, its own comments, then each pinned indicator (zeros included, so the grid is whole). */
function heatMap(outline: Awaited<ReturnType<typeof loadRoundOutline>>, cells: CellRow[]): HeatMapRow[] {
  const empty = { general: 0, technical: 0, editorial: 0, proposedChanges: 0, contested: 0, total: 0 };
  const add = (row: HeatMapRow, c: CellRow) => {
    row.general += c.general;
    row.technical += c.technical;
    row.editorial += c.editorial;
    row.proposedChanges += c.proposed;
    row.contested += c.contested;
    row.total += c.total;
  };
  const framework: HeatMapRow = { areaId: null, areaCode: null, areaTitle: null, indicatorId: null, indicatorCode: null, ...empty };
  const rows: HeatMapRow[] = [framework];
  const areaRow = new Map<string, HeatMapRow>();
  const indicatorRow = new Map<string, HeatMapRow>();
  for (const area of outline.areas) {
    const own: HeatMapRow = { areaId: area.id, areaCode: area.code, areaTitle: area.title, indicatorId: null, indicatorCode: null, ...empty };
    rows.push(own);
    areaRow.set(area.id, own);
    for (const i of area.indicators) {
      const row: HeatMapRow = { areaId: area.id, areaCode: area.code, areaTitle: area.title, indicatorId: i.indicatorId, indicatorCode: i.code, ...empty };
      rows.push(row);
      indicatorRow.set(i.indicatorId, row);
    }
  }
  for (const c of cells) {
    const target = (c.indicator_id && indicatorRow.get(c.indicator_id)) || (c.section_id && areaRow.get(outline.areaOfSection.get(c.section_id)?.id ?? '')) || framework;
    add(target, c);
  }
  return rows.filter((r) => r.indicatorId || r.total > 0);
}
