import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One value and how many standing comments have it.' })
export class DashboardCount {
  @Field(() => String, { nullable: true, description: 'The value (a CommentType, a DispositionFacet, a country code, an OrganizationKind, a theme id); null for none.' })
  key!: string | null;
  @Field(() => String, { nullable: true, description: 'A readable name when the key is an id.' })
  label!: string | null;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Comments that arrived on one day (UTC).' })
export class DayCount {
  @Field(() => String, { description: 'YYYY-MM-DD.' }) day!: string;
  @Field(() => Int) comments!: number;
  @Field(() => Int, { description: 'Of those, entered on someone’s behalf.' }) onBehalf!: number;
  @Field(() => Int, { description: 'Comments up to and including this day.' }) cumulative!: number;
}

@ObjectType({ description: 'One row of the heat map: an indicator (or an area’s own comments) and its comments by type.' })
export class HeatMapRow {
  @Field(() => ID, { nullable: true, description: 'Null for the whole-framework row.' }) areaId!: string | null;
  @Field(() => String, { nullable: true }) areaCode!: string | null;
  @Field(() => String, { nullable: true }) areaTitle!: string | null;
  @Field(() => ID, { nullable: true, description: 'Null for comments on the area (or framework) itself.' }) indicatorId!: string | null;
  @Field(() => String, { nullable: true }) indicatorCode!: string | null;
  @Field(() => Int) general!: number;
  @Field(() => Int) technical!: number;
  @Field(() => Int) editorial!: number;
  @Field(() => Int, { description: 'Comments proposing other wording.' }) proposedChanges!: number;
  @Field(() => Int, { description: 'Comments disposed of as rejected or only partially accepted: where the disagreement is.' }) contested!: number;
  @Field(() => Int) total!: number;
}

@ObjectType({ description: 'How respondents rated one essential practice.' })
export class PracticeRatingRow {
  @Field(() => ID) indicatorId!: string;
  @Field(() => String) code!: string;
  @Field(() => Int) essential!: number;
  @Field(() => Int) useful!: number;
  @Field(() => Int) notRelevant!: number;
  @Field(() => Int) noOpinion!: number;
  @Field(() => Int) total!: number;
}

@ObjectType({ description: 'A round’s feedback in figures for its facilitators: each list is a chart’s data and the table behind it. Standing comments only (withdrawn ones left out).' })
export class RoundDashboard {
  @Field(() => ID) roundId!: string;
  @Field(() => Int) comments!: number;
  @Field(() => Int) disposed!: number;
  @Field(() => Int, { description: 'Comments entered on someone’s behalf.' }) onBehalf!: number;
  @Field(() => Int, { description: 'Different people and organizations who commented (on-behalf entries counted by the name given).' }) participants!: number;
  @Field(() => [DayCount]) participation!: DayCount[];
  @Field(() => [HeatMapRow]) heatMap!: HeatMapRow[];
  @Field(() => [DashboardCount], { description: 'Keys are CommentType names.' }) byType!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are ISO 3166-1 alpha-2 codes; null for no country.' }) byCountry!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are OrganizationKind names; null for no organization.' }) byOrganizationKind!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are DispositionFacet names, NONE included.' }) byDisposition!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are theme ids; labels in the language asked for.' }) byTheme!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are FeedbackSourceKind names: where on-behalf feedback came from.' }) bySource!: DashboardCount[];
  @Field(() => [PracticeRatingRow]) ratings!: PracticeRatingRow[];
}
