import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import { Scheme, SchemeArea, SchemeIndicator } from './scheme.entity.js';

export enum AssessmentKind {
  SELF = 'SELF',
  ACCOMPANIED = 'ACCOMPANIED',
  EXTERNAL = 'EXTERNAL',
}
registerEnumType(AssessmentKind, {
  name: 'AssessmentKind',
  description: 'Who fills the assessment in.',
  valuesConfig: {
    SELF: { description: 'The institution alone.' },
    ACCOMPANIED: { description: 'The institution with a network or consultant beside it.' },
    EXTERNAL: { description: 'An external assessor.' },
  },
});

export enum AssessmentStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  UNDER_REVIEW = 'UNDER_REVIEW',
  EVIDENCE_REQUESTED = 'EVIDENCE_REQUESTED',
  DECIDED = 'DECIDED',
}
registerEnumType(AssessmentStatus, {
  name: 'AssessmentStatus',
  description: 'Where an assessment stands.',
  valuesConfig: {
    IN_PROGRESS: { description: 'The institution is answering; nothing is frozen yet.' },
    UNDER_REVIEW: { description: 'Submitted (its answers frozen) and with the reviewers.' },
    EVIDENCE_REQUESTED: { description: 'A reviewer asked for more evidence on some indicators; back with the institution for those only.' },
    DECIDED: { description: 'The committee decided every area.' },
  },
});

export enum Judgment {
  MET = 'MET',
  PARTIALLY_MET = 'PARTIALLY_MET',
  NOT_MET = 'NOT_MET',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}
registerEnumType(Judgment, {
  name: 'Judgment',
  description: 'How an indicator is judged.',
  valuesConfig: {
    MET: { description: 'Met: full points.' },
    PARTIALLY_MET: { description: 'Partially met: half the points; an essential indicator partially met is not met.' },
    NOT_MET: { description: 'Not met: no points.' },
    NOT_APPLICABLE: { description: 'Does not apply to this institution: left out of the points it could earn.' },
  },
});

export enum EvidenceKind {
  DOCUMENT = 'DOCUMENT',
  DATA = 'DATA',
  INTERVIEW = 'INTERVIEW',
}
registerEnumType(EvidenceKind, {
  name: 'EvidenceKind',
  description: 'What backs an answer, as in the SPI4 control list.',
  valuesConfig: {
    DOCUMENT: { description: 'A document (policy, manual, minutes).' },
    DATA: { description: 'Data (a portfolio report, a survey).' },
    INTERVIEW: { description: 'An interview (staff, clients).' },
  },
});

/** One line of the control list: described in words; files come later. */
export interface EvidenceItem {
  kind: EvidenceKind;
  description: string;
}

