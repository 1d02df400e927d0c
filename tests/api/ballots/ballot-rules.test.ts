import { describe, expect, it } from 'vitest';
import { BallotOutcome, PassingRule, decide, isValidShare, passes, quorumReached, type Share, type VoteCounts } from '../../../api/src/ballots/ballot-rules.js';

const TWO_THIRDS: Share = { numerator: 2, denominator: 3 };
const HALF: Share = { numerator: 1, denominator: 2 };
const votes = (approve: number, reject: number, abstain = 0): VoteCounts => ({ approve, reject, abstain });
const RULES = Object.values(PassingRule);

describe('simple majority: more APPROVE than REJECT', () => {
  it.each([
    ['one more approve passes', votes(3, 2), true],
    ['a tie fails', votes(2, 2), false],
    ['abstentions count for neither side', votes(1, 0, 9), true],
    ['all abstain fails', votes(0, 0, 5), false],
    ['no votes fails', votes(0, 0), false],
    ['more reject fails', votes(2, 3, 4), false],
  ])('%s', (_name, counts, expected) => {
    expect(passes(PassingRule.SIMPLE_MAJORITY, counts, HALF)).toBe(expected);
  });
});

describe('qualified majority: a share of non-abstaining votes', () => {
  it.each([
    ['exactly two thirds passes', votes(2, 1), TWO_THIRDS, true],
    ['exactly two thirds with abstentions passes', votes(20, 10, 7), TWO_THIRDS, true],
    ['just under two thirds fails', votes(199, 101), TWO_THIRDS, false],
    ['just over two thirds passes', votes(201, 100), TWO_THIRDS, true],
    ['all abstain fails', votes(0, 0, 4), TWO_THIRDS, false],
    ['exactly three quarters passes', votes(3, 1), { numerator: 3, denominator: 4 }, true],
    ['one short of three quarters fails', votes(5, 2), { numerator: 3, denominator: 4 }, false],
    ['a share of one half is reached by a tie', votes(4, 4), HALF, true],
    ['unanimity (1/1) fails with one reject', votes(9, 1), { numerator: 1, denominator: 1 }, false],
  ])('%s', (_name, counts, share, expected) => {
    expect(passes(PassingRule.QUALIFIED_MAJORITY, counts, share)).toBe(expected);
  });

  it('thirds are decided exactly where floating point would blur them', () => {
    // 2/3 of 3n is exactly 2n for every n: floats drift on some of these, integers never do.
    for (let n = 1; n <= 3000; n++) {
      expect(passes(PassingRule.QUALIFIED_MAJORITY, votes(2 * n, n), TWO_THIRDS)).toBe(true);
      expect(passes(PassingRule.QUALIFIED_MAJORITY, votes(2 * n - 1, n + 1), TWO_THIRDS)).toBe(false);
    }
  });
});

describe('ISO draft-standard rule', () => {
  it.each([
    ['two thirds in favour and exactly a quarter of all votes against passes', votes(7, 3, 2), true],
    ['70% in favour fails when rejects exceed a quarter of all votes cast', votes(7, 3, 1), false],
    ['abstentions count in the quarter clause', votes(7, 3, 0), false],
    ['exactly two thirds in favour, rejects within a quarter thanks to abstentions', votes(4, 2, 2), true],
    ['exactly two thirds in favour, rejects over a quarter', votes(4, 2, 1), false],
    ['under two thirds fails even with few rejects overall', votes(3, 2, 20), false],
    ['unanimous approval passes', votes(5, 0, 0), true],
    ['all abstain fails', votes(0, 0, 6), false],
    ['no votes fails', votes(0, 0, 0), false],
  ])('%s', (_name, counts, expected) => {
    expect(passes(PassingRule.ISO_DIS, counts, HALF)).toBe(expected);
  });
});

describe('consensus: no REJECT stands', () => {
  it.each([
    ['approvals and abstentions pass', votes(5, 0, 3), true],
    ['one reject among many approvals fails', votes(99, 1, 0), false],
    ['all abstain fails', votes(0, 0, 4), false],
    ['a single approve passes', votes(1, 0, 0), true],
  ])('%s', (_name, counts, expected) => {
    expect(passes(PassingRule.CONSENSUS, counts, HALF)).toBe(expected);
  });
});

