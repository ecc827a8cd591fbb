import { applyLimitedEvent } from './limit-windows.ts';
import { matchRule } from './match-rule.ts';
import type { ScoringRules } from './parse-rules.ts';
import { addContribution, newRuleState, type RuleState, type ScoreEffect } from './rule-state.ts';
import type { ScorableEvent } from './scorable-event.ts';

export const SCORE_STATE_VERSION = 1;

/** A lead's scoring state: plain JSON (numbers, strings, arrays), safe to store and `JSON.parse` back. */
export type ScoreState = {
  version: typeof SCORE_STATE_VERSION;
  /** Latest time of any event applied, or null before the first: reads need `at ≥ lastEventAt`. */
  lastEventAt: number | null;
  /** Rule id → its accumulator; rules that never matched are absent. */
  rules: Record<string, RuleState>;
};

export type ApplyEventResult = { state: ScoreState; effects: readonly ScoreEffect[] };

export function emptyScoreState(): ScoreState {
  return { version: SCORE_STATE_VERSION, lastEventAt: null, rules: {} };
}

/** A deep copy, for callers that must keep the state they pass to `applyEvent`. */
export function cloneScoreState(state: ScoreState): ScoreState {
  return structuredClone(state);
}

const NO_EFFECTS: readonly ScoreEffect[] = Object.freeze([]);

/**
 * Adds one event to a lead's state, in O(matching rules). MUTATES `state` and returns it (no copy
 * per event); clone first to keep the old one. Order does not matter: applying the same events in
 * any order gives the same scores, counters and explanations (see `limit-windows.ts` for the one
 * assumption, that events arrive at most 8 days behind the latest one).
 */
export function applyEvent(rules: ScoringRules, state: ScoreState, event: ScorableEvent): ApplyEventResult {
  if (!Number.isFinite(event.ts))
    throw new RangeError(`event time must be finite ms since the epoch, got ${event.ts}`);
  if (state.lastEventAt === null || event.ts > state.lastEventAt) state.lastEventAt = event.ts;
  let effects = NO_EFFECTS as ScoreEffect[];
  for (const rule of rules.rulesByType[event.type]) {
    if (!matchRule(rule, event)) continue;
    let ruleState = ruleStateOf(state, rule.id);
    if (ruleState === undefined) {
      ruleState = newRuleState(event.ts);
      state.rules[rule.id] = ruleState;
    }
    let effect: ScoreEffect;
    if (rule.limit) {
      effect = applyLimitedEvent(rule, rule.limit, ruleState, event.ts, state.lastEventAt);
    } else {
      addContribution(ruleState, event.ts, rule.points, rule.halfLifeMs);
      ruleState.events += 1;
      ruleState.rawPoints += rule.points;
      effect = { ruleId: rule.id, outcome: 'scored' };
    }
    if (effects === NO_EFFECTS) effects = [];
    effects.push(effect);
  }
  return { state, effects };
}

/** The accumulator of one rule, if it has one. Own keys only: a rule may be called `constructor`. */
export function ruleStateOf(state: ScoreState, ruleId: string): RuleState | undefined {
  return Object.hasOwn(state.rules, ruleId) ? state.rules[ruleId] : undefined;
}
