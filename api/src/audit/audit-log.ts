import type { EntityManager } from '@mikro-orm/postgresql';
import { IsDate, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { PageInfo } from '../comments/comment-list.js';
import { badInput } from '../errors.js';
import { sql } from 'kysely';
import { reads } from '../db/reads.js';

@InputType({ description: 'Which audit entries to read; every criterion given must hold.' })
export class AuditFilter {
  @Field(() => ID, { nullable: true, description: 'Who acted.' })
  @IsOptional()
  @IsUUID()
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'What happened: an action such as `round.opened`, or a family of actions ending in a dot (`round.`).' })
  @IsOptional()
  @MaxLength(80)
  action?: string | null;

  @Field(() => Date, { nullable: true, description: 'Entries at or after this instant.' })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Entries before this instant.' })
  @IsOptional()
  @IsDate()
  to?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The round (or other scope: a ballot, a framework) the entries belong to.' })
  @IsOptional()
  @IsUUID()
  scopeId?: string | null;
}

@ObjectType({ description: 'One entry of the audit log as a facilitator reads it: the entry and the name of who acted.' })
export class AuditLogEntry {
  @Field(() => ID, { description: 'The entry’s number in this instance’s log; the page cursor.' }) id!: string;
  @Field(() => Date, { description: 'When it happened.' }) at!: Date;
  @Field(() => ID, { nullable: true, description: 'Null for the system (a scheduled close, a seed, the command line).' }) actorId!: string | null;
  @Field(() => String, { nullable: true, description: 'The actor’s name today.' }) actorName!: string | null;
  @Field(() => String, { description: 'What happened, e.g. `round.opened`.' }) action!: string;
  @Field(() => String, { description: 'The kind of thing it happened to, e.g. `ConsultationRound`.' }) subjectType!: string;
  @Field(() => ID, { description: 'The id of the thing it happened to.' }) subjectId!: string;
  @Field(() => ID, { nullable: true, description: 'The round (or ballot, framework) the entry belongs to.' }) scopeId!: string | null;
  @Field(() => GraphQLJSONObject, { description: 'The details the action recorded.' }) data!: Record<string, unknown>;
  @Field(() => ID, { nullable: true, description: 'For an entry imported with its round from another instance: its number there.' }) sourceId!: string | null;
}

@ObjectType({ description: 'A page of the audit log, newest first.' })
export class AuditEntryPage {
  @Field(() => [AuditLogEntry], { description: 'The entries, newest first.' }) nodes!: AuditLogEntry[];
  @Field(() => PageInfo, { description: '`endCursor` is the last entry’s number: pass it as `after` for the older entries.' }) pageInfo!: PageInfo;
}

export const MAX_AUDIT_PAGE = 200;
const ENTRY_NUMBER = /^[1-9][0-9]{0,18}$/;

/** The entries a filter selects, newest first; `after` reads entries older than that number. */
async function readEntries(em: EntityManager, filter: AuditFilter, after: string | null, limit: number): Promise<AuditLogEntry[]> {
  if (filter.from && filter.to && filter.from >= filter.to) throw badInput('to', 'Must be after the start');
  if (after !== null && !ENTRY_NUMBER.test(after)) throw badInput('after', 'Not a cursor of this list');
  let query = reads(em)
    .selectFrom('audit_entry as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_id', 'u.name as actor_name', 'a.action', 'a.subject_type', 'a.subject_id', 'a.scope_id', 'a.data', 'a.source_id'])
    .orderBy('a.id', 'desc')
    .limit(limit);
  if (filter.actorId) query = query.where('a.actor_id', '=', filter.actorId);
  if (filter.action) {
    query = filter.action.endsWith('.')
      ? query.where(sql<boolean>`${sql.ref('a.action')} like ${`${filter.action.replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`)
      : query.where('a.action', '=', filter.action);
  }
  if (filter.from) query = query.where('a.at', '>=', filter.from.toISOString());
  if (filter.to) query = query.where('a.at', '<', filter.to.toISOString());
  if (filter.scopeId) query = query.where('a.scope_id', '=', filter.scopeId);
  if (after !== null) query = query.where('a.id', '<', after);
  const rows = await query.execute();
  return rows.map((r) =>
    Object.assign(new AuditLogEntry(), {
      id: r.id,
      at: new Date(r.at),
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      scopeId: r.scope_id,
      data: r.data,
      sourceId: r.source_id,
    }),
  );
}

/**
 * A page of the audit log, newest first, keyed on the entry's number: a page stays the same while
 * new entries arrive, since they only ever come in above it.
 */
export async function auditLogPage(em: EntityManager, filter: AuditFilter, first: number, after: string | null): Promise<AuditEntryPage> {
  if (first < 1 || first > MAX_AUDIT_PAGE) throw badInput('first', `Between 1 and ${MAX_AUDIT_PAGE}`);
  const rows = await readEntries(em, filter, after, first + 1);
  const nodes = rows.slice(0, first);
  return Object.assign(new AuditEntryPage(), { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.at(-1)?.id ?? null } });
}

/** Every entry the filter selects, newest first, a page at a time (for the CSV download). */
export async function* auditLogPages(em: EntityManager, filter: AuditFilter, size = 500): AsyncGenerator<AuditLogEntry[]> {
  let after: string | null = null;
  for (;;) {
    const page = await readEntries(em, filter, after, size);
    if (page.length) yield page;
    if (page.length < size) return;
    after = page[page.length - 1].id;
  }
}
