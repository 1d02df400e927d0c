import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One value and how many comments have it.' })
export class SummaryCount {
  @Field(() => String, { nullable: true, description: 'The value: a disposition, a comment type, an indicator or area id; null for “none” (no area: the whole framework).' })
  key!: string | null;
  @Field(() => String, { nullable: true, description: 'A readable name when the key is an id: the indicator’s code, the area’s code and title.' })
  label!: string | null;
  @Field(() => Int, { description: 'Comments with this value.' }) count!: number;
}

@ObjectType({ description: 'What the working group did with a round’s comments, in numbers; withdrawn comments included.' })
export class RoundDispositionSummary {
  @Field(() => Date, { nullable: true, description: 'When a facilitator published it to stakeholders; null while only facilitators see it.' })
  publishedAt!: Date | null;
  @Field(() => Int, { description: 'Top-level comments of the round, withdrawn ones included.' }) total!: number;
  @Field(() => Int, { description: 'Of those, the ones their authors withdrew.' }) withdrawn!: number;
  @Field(() => [SummaryCount], { description: 'Keys are DispositionFacet names, NONE included.' }) byDisposition!: SummaryCount[];
  @Field(() => [SummaryCount], { description: 'Keys are CommentType names.' }) byType!: SummaryCount[];
  @Field(() => [SummaryCount], { description: 'Keys are area (section) ids; null for comments on the whole framework.' }) byArea!: SummaryCount[];
  @Field(() => [SummaryCount], { description: 'Keys are indicator ids, labelled with the indicator’s code.' }) byIndicator!: SummaryCount[];
}

@ObjectType({ description: 'How many rows of one table an import loads.' })
export class ImportedRows {
  @Field(() => String, { description: 'The table, as named in the export format (`comment`, `audit_entry` …).' })
  table!: string;
  @Field(() => Int, { description: 'Rows inserted; rows of shared tables (people, the framework) already here are kept and not counted.' })
  rows!: number;
}

@ObjectType({ description: 'What an import loaded.' })
export class ImportRoundResult {
  @Field(() => String, { description: 'The imported round’s id, the same as in the source instance.' })
  roundId!: string;
  @Field(() => [ImportedRows], { description: 'Rows inserted per table, in the order the format lists its tables.' })
  counts!: ImportedRows[];

  static of(result: { roundId: string; counts: Record<string, number> }): ImportRoundResult {
    return { roundId: result.roundId, counts: Object.entries(result.counts).map(([table, rows]) => ({ table, rows })) };
  }
}
