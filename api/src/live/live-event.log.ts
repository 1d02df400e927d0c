import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql, type Selectable } from 'kysely';
import { topicPrefix, type LiveEvent, type LiveEventIds, type LiveEventKind } from './live-event.js';
import { foundByKey } from '../db/entity-loader.js';
import { reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import type { LiveEvent as LiveEventTable } from '../db/tables.js';
import { definePruning } from '../jobs/tasks.js';

type LiveEventRow = Selectable<LiveEventTable>;

/** An event as `live_event` holds it (a row, or the row as JSON). */
const liveEventFromRow = (r: LiveEventRow): LiveEvent => ({ topic: r.topic, sequence: Number(r.sequence), kind: r.kind, ids: r.ids, at: rowDate(r.at) });

/**
 * The writes that append an event, as two CTEs for a statement of the caller's: `live_next` takes
 * each topic's next sequence, `live_appended` holds the events written. `topicRows` selects
 * `topic` and `n`, the order in which to lock the topics; `kind` and `ids` are SQL (parameters or
 * columns of the caller's statement).
 */
export const liveEventCtes = (topicRows: string, kind: string, ids: string) => `live_next as (
       insert into live_topic (topic, last_sequence)
       select topic, 1 from (${topicRows}) t order by n
       on conflict (topic) do update set last_sequence = live_topic.last_sequence + 1
       returning topic, last_sequence),
     live_appended as (
       insert into live_event (topic, sequence, kind, ids)
       select topic, last_sequence, ${kind}, ${ids} from live_next
       returning topic, sequence, kind, ids, at)`;

/**
 * Appends the event to each of `topics` inside the caller's transaction, in one statement. Taking a
 * topic's next sequence locks its `live_topic` row until that transaction ends, so a topic's
 * sequences are gap-free and follow commit order (writers to one round queue briefly behind each
 * other; other rounds do not). The rows are locked in the order given, and callers give a round's
 * topic before its indicator's, so locks are always taken in one order.
 */
export async function appendLiveEvent(em: EntityManager, topics: string[], kind: LiveEventKind, ids: LiveEventIds): Promise<LiveEvent[]> {
  const rows = await em.execute<LiveEventRow[]>(
    `with ${liveEventCtes('select topic, n from unnest(array[?]::text[]) with ordinality as t(topic, n)', '?', '?::jsonb')} select * from live_appended`,
    [topics, kind, JSON.stringify(ids)],
  );
  return rows.map(liveEventFromRow);
}

/** The topic's events after `afterSequence`, oldest first, at most `limit`. */
export async function liveEventsSince(em: EntityManager, topic: string, afterSequence: number, limit = 500): Promise<LiveEvent[]> {
  const rows = await reads(em)
    .selectFrom('live_event')
    .select(['topic', 'sequence', 'kind', 'ids', 'at'])
    .where('topic', '=', topic)
    .where('sequence', '>', String(afterSequence))
    .orderBy('sequence')
    .limit(limit)
    .execute();
  return rows.map(liveEventFromRow);
}

/**
 * The committed events of `topic` not sent to subscribers yet (after its sequence in
 * `live_topic_sent`), at most `limit`, in sequence order; for a round's topic, in the same statement,
 * the unsent events of the indicator topics those events name (the same writes appended them, see
 * `roundTopics`), marked `alongside`. The indicator topic's name is built as `topics.indicator` builds it.
 */
export async function unsentEvents(em: EntityManager, topic: string, limit: number): Promise<Array<LiveEvent & { alongside: boolean }>> {
  const rows = await reads(em)
    .with('own', (db) =>
      db
        .selectFrom('live_event as e')
        .leftJoin('live_topic_sent as s', 's.topic', 'e.topic')
        .select(['e.topic', 'e.sequence', 'e.kind', 'e.ids', 'e.at'])
        .where('e.topic', '=', topic)
        .where((eb) => eb('e.sequence', '>', eb.fn.coalesce('s.sequence', sql<string>`0`)))
        .orderBy('e.sequence')
        .limit(limit),
    )
    .with('alongside', (db) =>
      db
        .selectFrom('own')
        .select((eb) => sql<string>`${sql.lit(topicPrefix.indicator)} || (${eb.ref('own.ids', '->>').key('roundId')}) || ':' || (${eb.ref('own.ids', '->>').key('indicatorVersionId')})`.as('topic'))
        .distinct()
        .where('own.topic', 'like', sql.lit(`${topicPrefix.round}%`))
        .where((eb) => eb(eb.ref('own.ids', '->>').key('indicatorVersionId'), 'is not', null)),
    )
    .selectFrom('own')
    .select(['own.topic', 'own.sequence', 'own.kind', 'own.ids', 'own.at', sql<boolean>`false`.as('alongside')])
    .unionAll((db) =>
      db
        .selectFrom('alongside as t')
        .leftJoin('live_topic_sent as s', 's.topic', 't.topic')
        .crossJoinLateral((eb) =>
          eb
            .selectFrom('live_event as e')
            .select(['e.topic', 'e.sequence', 'e.kind', 'e.ids', 'e.at'])
            .whereRef('e.topic', '=', 't.topic')
            .where((w) => w('e.sequence', '>', w.fn.coalesce('s.sequence', sql<string>`0`)))
            .orderBy('e.sequence')
            .limit(limit)
            .as('e'),
        )
        .select(['e.topic', 'e.sequence', 'e.kind', 'e.ids', 'e.at', sql<boolean>`true`.as('alongside')]),
    )
    .orderBy('alongside')
    .orderBy('topic')
    .orderBy('sequence')
    .execute();
  return rows.map((r) => ({ ...liveEventFromRow(r), alongside: r.alongside }));
}

/**
 * The topics, other than indicators' (sent with their round's), that hold committed events not
 * sent yet: what a process that stopped between a write and its dispatch left behind.
 */
export async function unsentTopics(em: EntityManager): Promise<string[]> {
  const rows = await reads(em)
    .selectFrom('live_topic as t')
    .leftJoin('live_topic_sent as s', 's.topic', 't.topic')
    .select('t.topic')
    .where('t.topic', 'not like', sql.lit(`${topicPrefix.indicator}%`))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('live_event as e')
          .select('e.sequence')
          .whereRef('e.topic', '=', 't.topic')
          .where((w) => w('e.sequence', '>', w.fn.coalesce('s.sequence', sql<string>`0`))),
      ),
    )
    .execute();
  return rows.map((r) => r.topic);
}