describe('quorum counts participants, abstentions included, against the frozen eligible count', () => {
  it.each([
    ['exactly at a half quorum', votes(1, 1, 1), 6, HALF, true],
    ['one short of a half quorum', votes(1, 1, 0), 5, HALF, false],
    ['abstentions alone make quorum', votes(0, 0, 3), 6, HALF, true],
    ['exactly two thirds of 9', votes(6, 0, 0), 9, TWO_THIRDS, true],
    ['one short of two thirds of 9', votes(5, 0, 0), 9, TWO_THIRDS, false],
    ['a zero quorum is always reached', votes(0, 0, 0), 10, { numerator: 0, denominator: 1 }, true],
    ['a full quorum needs everyone', votes(9, 0, 0), 10, { numerator: 1, denominator: 1 }, false],
  ])('%s', (_name, counts, eligible, quorum, expected) => {
    expect(quorumReached(counts, eligible, quorum)).toBe(expected);
  });
});

describe('decide', () => {
  it('without quorum the rule is not applied', () => {
    expect(decide(PassingRule.SIMPLE_MAJORITY, HALF, HALF, 10, votes(4, 0))).toBe(BallotOutcome.NO_QUORUM);
  });
  it('with quorum exactly reached the rule decides', () => {
    expect(decide(PassingRule.SIMPLE_MAJORITY, HALF, HALF, 10, votes(4, 0, 1))).toBe(BallotOutcome.APPROVED);
    expect(decide(PassingRule.CONSENSUS, HALF, HALF, 10, votes(4, 1, 0))).toBe(BallotOutcome.REJECTED);
  });
  it('all abstaining with quorum is rejected under every rule', () => {
    for (const rule of RULES) expect(decide(rule, TWO_THIRDS, HALF, 4, votes(0, 0, 4))).toBe(BallotOutcome.REJECTED);
  });
});

describe('every rule, over every small count', () => {
  const N = 12;
  const all: VoteCounts[] = [];
  for (let a = 0; a <= N; a++) for (let r = 0; r <= N; r++) for (let x = 0; x <= N; x++) all.push(votes(a, r, x));

  it('one more APPROVE never turns a pass into a fail', () => {
    for (const rule of RULES) for (const c of all) {
      if (passes(rule, c, TWO_THIRDS)) expect(passes(rule, { ...c, approve: c.approve + 1 }, TWO_THIRDS)).toBe(true);
    }
  });
  it('one more REJECT never turns a fail into a pass', () => {
    for (const rule of RULES) for (const c of all) {
      if (!passes(rule, c, TWO_THIRDS)) expect(passes(rule, { ...c, reject: c.reject + 1 }, TWO_THIRDS)).toBe(false);
    }
  });
  it('abstentions change nothing except in ISO’s quarter clause, where they can only help', () => {
    for (const rule of RULES) for (const c of all) {
      const before = passes(rule, c, TWO_THIRDS);
      const after = passes(rule, { ...c, abstain: c.abstain + 1 }, TWO_THIRDS);
      if (rule === PassingRule.ISO_DIS) expect(!before || after).toBe(true);
      else expect(after).toBe(before);
    }
  });
  it('nothing passes without an APPROVE', () => {
    for (const rule of RULES) for (const c of all) if (c.approve === 0) expect(passes(rule, c, TWO_THIRDS)).toBe(false);
  });
  it('ISO passes exactly when both of its clauses hold, checked against exact rationals', () => {
    for (const c of all) {
      const nonAbstaining = c.approve + c.reject;
      const cast = nonAbstaining + c.abstain;
      // Reference: compare reduced fractions with BigInt, independently of the implementation's cross-multiplication.
      const twoThirds = nonAbstaining > 0 && BigInt(c.approve) * 3n >= BigInt(nonAbstaining) * 2n;
      const quarter = cast > 0 && BigInt(c.reject) * 4n <= BigInt(cast);
      expect(passes(PassingRule.ISO_DIS, c, HALF)).toBe(twoThirds && quarter);
    }
  });
});

describe('shares', () => {
  it.each([
    [{ numerator: 2, denominator: 3 }, true],
    [{ numerator: 0, denominator: 1 }, true],
    [{ numerator: 1, denominator: 1 }, true],
    [{ numerator: 4, denominator: 3 }, false],
    [{ numerator: 1, denominator: 0 }, false],
    [{ numerator: -1, denominator: 2 }, false],
    [{ numerator: 0.5, denominator: 1 }, false],
  ])('%o valid: %s', (share, expected) => {
    expect(isValidShare(share)).toBe(expected);
  });
});
