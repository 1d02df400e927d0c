import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One value and how many standing comments have it.' })
export class DashboardCount {
  @Field(() => String, { nullable: true, description: 'The value (a CommentType, a DispositionFacet, a country code, an OrganizationKind, a theme id); null for none.' })
  key!: string | null;
  @Field(() => String, { nullable: true, description: 'A readable name when the key is an id.' })
  label!: string | null;
  @Field(() => Int, { description: 'Standing comments with this value.' }) count!: number;
}

@ObjectType({ description: 'Comments that arrived on one day (UTC).' })
export class DayCount {
  @Field(() => String, { description: 'YYYY-MM-DD.' }) day!: string;
  @Field(() => Int, { description: 'Standing comments written (or entered) that day.' }) comments!: number;
  @Field(() => Int, { description: 'Of those, entered on someone’s behalf.' }) onBehalf!: number;
  @Field(() => Int, { description: 'Comments up to and including this day.' }) cumulative!: number;
}

@ObjectType({ description: 'One row of the heat map: an indicator (or an area’s own comments) and its comments by type.' })
export class HeatMapRow {
  @Field(() => ID, { nullable: true, description: 'Null for the whole-framework row.' }) areaId!: string | null;
  @Field(() => String, { nullable: true, description: 'The area’s code; null for the whole-framework row.' }) areaCode!: string | null;
  @Field(() => String, { nullable: true, description: 'The area’s title in the language asked for; null for the whole-framework row.' }) areaTitle!: string | null;
  @Field(() => ID, { nullable: true, description: 'Null for comments on the area (or framework) itself.' }) indicatorId!: string | null;
  @Field(() => String, { nullable: true, description: 'The indicator’s code (e.g. GEN-03); null for the area’s own row.' }) indicatorCode!: string | null;
  @Field(() => Int, { description: 'GENERAL comments.' }) general!: number;
  @Field(() => Int, { description: 'TECHNICAL comments.' }) technical!: number;
  @Field(() => Int, { description: 'EDITORIAL comments.' }) editorial!: number;
  @Field(() => Int, { description: 'Comments proposing other wording.' }) proposedChanges!: number;
  @Field(() => Int, { description: 'Comments disposed of as rejected or only partially accepted: where the disagreement is.' }) contested!: number;
  @Field(() => Int, { description: 'All standing comments of the row.' }) total!: number;
}

@ObjectType({ description: 'How respondents rated one essential practice.' })
export class PracticeRatingRow {
  @Field(() => ID, { description: 'The practice (an indicator of the USSPM framework).' }) indicatorId!: string;
  @Field(() => String, { description: 'The practice’s code (e.g. 1A.1).' }) code!: string;
  @Field(() => Int, { description: 'Ratings of ESSENTIAL.' }) essential!: number;
  @Field(() => Int, { description: 'Ratings of USEFUL (useful but not essential).' }) useful!: number;
  @Field(() => Int, { description: 'Ratings of NOT_RELEVANT.' }) notRelevant!: number;
  @Field(() => Int, { description: 'Ratings of NO_OPINION.' }) noOpinion!: number;
  @Field(() => Int, { description: 'All ratings of the practice.' }) total!: number;
}

@ObjectType({ description: 'A round’s feedback in figures for its facilitators: each list is a chart’s data and the table behind it. Standing comments only (withdrawn ones left out).' })
export class RoundDashboard {
  @Field(() => ID, { description: 'The round described.' }) roundId!: string;
  @Field(() => Int, { description: 'Standing top-level comments.' }) comments!: number;
  @Field(() => Int, { description: 'Of those, the ones with a disposition.' }) disposed!: number;
  @Field(() => Int, { description: 'Comments entered on someone’s behalf.' }) onBehalf!: number;
  @Field(() => Int, { description: 'Different people and organizations who commented (on-behalf entries counted by the name given).' }) participants!: number;
  @Field(() => [DayCount], { description: 'Comments per day (UTC), oldest first; only days that had any.' }) participation!: DayCount[];
  @Field(() => [HeatMapRow], { description: 'Comments per indicator and type, area by area.' }) heatMap!: HeatMapRow[];
  @Field(() => [DashboardCount], { description: 'Keys are CommentType names.' }) byType!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are ISO 3166-1 alpha-2 codes; null for no country.' }) byCountry!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are OrganizationKind names; null for no organization.' }) byOrganizationKind!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are DispositionFacet names, NONE included.' }) byDisposition!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are theme ids; labels in the language asked for.' }) byTheme!: DashboardCount[];
  @Field(() => [DashboardCount], { description: 'Keys are FeedbackSourceKind names: where on-behalf feedback came from.' }) bySource!: DashboardCount[];
  @Field(() => [PracticeRatingRow], { description: 'One row per practice rated in the round, by code; empty when none was rated.' }) ratings!: PracticeRatingRow[];
}
