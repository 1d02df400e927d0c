import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/**
 * One state change: who did what to which thing, when. The table is append-only,
 * enforced by a trigger in the database, so the application itself cannot rewrite history.
 */
@ObjectType()
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['scopeId', 'at'] })
export class AuditEntry {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();

  /** The user who acted; null for the system (a scheduled close, a seed). */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Field(() => String, { description: 'What happened, e.g. `round.opened`, `vote.cast`.' })
  @Property({ type: 'string', length: 80 })
  action!: string;

  @Field(() => String, { description: 'The kind of thing it happened to, e.g. `Round`.' })
  @Property({ type: 'string', length: 60 })
  subjectType!: string;

  @Field(() => ID)
  @Property({ type: 'string', length: 64 })
  subjectId!: string;

  /** The round (or framework) the change belongs to, so a facilitator can read a round's log. */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  scopeId?: string | null;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json' })
  data: Record<string, unknown> & Opt = {};

  @Field(() => ID, { nullable: true, description: 'For an entry imported with its round from another instance: its number there. Null for an entry written here.' })
  @Property({ type: 'bigint', nullable: true })
  sourceId?: string | null;
}
