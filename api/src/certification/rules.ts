import { Judgment } from './assessment.entity.js';
import { Comparator, IndicatorWeight } from './scheme.entity.js';
import { SealStanding, SealStatus } from './seal.entity.js';

/** A quantitative indicator is met when its reported value passes the threshold, and not met otherwise. */
export function judgeValue(value: number, comparator: Comparator, threshold: number): Judgment {
  const passes = { GTE: value >= threshold, GT: value > threshold, LTE: value <= threshold, LT: value < threshold }[comparator];
  return passes ? Judgment.MET : Judgment.NOT_MET;
}

export interface JudgedIndicator {
  weight: IndicatorWeight;
  points: number;
  /** null: not answered, which counts as not met. */
  judgment: Judgment | null;
}

export interface AreaScore {
  /** Every essential indicator met or not applicable (partially met is not met). */
  essentialsMet: boolean;
  /** Earned points in halves: a met indicator earns 2 × its points, a partially met one 1 ×. */
  earnedHalves: number;
  /** The scored points of the indicators that apply. */
  applicablePoints: number;
  /** The rule: essentials met and earned ≥ passPercent % of the applicable points (an area with none applicable passes on its essentials). */
  awarded: boolean;
}

/** An area's result by the scheme's rule, in integers so 80 % of 10 points is exactly 8. */
export function scoreArea(indicators: JudgedIndicator[], passPercent: number): AreaScore {
  let essentialsMet = true;
  let earnedHalves = 0;
  let applicablePoints = 0;
  for (const i of indicators) {
    if (i.weight === IndicatorWeight.ESSENTIAL) {
      if (i.judgment !== Judgment.MET && i.judgment !== Judgment.NOT_APPLICABLE) essentialsMet = false;
      continue;
    }
    if (i.judgment === Judgment.NOT_APPLICABLE) continue;
    applicablePoints += i.points;
    if (i.judgment === Judgment.MET) earnedHalves += 2 * i.points;
    if (i.judgment === Judgment.PARTIALLY_MET) earnedHalves += i.points;
  }
  const awarded = essentialsMet && earnedHalves * 100 >= passPercent * 2 * applicablePoints;
  return { essentialsMet, earnedHalves, applicablePoints, awarded };
}

/** `YYYY-MM-DD` plus whole months, the day clamped to the month's end (31 January + 1 month = 28/29 February). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Today by the server's clock, as the seals' dates are written (UTC). */
export const today = (now = new Date()) => now.toISOString().slice(0, 10);

/** A seal's dates from its issue day: the surveillance review after `surveillanceMonths`, valid through the day before `validityMonths` have passed. */
export function sealDates(issuedOn: string, scheme: { validityMonths: number; surveillanceMonths: number }) {
  return { issuedOn, surveillanceOn: addMonths(issuedOn, scheme.surveillanceMonths), validUntil: addDays(addMonths(issuedOn, scheme.validityMonths), -1) };
}

/** A seal's status on `day`: the committee's suspension or withdrawal first, then the clock. Computed on read, never stored. */
export function sealStatus(seal: { standing: SealStanding; surveillanceOn: string; validUntil: string }, day: string): SealStatus {
  if (seal.standing === SealStanding.WITHDRAWN) return SealStatus.WITHDRAWN;
  if (day > seal.validUntil) return SealStatus.EXPIRED;
  if (seal.standing === SealStanding.SUSPENDED) return SealStatus.SUSPENDED;
  return day >= seal.surveillanceOn ? SealStatus.UNDER_SURVEILLANCE : SealStatus.ACTIVE;
}

/** Valid today: active or due for its surveillance review. */
export const isValid = (status: SealStatus) => status === SealStatus.ACTIVE || status === SealStatus.UNDER_SURVEILLANCE;
