import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AssessedIndicatorRecord, EvidenceRequest } from './assessment.entity.js';

/**
 * A file backing an answer (or the response to an evidence request): its bytes are in the file store
 * under their SHA-256; this row says whose it is. Confidential, as the answers. Frozen with the
 * assessment's snapshot (a trigger), as the answers are.
 */
@ObjectType({ description: 'An evidence file backing an answer, or the response to an evidence request. Confidential.' })
@Entity({ tableName: 'certification_evidence_file' })
@Index({ properties: ['assessment', 'schemeIndicator'] })
export class EvidenceFile extends AssessedIndicatorRecord {
  @Field(() => ID, { description: 'The file’s id.' })
  override id!: string;

  @ManyToOne({ entity: () => EvidenceRequest, ref: true, nullable: true })
  evidenceRequest?: Ref<EvidenceRequest> | null;

  @Field(() => String, { description: 'The SHA-256 of its bytes (hex): the name it is stored under, and a check anyone holding a copy can make.' })
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

  @Field(() => String, { description: 'What the uploader said of it.' })
  @Property({ type: 'text' })
  note: string & Opt = '';

  @Property({ type: 'uuid' })
  uploadedById!: string;

  @Field(() => Date, { description: 'When it was uploaded.' })
  @Property({ type: 'datetime' })
  uploadedAt: Date & Opt = new Date();
}
