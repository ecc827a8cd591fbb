import { decayFactor } from './decay.ts';

/**
 * What one rule has accumulated for one lead. `value` is the decayed sum of the points of the
 * events that scored, at instant `anchor` (the latest of their times); read it at t ≥ anchor as
 * `value · 2^(−(t − anchor)/halfLife)`.
 */
export type RuleState = {
  value: number;
  anchor: number;
  /** Events that scored. */
  events: number;
  /** Sum of the undecayed points of the events that scored. */
  rawPoints: number;
  /** Events that matched but did not score: over the rule's limit, or too late for a closed window. */
  cappedEvents: number;
  /** Limited rules only: window index (floor(ts / per)) → times that scored in it, ascending, ≤ count. */
  windows?: Record<string, number[]>;
};

export function newRuleState(anchor: number): RuleState {
  return { value: 0, anchor, events: 0, rawPoints: 0, cappedEvents: 0 };
}

/**
 * Adds `points` earned at `ts` to a (value, anchor) pair; negative `points` take points back. The
 * anchor only moves forward, so the result does not depend on the order of the calls.
 */
export function addContribution(ruleState: RuleState, ts: number, points: number, halfLifeMs: number): void {
  if (ts > ruleState.anchor) {
    ruleState.value = ruleState.value * decayFactor(ts - ruleState.anchor, halfLifeMs) + points;
    ruleState.anchor = ts;
  } else {
    ruleState.value += points * decayFactor(ruleState.anchor - ts, halfLifeMs);
  }
}

/** What applying an event did to one rule it matched. */
export type ScoreEffect = {
  ruleId: string;
  /** `limited`: over the rule's limit in its window; `late`: its limit window closed (see the horizon). */
  outcome: 'scored' | 'limited' | 'late';
  /** Set when this event took the place of a later one in a full limit window (that one is now capped). */
  displacedTs?: number;
};