/** Records each topic's events up to `sequence` as sent; never backwards, when two dispatches of a topic overlap. */
export async function markSent(em: EntityManager, sent: Array<{ topic: string; sequence: number }>): Promise<void> {
  const ordered = [...sent].sort((a, b) => a.topic.localeCompare(b.topic));
  await em.execute(
    `insert into live_topic_sent as s (topic, sequence) select * from unnest(array[?]::text[], array[?]::bigint[])
     on conflict (topic) do update set sequence = greatest(s.sequence, excluded.sequence)`,
    [ordered.map((s) => s.topic), ordered.map((s) => s.sequence)],
  );
}

/** Topics' latest sequences (0 before a first event), in one statement for every topic a request asks about: a round's indicators each have one. */
export const lastLiveSequences = (em: EntityManager) =>
  new DataLoader<string, number>(async (names) => {
    const rows = await reads(em).selectFrom('live_topic').select(['topic', 'last_sequence']).where('topic', 'in', [...names]).execute();
    return foundByKey(names, rows, (r) => r.topic).map((r) => (r ? Number(r.last_sequence) : 0));
  });

/** The topic's latest committed sequence (0 before its first event). */
export async function lastLiveSequence(em: EntityManager, topic: string): Promise<number> {
  const row = await reads(em).selectFrom('live_topic').select('last_sequence').where('topic', '=', topic).executeTakeFirst();
  return row ? Number(row.last_sequence) : 0;
}

/** Whether the topic has an event of `kind` at `since` or later: how a clock job knows an earlier delivery, or a facilitator, already told. */
export async function announcedSince(em: EntityManager, topic: string, kind: LiveEventKind, since: Date): Promise<boolean> {
  const row = await reads(em)
    .selectFrom('live_event')
    .select('sequence')
    .where('topic', '=', topic)
    .where('kind', '=', kind)
    .where('at', '>=', since.toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Deletes the events older than `before`, in every topic. Sequences go on from `live_topic`, so a
 * client that comes back after that long reads what is left and skips the rest, as after any gap.
 */
export async function pruneLiveEvents(em: EntityManager, before: Date): Promise<number> {
  const [row] = await em.execute<Array<{ n: number }>>('with gone as (delete from live_event where at < ? returning 1) select count(*)::int as n from gone', [before]);
  return row.n;
}

/** Every hour, the events older than LIVE_EVENT_RETENTION_DAYS go: the log would grow with every comment and vote for as long as the platform runs. */
export const liveEventPruning = definePruning('live:prune', 'old live events', (config) => config.LIVE_EVENT_RETENTION_DAYS, pruneLiveEvents);
