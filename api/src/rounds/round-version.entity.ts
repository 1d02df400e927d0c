import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Indicator, IndicatorVersion } from '../indicators/indicator.entity.js';
import { ConsultationRound } from './round.entity.js';

/**
 * An indicator version pinned in a round (later drafts change nothing the round shows), with the
 * round's maintained counters for it, so the round page never recounts comments. The API reads it
 * as plain rows (`RoundIndicator`).
 */
@Entity({ tableName: 'round_version' })
@Unique({ properties: ['round', 'indicatorVersion'] })
@Unique({ properties: ['round', 'indicator'] })
@Index({ properties: ['round', 'position'] })
export class RoundVersion {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  @ManyToOne({ entity: () => IndicatorVersion, ref: true })
  indicatorVersion!: Ref<IndicatorVersion>;

  /** The version's indicator, kept here so a round is filtered and rated by indicator without a join. */
  @ManyToOne({ entity: () => Indicator, ref: true })
  indicator!: Ref<Indicator>;

  /** Order in the round (framework order). */
  @Property({ type: 'integer' })
  position!: number;

  /** Top-level comments on this version in this round, not withdrawn. */
  @Property({ type: 'integer' })
  commentCount: number & Opt = 0;

  /** Of those, the ones still without a disposition. */
  @Property({ type: 'integer' })
  undisposedCount: number & Opt = 0;
}
