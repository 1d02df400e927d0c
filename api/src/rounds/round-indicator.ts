import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Indicator, type IndicatorRecord } from '../indicators/indicator.entity.js';

/**
 * An indicator version pinned in a round, as the API shows it: a plain row, not the `RoundVersion`
 * entity. A round page lists hundreds of these; hydrating each (and its indicator) as a tracked
 * entity cost several times the SQL that reads them.
 */
@ObjectType('RoundIndicator', { description: 'An indicator version under consultation in a round, with its comment counts.' })
export class RoundIndicator {
  @Field(() => ID, { description: 'The pinning’s own id (neither the indicator’s nor the version’s).' })
  id!: string;

  roundId!: string;

  indicatorVersionId!: string;

  @Field(() => Indicator, { description: 'The indicator pinned.' })
  indicator!: IndicatorRecord;

  @Field(() => Int, { description: 'Order in the round (framework order).' })
  position!: number;

  @Field(() => Int, { description: 'Top-level comments on this version in this round, not withdrawn.' })
  commentCount!: number;

  @Field(() => Int, { description: 'Of those, the ones still without a disposition.' })
  undisposedCount!: number;
}
