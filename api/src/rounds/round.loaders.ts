import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SectionRecord } from '../frameworks/section.entity.js';
import type { LoaderFactory, RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import { RoundIndicator } from './round-indicator.js';
import { entityById, groupedByKey } from '../db/entity-loader.js';
import { indicatorRecord, indicatorVersionById, sectionRecord } from '../indicators/indicator.loaders.js';
import { ConsultationRound } from './round.entity.js';
import { preparedRows, reads, type Reads } from '../db/reads.js';
import { IndicatorField } from '../indicators/indicator-field.js';
import type { RoundTree, RoundTrees } from './round-trees.js';
import { mayReadRound, requireRoundReader } from './round-readers.js';

/** With its framework: a round's texts are localized against the framework's source language. */
export const roundById = entityById(ConsultationRound, ['framework']);

/**
 * The round a query starts from, shared by the request's root fields (a page asks for the round and
 * its comments, themes or dashboard at once), once the viewer may read it (`requireRoundReader`).
 * Read-side root fields call it before their service, whose `getRound` then finds the round in the
 * request's identity map instead of querying again.
 */
export async function loadRound(ctx: RequestContext, id: string): Promise<ConsultationRound> {
  const round = await ctx.loader(roundById).load(id);
  if (!round) throw notFound('Round', id);
  return requireRoundReader(ctx.viewer, round);
}

/** Of these rounds, the ones the viewer may read; each round is read once per request. */
export async function readableRoundIds(ctx: RequestContext, roundIds: string[]): Promise<Set<string>> {
  const unique = [...new Set(roundIds)];
  if (ctx.viewer?.isFacilitator) return new Set(unique);
  const rounds = await Promise.all(unique.map((id) => ctx.loader(roundById).load(id)));
  const readable = await Promise.all(rounds.map((round) => round !== null && mayReadRound(ctx.viewer, round)));
  return new Set(unique.filter((_, i) => readable[i]));
}

/** A round's pinned versions with their indicators, current titles and framework revision. */
function treeRows(db: Reads, roundIds: string[]) {
  return db
    .selectFrom('round_version as rv')
    .innerJoin('indicator as i', 'i.id', 'rv.indicator_id')
    .innerJoin('framework as f', 'f.id', 'i.framework_id')
    .innerJoin('framework_tree_revision as t', 't.framework_id', 'f.id')
    .leftJoin('indicator_version as cv', 'cv.id', 'i.current_version_id')
    .select((eb) => [
      'rv.id',
      'rv.round_id',
      'rv.indicator_version_id',
      'rv.position',
      'rv.comment_count',
      'rv.undisposed_count',
      'i.id as indicator_id',
      'i.code',
      'i.position as indicator_position',
      'i.status',
      'i.created_at',
      'i.framework_id',
      'i.section_id',
      'i.current_version_id',
      eb.ref('cv.texts', '->').key(IndicatorField.TITLE).as('title'),
      'f.source_language',
      't.revision',
    ])
    .where('rv.round_id', '=', (eb) => eb.fn.any(eb.val(roundIds)))
    .orderBy('rv.position');
}

type PinnedRow = Awaited<ReturnType<ReturnType<typeof treeRows>['execute']>>[number];

/** Each pinned row's counters and its round's framework revision. */
function pinnedCounters(db: Reads) {
  return db
    .selectFrom('round_version as rv')
    .innerJoin('consultation_round as r', 'r.id', 'rv.round_id')
    .innerJoin('framework_tree_revision as t', 't.framework_id', 'r.framework_id')
    .select(['rv.id', 'rv.round_id', 'rv.comment_count', 'rv.undisposed_count', 't.revision']);
}

function roundIndicator(r: PinnedRow, sections: Map<string, SectionRecord>): RoundIndicator {
  return Object.assign(new RoundIndicator(), {
    id: r.id,
    roundId: r.round_id,
    indicatorVersionId: r.indicator_version_id,
    position: r.position,
    commentCount: r.comment_count,
    undisposedCount: r.undisposed_count,
    indicator: indicatorRecord({ ...r, id: r.indicator_id, position: r.indicator_position }, sections.get(r.section_id)),
  });
}

/** The rounds' trees as of now; each is kept when its rows and sections were read at the same revision. */
async function readTrees(em: EntityManager, roundIds: string[], trees: RoundTrees): Promise<Map<string, RoundTree>> {
  const db = reads(em);
  const [rows, sectionRows] = await Promise.all([
    treeRows(db, roundIds).execute(),
    db
      .selectFrom('section as s')
      .innerJoin('framework_tree_revision as t', 't.framework_id', 's.framework_id')
      .select(['s.id', 's.framework_id', 's.parent_id', 's.code', 's.title', 's.position', 't.revision'])
      .where('s.id', 'in', (eb) =>
        eb.selectFrom('round_version as rv').innerJoin('indicator as i', 'i.id', 'rv.indicator_id').select('i.section_id').where('rv.round_id', '=', (eb) => eb.fn.any(eb.val(roundIds))),
      )
      .execute(),
  ]);
  const sections = new Map<string, SectionRecord>(sectionRows.map((s) => [s.id, sectionRecord(s)]));
  const read = new Map<string, RoundTree>(roundIds.map((id) => [id, { revision: '', indicators: [] }]));
  const frameworkOf = new Map<string, string>();
  for (const r of rows) {
    const tree = read.get(r.round_id)!;
    tree.revision = r.revision;
    tree.indicators.push(roundIndicator(r, sections));
    frameworkOf.set(r.round_id, r.framework_id);
  }
  // Kept only when both reads saw the framework at the same revision, and never from inside a
  // transaction: a revision it wrote may roll back and be written again by another with a different tree.
  if (em.isInTransaction()) return read;
  for (const [id, tree] of read) {
    const consistent = sectionRows.every((s) => s.framework_id !== frameworkOf.get(id) || s.revision === tree.revision);
    if (consistent && tree.indicators.length) trees.set(id, tree);
  }
  return read;
}

/**
 * The trees of rounds that pin versions, each at its framework's revision: the ones this process
 * kept, and the others read now (and kept when they can be). A tree read now carries the counters it was read with.
 */
async function treesAt(em: EntityManager, trees: RoundTrees, revisions: Map<string, string>) {
  const roundIds = [...revisions.keys()];
  const kept = new Map(roundIds.map((id) => [id, trees.get(id, revisions.get(id)!)]));
  const stale = roundIds.filter((id) => !kept.get(id));
  const read = stale.length ? await readTrees(em, stale, trees) : new Map<string, RoundTree>();
  return { kept, read };
}

/**
 * The pinned versions of each round, in framework order, with their counters and indicators, as
 * plain rows. Every list of a round shows the indicators' titles and sections; they come from the
 * process's copy of the round's tree while its framework's `framework_tree_revision` stands still, so a request reads
 * only the counters and that number.
 */
export const roundIndicators: LoaderFactory<string, RoundIndicator[]> = (em, ctx) =>
  new DataLoader(async (roundIds) => {
    const counters = await preparedRows(em, 'round-counters', pinnedCounters(reads(em)).where('rv.round_id', '=', (eb) => eb.fn.any(eb.val([...roundIds]))));
    const { kept, read } = await treesAt(em, ctx.app.roundTrees, new Map(counters.map((c) => [c.round_id, c.revision])));
    const countsOf = new Map(counters.map((c) => [c.id, c]));
    return roundIds.map((id) => {
      // A tree read just now carries its own counters; a kept one takes this request's.
      const fresh = read.get(id);
      if (fresh) return fresh.indicators;
      return (kept.get(id)?.indicators ?? []).map((pinned) => {
        const counts = countsOf.get(pinned.id);
        return Object.assign(new RoundIndicator(), pinned, counts && { commentCount: counts.comment_count, undisposedCount: counts.undisposed_count });
      });
    });
  });

/**
 * One pinned indicator of a round, keyed `roundId/indicatorId`: an indicator's page needs its own
 * row, not the round's 200. One typed read takes its counters and its version's id, whose entity
 * `indicatorVersionById` loads meanwhile (the page shows it); its indicator comes from the round's
 * kept tree while that stands.
 */
export const pinnedIndicator: LoaderFactory<string, RoundIndicator | null> = (em, ctx) =>
  new DataLoader(async (keys) => {
    // The round's id comes first and never holds a slash; whatever follows the first one is the indicator's id.
    const pairs = keys.map((key) => [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)] as const);
    const rows = await pinnedCounters(reads(em))
      .select('rv.indicator_version_id')
      .where((eb) => eb(eb.refTuple('rv.round_id', 'rv.indicator_id'), 'in', pairs.map(([roundId, indicatorId]) => eb.tuple(roundId, indicatorId))))
      .execute();
    const [{ kept, read }] = await Promise.all([
      treesAt(em, ctx.app.roundTrees, new Map(rows.map((r) => [r.round_id, r.revision]))),
      ctx.loader(indicatorVersionById).loadMany(rows.map((r) => r.indicator_version_id)),
    ]);
    const found = new Map<string, RoundIndicator>();
    for (const row of rows) {
      const tree = read.get(row.round_id) ?? kept.get(row.round_id);
      const pinned = tree?.indicators.find((i) => i.id === row.id);
      if (pinned) found.set(`${row.round_id}/${pinned.indicator.id}`, Object.assign(new RoundIndicator(), pinned, { commentCount: row.comment_count, undisposedCount: row.undisposed_count }));
    }
    return keys.map((key) => found.get(key) ?? null);
  });

/** For the viewer: the indicators of each round they have commented on (standing top-level comments). */
export const myCommentedIndicators: LoaderFactory<string, string[]> = (em, ctx) =>
  new DataLoader(async (roundIds) => {
    if (!ctx.viewer) return roundIds.map(() => []);
    const rows = await reads(em)
      .selectFrom('comment')
      .select(['round_id', 'indicator_id'])
      .distinct()
      .where('round_id', '=', (eb) => eb.fn.any(eb.val([...roundIds])))
      .where('author_id', '=', ctx.viewer.id)
      .where('parent_id', 'is', null)
      .where('withdrawn_at', 'is', null)
      .where('indicator_id', 'is not', null)
      .$narrowType<{ indicator_id: string }>()
      .execute();
    return groupedByKey(roundIds, rows, (r) => r.round_id).map((commented) => commented.map((r) => r.indicator_id));
  });
