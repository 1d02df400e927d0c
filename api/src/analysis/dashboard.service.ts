import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type InferResult, type RawBuilder } from 'kysely';
import { countInt, reads, type Reads } from '../db/reads.js';
import { RatingValue } from '../ratings/practice-rating.entity.js';
import { loadRoundOutline } from '../rounds/round-outline.js';
import { localize } from '../i18n/localized-text.js';
import { getRound } from '../rounds/round.service.js';
import type { Locale } from '../users/user.entity.js';
import type { DashboardCount, DayCount, HeatMapRow, PracticeRatingRow, RoundDashboard } from './dashboard.types.js';

/** A round's standing top-level comments. */
function standingComments(db: Reads, roundId: string) {
  return db.selectFrom('comment as c').where('c.round_id', '=', roundId).where('c.parent_id', 'is', null).where('c.withdrawn_at', 'is', null);
}

const int = (expression: RawBuilder<unknown>) => sql<number>`${expression}::int`;

/** Counts per section and indicator, for the heat map. */
function heatMapCells(db: Reads, roundId: string) {
  return standingComments(db, roundId)
    .select(({ ref }) => [
      'c.section_id',
      'c.indicator_id',
      int(sql`count(*) filter (where ${ref('c.type')} = 'GENERAL')`).as('general'),
      int(sql`count(*) filter (where ${ref('c.type')} = 'TECHNICAL')`).as('technical'),
      int(sql`count(*) filter (where ${ref('c.type')} = 'EDITORIAL')`).as('editorial'),
      int(sql`count(${ref('c.proposed_change')})`).as('proposed'),
      int(sql`count(*) filter (where ${ref('c.disposition_status')} in ('REJECTED', 'PARTIALLY_ACCEPTED'))`).as('contested'),
      int(sql`count(*)`).as('total'),
    ])
    .groupBy(['c.section_id', 'c.indicator_id']);
}

type HeatMapCell = InferResult<ReturnType<typeof heatMapCells>>[number];

/**
 * Every figure of a round's dashboard: a handful of grouped statements over the round's
 * standing comments (each scoped by round, so it stays on one shard when comments are distributed).
 */
export async function roundDashboard(em: EntityManager, roundId: string, language: Locale): Promise<RoundDashboard> {
  const round = await getRound(em, roundId);
  const outline = await loadRoundOutline(em, round.id, language);
  const db = reads(em);
  const withSources = standingComments(db, round.id).leftJoin('on_behalf_source as s', 's.comment_id', 'c.id');
  const [groups, days, cells, themes, ratings, totals] = await Promise.all([
    withSources
      .select(({ ref }) => {
        const grouped = (column: 'c.type' | 'c.author_country' | 'c.author_organization_kind' | 'c.disposition_status') => sql`grouping(${ref(column)}) = 0`;
        return [
          sql<string>`case when ${grouped('c.type')} then 'type' when ${grouped('c.author_country')} then 'country'
                   when ${grouped('c.author_organization_kind')} then 'kind' when ${grouped('c.disposition_status')} then 'disposition' else 'source' end`.as('g'),
          sql<string | null>`case when ${grouped('c.type')} then ${ref('c.type')} when ${grouped('c.author_country')} then ${ref('c.author_country')}
                   when ${grouped('c.author_organization_kind')} then ${ref('c.author_organization_kind')}
                   when ${grouped('c.disposition_status')} then ${ref('c.disposition_status')} else ${ref('s.kind')} end`.as('key'),
          countInt,
        ];
      })
      .groupBy(({ ref }) => sql`grouping sets ((${ref('c.type')}), (${ref('c.author_country')}), (${ref('c.author_organization_kind')}), (${ref('c.disposition_status')}), (${ref('s.kind')}))`)
      .orderBy('n', 'desc')
      .orderBy('key')
      .execute(),
    withSources
      .select(({ ref }) => [
        sql<string>`to_char(${ref('c.created_at')} at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
        int(sql`count(*)`).as('comments'),
        int(sql`count(${ref('s.id')})`).as('on_behalf'),
      ])
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute(),
    heatMapCells(db, round.id).execute(),
    db
      .selectFrom('theme as t')
      .leftJoin('comment_theme as ct', 'ct.theme_id', 't.id')
      .leftJoin('comment as c', (join) => join.onRef('c.id', '=', 'ct.comment_id').on('c.withdrawn_at', 'is', null))
      .select(({ ref }) => ['t.id', 't.label', int(sql`count(${ref('c.id')})`).as('n')])
      .where('t.round_id', '=', round.id)
      .groupBy(['t.id', 't.label', 't.position'])
      .orderBy('t.position')
      .orderBy('t.id')
      .execute(),
    db
      .selectFrom('practice_rating as r')
      .innerJoin('indicator as i', 'i.id', 'r.indicator_id')
      .select(({ ref }) => {
        const rated = (value: RatingValue) => int(sql`count(*) filter (where ${ref('r.value')} = ${sql.lit(value)})`);
        return [
          'r.indicator_id',
          'i.code',
          rated(RatingValue.ESSENTIAL).as('essential'),
          rated(RatingValue.USEFUL).as('useful'),
          rated(RatingValue.NOT_RELEVANT).as('not_relevant'),
          rated(RatingValue.NO_OPINION).as('no_opinion'),
          int(sql`count(*)`).as('total'),
        ];
      })
      .where('r.round_id', '=', round.id)
      .groupBy(['r.indicator_id', 'i.code'])
      .orderBy('i.code')
      .execute(),
    withSources
      .select(({ ref }) => [
        int(sql`count(*)`).as('comments'),
        int(sql`count(*) filter (where ${ref('c.disposition_status')} <> 'NONE')`).as('disposed'),
        int(sql`count(${ref('s.id')})`).as('on_behalf'),
        int(
          sql`count(distinct case when ${ref('s.id')} is null then ${ref('c.author_id')}::text else coalesce(${ref('s.person_name')}, '') || '|' || coalesce(${ref('s.organization_name')}, '') end)`,
        ).as('participants'),
      ])
      .executeTakeFirstOrThrow(),
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
function heatMap(outline: Awaited<ReturnType<typeof loadRoundOutline>>, cells: HeatMapCell[]): HeatMapRow[] {
  const empty = { general: 0, technical: 0, editorial: 0, proposedChanges: 0, contested: 0, total: 0 };
  const add = (row: HeatMapRow, c: HeatMapCell) => {
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