@ObjectType({ description: 'An institution’s assessment against a scheme, for one or more of its areas. Confidential.' })
@Entity({ tableName: 'certification_assessment' })
export class Assessment {
  @Field(() => ID, { description: 'The assessment’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Scheme, ref: true })
  scheme!: Ref<Scheme>;

  @ManyToOne({ entity: () => Organization, ref: true, index: true })
  organization!: Ref<Organization>;

  @Field(() => AssessmentKind, { description: 'Self, accompanied or external.' })
  @Enum({ items: () => AssessmentKind, type: 'string' })
  kind!: AssessmentKind;

  @Field(() => AssessmentStatus, { description: 'Where it stands.' })
  @Enum({ items: () => AssessmentStatus, type: 'string' })
  status: AssessmentStatus & Opt = AssessmentStatus.IN_PROGRESS;

  @Property({ type: 'uuid' })
  openedById!: string;

  @Field(() => Date, { description: 'When it was opened.' })
  @Property({ type: 'datetime' })
  openedAt: Date & Opt = new Date();

  @Field(() => Date, { nullable: true, description: 'When it was submitted (its answers frozen); null while in progress.' })
  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  submittedById?: string | null;

  @Field(() => String, { nullable: true, description: 'The day the reviewers’ desk review took place (YYYY-MM-DD).' })
  @Property({ type: 'string', columnType: 'date', nullable: true })
  deskReviewOn?: string | null;

  @Field(() => String, { nullable: true, description: 'The day of the reviewers’ on-site visit (YYYY-MM-DD).' })
  @Property({ type: 'string', columnType: 'date', nullable: true })
  siteVisitOn?: string | null;
}

/** An area the assessment covers: its self-score once submitted, and the committee's decision. */
@ObjectType({ description: 'One area an assessment covers: its self-score once submitted and the committee’s decision.' })
@Entity({ tableName: 'certification_assessment_area' })
@Unique({ properties: ['assessment', 'schemeArea'] })
export class AssessmentArea {
  @Field(() => ID, { description: 'The assessed area’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Assessment, ref: true })
  assessment!: Ref<Assessment>;

  @ManyToOne({ entity: () => SchemeArea, ref: true })
  schemeArea!: Ref<SchemeArea>;

  @Property({ type: 'boolean', nullable: true })
  selfEssentialsMet?: boolean | null;

  /** Earned points counted in halves (a partially met indicator earns half), so the rule stays in integers. */
  @Property({ type: 'integer', nullable: true })
  selfEarnedHalves?: number | null;

  @Property({ type: 'integer', nullable: true })
  selfApplicablePoints?: number | null;

  @Property({ type: 'boolean', nullable: true })
  selfAwarded?: boolean | null;

  @Property({ type: 'string', nullable: true })
  decision?: 'AWARD' | 'REFUSE' | null;

  @Field(() => String, { nullable: true, description: 'Why the committee decided against the scheme’s result, when it did.' })
  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null;

  @Property({ type: 'uuid', nullable: true })
  decidedById?: string | null;

  /** The committee ballot that decided it; null for a direct decision. */
  @Property({ type: 'uuid', nullable: true })
  decidedByBallotId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the committee decided it.' })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;
}

/**
 * What every row about one indicator of one assessment holds first (answers, review judgments,
 * evidence requests and files, pilot flags): a mapped superclass, so each entity keeps its own
 * table with these columns, and the GraphQL side declares `id` with its own description.
 */
export abstract class AssessedIndicatorRecord {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Assessment, ref: true })
  assessment!: Ref<Assessment>;

  @ManyToOne({ entity: () => SchemeIndicator, ref: true })
  schemeIndicator!: Ref<SchemeIndicator>;
}

/** The institution's answer on one indicator; frozen (trigger) once its assessment is submitted. */
@ObjectType({ description: 'The institution’s answer on one indicator, with its control list of evidence. Confidential.' })
@Entity({ tableName: 'certification_answer' })
@Unique({ properties: ['assessment', 'schemeIndicator'] })
export class Answer extends AssessedIndicatorRecord {
  @Field(() => ID, { description: 'The answer’s id.' })
  override id!: string;

  @Field(() => Judgment, { description: 'The institution’s judgment; for a quantitative indicator, what its reported value gives.' })
  @Enum({ items: () => Judgment, type: 'string' })
  judgment!: Judgment;

  @Field(() => Float, { nullable: true, description: 'The reported value of a quantitative indicator.' })
  @Property({ type: 'double', nullable: true })
  reportedValue?: number | null;

  @Field(() => String, { description: 'The institution’s notes.' })
  @Property({ type: 'text' })
  notes: string & Opt = '';

  @Property({ type: 'json' })
  evidence: EvidenceItem[] & Opt = [];

  @Field(() => Int, { description: '1 on the first save, one more on each save that changed something: send it as `expectedRevision` with the next save.' })
  @Property({ type: 'integer' })
  revision!: number;

  @Property({ type: 'uuid' })
  answeredById!: string;

  @Field(() => Date, { description: 'When it was last saved.' })
  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}

@Entity({ tableName: 'certification_reviewer' })
@Unique({ properties: ['assessment', 'user'] })
export class Reviewer {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Assessment, ref: true })
  assessment!: Ref<Assessment>;

  @ManyToOne({ entity: () => User, ref: true, index: true })
  user!: Ref<User>;

  @Property({ type: 'uuid' })
  assignedById!: string;

  @Property({ type: 'datetime' })
  assignedAt: Date & Opt = new Date();
}

/** A reviewer's judgment on one indicator: confirming the institution's, or changing it with a reason. */
@ObjectType({ description: 'A reviewer’s judgment on one indicator: the institution’s confirmed, or changed with a reason.' })
@Entity({ tableName: 'certification_review_judgment' })
@Unique({ properties: ['assessment', 'schemeIndicator'] })
export class ReviewJudgment extends AssessedIndicatorRecord {

  @Field(() => Judgment, { description: 'The reviewer’s judgment.' })
  @Enum({ items: () => Judgment, type: 'string' })
  judgment!: Judgment;

  @Field(() => String, { description: 'Why it differs from the institution’s; empty when it confirms it.' })
  @Property({ type: 'text' })
  reason: string & Opt = '';

  @Property({ type: 'uuid' })
  reviewerId!: string;

  @Field(() => Date, { description: 'When it was recorded.' })
  @Property({ type: 'datetime' })
  reviewedAt: Date & Opt = new Date();
}

/** A reviewer's request for more evidence on one indicator, and the institution's response. */
@ObjectType({ description: 'A reviewer’s request for more evidence on one indicator, and the institution’s response.' })
@Entity({ tableName: 'certification_evidence_request' })
@Index({ properties: ['assessment'] })
export class EvidenceRequest extends AssessedIndicatorRecord {
  @Field(() => ID, { description: 'The request’s id.' })
  override id!: string;

  @Field(() => String, { description: 'What the reviewer asks for.' })
  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'uuid' })
  requestedById!: string;

  @Field(() => Date, { description: 'When it was asked.' })
  @Property({ type: 'datetime' })
  requestedAt: Date & Opt = new Date();

  @Field(() => String, { nullable: true, description: 'The institution’s response; null while open.' })
  @Property({ type: 'text', nullable: true })
  response?: string | null;

  @Property({ type: 'json' })
  responseEvidence: EvidenceItem[] & Opt = [];

  @Property({ type: 'uuid', nullable: true })
  respondedById?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the institution responded.' })
  @Property({ type: 'datetime', nullable: true })
  respondedAt?: Date | null;
}
