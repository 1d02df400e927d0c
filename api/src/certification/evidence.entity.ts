import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { StoredFile } from '../storage/stored-file.js';
import { Assessment, EvidenceRequest } from './assessment.entity.js';
import { SchemeIndicator } from './scheme.entity.js';

/**
 * A file backing an answer (or the response to an evidence request): its bytes are in the file store
 * under their SHA-256; this row says whose it is. Confidential, as the answers. Frozen with the
 * assessment's snapshot (a trigger), as the answers are.
 */
@ObjectType({ description: 'An evidence file backing an answer, or the response to an evidence request. Confidential.' })
@Entity({ tableName: 'certification_evidence_file' })
@Index({ properties: ['assessment', 'schemeIndicator'] })
export class EvidenceFile extends StoredFile {
  @Field(() => ID, { description: 'The file’s id.' })
  override id!: string;

  // The columns every row about one assessed indicator holds first (AssessedIndicatorRecord): a file's row extends StoredFile instead.
  @ManyToOne({ entity: () => Assessment, ref: true })
  assessment!: Ref<Assessment>;

  @ManyToOne({ entity: () => SchemeIndicator, ref: true })
  schemeIndicator!: Ref<SchemeIndicator>;

  @ManyToOne({ entity: () => EvidenceRequest, ref: true, nullable: true })
  evidenceRequest?: Ref<EvidenceRequest> | null;

  @Field(() => String, { description: 'The SHA-256 of its bytes (hex): the name it is stored under, and a check anyone holding a copy can make.' })
  override sha256!: string;

  @Field(() => String, { description: 'What the uploader said of it.' })
  @Property({ type: 'text' })
  note: string & Opt = '';

  @Field(() => Date, { description: 'When it was uploaded.' })
  override uploadedAt!: StoredFile['uploadedAt'];
}
