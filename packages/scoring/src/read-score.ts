import { ruleStateOf, type ScoreState } from './accumulator.ts';
import { decayValue } from './decay.ts';
import type { ScoringRules } from './parse-rules.ts';

/** How one rule contributes to a score at an instant. */
export type RuleBreakdown = {
  ruleId: string;
  /** Events that scored. */
  events: number;
  /** Their points before decay. */
  rawPoints: number;
  /** Their points decayed to the instant, after the rule's `max`: what the rule adds to `total`. */
  decayedPoints: number;
  /** Events that matched but did not score (over the rule's limit). */
  cappedEvents: number;
  /** True when the rule's `max` cut its contribution. */
  capped: boolean;
};

export type ScoreReading = {
  /** The instant read, ms since the epoch. */
  at: number;
  /** `total` capped by `maxScore` and floored at 0: the lead's score. */
  score: number;
  /** Sum of the rules' decayed points, before `maxScore` and the floor (may be negative). */
  total: number;
  /** True when `maxScore` cut the total. */
  maxScoreHit: boolean;
  /** The rules that saw events, in rule order. */
  breakdown: RuleBreakdown[];
};

/**
 * Reads a lead's score and its explanation at `at`, which must not precede `state.lastEventAt`
 * (for an earlier instant use `scoreEventsAt`, which leaves out the events after it). Caps are
 * applied here, at read time, so they do not depend on the order events arrived in.
 * @throws RangeError when `at` is before `state.lastEventAt`.
 */
export function readScore(rules: ScoringRules, state: ScoreState, at: number): ScoreReading {
  if (state.lastEventAt !== null && at < state.lastEventAt) {
    throw new RangeError(
      `cannot read a score at ${at}, before the state's last event (${state.lastEventAt}); use scoreEventsAt`,
    );
  }
  const breakdown: RuleBreakdown[] = [];
  let total = 0;
  for (const rule of rules.rules) {
    const ruleState = ruleStateOf(state, rule.id);
    if (ruleState === undefined) continue;
    const decayed = decayValue(ruleState.value, ruleState.anchor, at, rule.halfLifeMs);
    const capped = rule.max !== null && Math.abs(decayed) > rule.max;
    const decayedPoints = capped ? Math.sign(decayed) * (rule.max as number) : decayed;
    total += decayedPoints;
    breakdown.push({
      ruleId: rule.id,
      events: ruleState.events,
      rawPoints: ruleState.rawPoints,
      decayedPoints,
      cappedEvents: ruleState.cappedEvents,
      capped,
    });
  }
  const maxScoreHit = rules.maxScore !== null && total > rules.maxScore;
  const score = Math.max(0, maxScoreHit ? (rules.maxScore as number) : total);
  return { at, score, total, maxScoreHit, breakdown };
}
