import { Entity, ManyToOne, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { StoredFile } from '../storage/stored-file.js';
import { AgendaItem } from './meeting.entity.js';

/** A file among an agenda item's materials: its bytes are in the file store under their SHA-256, as evidence files' are; this row says whose it is. */
@ObjectType({ description: 'A file among an agenda item’s materials.' })
@Entity({ tableName: 'agenda_file' })
export class AgendaFile extends StoredFile {
  @Field(() => ID, { description: 'The file’s id.' })
  override id!: string;

  @ManyToOne({ entity: () => AgendaItem, ref: true, index: true })
  agendaItem!: Ref<AgendaItem>;

  @Field(() => Date, { description: 'When it was added.' })
  override uploadedAt!: StoredFile['uploadedAt'];
}
