import { registerEnumType } from 'type-graphql';

/**
 * How a question passes. Every rule is decided in integers (cross-multiplied fractions), never
 * floats, so a count exactly at a threshold decides the way the rule says.
 * `a` = APPROVE, `r` = REJECT, `x` = ABSTAIN; votes cast = a + r + x; non-abstaining = a + r.
 */
export enum PassingRule {
  /** More APPROVE than REJECT (a > r); abstentions count for neither side. A tie, or all abstaining, fails. */
  SIMPLE_MAJORITY = 'SIMPLE_MAJORITY',
  /** At least the ballot's share (e.g. 2/3) of non-abstaining votes approve: a·den ≥ num·(a + r), with a + r > 0. */
  QUALIFIED_MAJORITY = 'QUALIFIED_MAJORITY',
  /**
   * ISO's draft-standard rule: at least two thirds of non-abstaining votes approve (3a ≥ 2(a + r), a + r > 0)
   * AND no more than one quarter of ALL votes cast, abstentions included, reject (4r ≤ a + r + x).
   */
  ISO_DIS = 'ISO_DIS',
  /** No REJECT stands and at least one APPROVE (r = 0 and a ≥ 1), as an IETF DISCUSS blocks. */
  CONSENSUS = 'CONSENSUS',
}
registerEnumType(PassingRule, {
  name: 'PassingRule',
  description: 'How a ballot question passes; fixed when the ballot opens.',
  valuesConfig: {
    SIMPLE_MAJORITY: { description: 'More APPROVE than REJECT; abstentions count for neither side.' },
    QUALIFIED_MAJORITY: { description: 'At least the ballot’s share (e.g. 2/3) of the non-abstaining votes approve.' },
    ISO_DIS: { description: 'At least 2/3 of the non-abstaining votes approve and no more than 1/4 of all votes cast (abstentions included) reject.' },
    CONSENSUS: { description: 'No REJECT and at least one APPROVE.' },
  },
});

export enum BallotOutcome {
  NO_QUORUM = 'NO_QUORUM',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(BallotOutcome, {
  name: 'BallotOutcome',
  description: 'How a ballot question was decided at close.',
  valuesConfig: {
    NO_QUORUM: { description: 'Too few of the eligible voters took part; the rule was not applied.' },
    APPROVED: { description: 'Quorum reached and the passing rule met: the revision is accepted.' },
    REJECTED: { description: 'Quorum reached but the passing rule not met.' },
  },
});

/** A share as an exact fraction, e.g. 2/3. */
export interface Share {
  numerator: number;
  denominator: number;
}

export interface VoteCounts {
  approve: number;
  reject: number;
  abstain: number;
}

/** ISO's fixed two-thirds. */
const TWO_THIRDS: Share = { numerator: 2, denominator: 3 };

/** True when `part` is at least `share` of `whole`: part·den ≥ num·whole. */
export function atLeastShare(part: number, whole: number, share: Share): boolean {
  return part * share.denominator >= share.numerator * whole;
}

/** A valid share lies in [0, 1] with a positive denominator; quorum and qualified majority use it. */
export function isValidShare(share: Share): boolean {
  return Number.isInteger(share.numerator) && Number.isInteger(share.denominator) && share.denominator > 0 && share.numerator >= 0 && share.numerator <= share.denominator;
}

/** Whether the counts pass `rule`; `share` is used by QUALIFIED_MAJORITY only. */
export function passes(rule: PassingRule, { approve, reject, abstain }: VoteCounts, share: Share): boolean {
  const nonAbstaining = approve + reject;
  switch (rule) {
    case PassingRule.SIMPLE_MAJORITY:
      return approve > reject;
    case PassingRule.QUALIFIED_MAJORITY:
      return nonAbstaining > 0 && atLeastShare(approve, nonAbstaining, share);
    case PassingRule.ISO_DIS:
      return nonAbstaining > 0 && atLeastShare(approve, nonAbstaining, TWO_THIRDS) && reject * 4 <= approve + reject + abstain;
    case PassingRule.CONSENSUS:
      return reject === 0 && approve > 0;
  }
}

/** Quorum: voters who took part (abstentions included) are at least `quorum` of the frozen eligible count. */
export function quorumReached(counts: VoteCounts, eligible: number, quorum: Share): boolean {
  return atLeastShare(counts.approve + counts.reject + counts.abstain, eligible, quorum);
}

/** The decision at close: quorum first, then the rule. */
export function decide(rule: PassingRule, share: Share, quorum: Share, eligible: number, counts: VoteCounts): BallotOutcome {
  if (!quorumReached(counts, eligible, quorum)) return BallotOutcome.NO_QUORUM;
  return passes(rule, counts, share) ? BallotOutcome.APPROVED : BallotOutcome.REJECTED;
}
