import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AgendaItem } from './meeting.entity.js';

/** A file among an agenda item's materials: its bytes are in the file store under their SHA-256, as evidence files' are; this row says whose it is. */
@ObjectType({ description: 'A file among an agenda item’s materials.' })
@Entity({ tableName: 'agenda_file' })
export class AgendaFile {
  @Field(() => ID, { description: 'The file’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => AgendaItem, ref: true, index: true })
  agendaItem!: Ref<AgendaItem>;

  @Property({ type: 'string', columnType: 'char(64)' })
  sha256!: string;

  @Field(() => Int, { description: 'Its size in bytes.' })
  @Property({ type: 'integer' })
  size!: number;

  @Field(() => String, { description: 'Its type, decided from its bytes: application/pdf, the XLSX type, image/png or image/jpeg.' })
  @Property({ type: 'text' })
  contentType!: string;

  @Field(() => String, { description: 'The name it was uploaded with.' })
  @Property({ type: 'text' })
  fileName!: string;

  @Property({ type: 'uuid' })
  uploadedById!: string;

  @Field(() => Date, { description: 'When it was added.' })
  @Property({ type: 'datetime' })
  uploadedAt: Date & Opt = new Date();
}
