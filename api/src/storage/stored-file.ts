import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';

/**
 * What every uploaded file's row holds (evidence files, agenda files): its bytes are in the file store
 * under their SHA-256, and this row says what they are and who brought them. A mapped superclass, so
 * each kind keeps its own table with these columns, and declares `id` for GraphQL with its own words.
 */
@ObjectType({ description: 'An uploaded file: what its bytes are and what they were called.' })
export abstract class StoredFile {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

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

  @Property({ type: 'datetime' })
  uploadedAt: Date & Opt = new Date();
}
