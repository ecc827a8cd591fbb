export {
  type ApplyEventResult,
  applyEvent,
  cloneScoreState,
  emptyScoreState,
  SCORE_STATE_VERSION,
  type ScoreState,
} from './accumulator.ts';
export { DEFAULT_SCORING_RULES } from './default-rules.ts';
export { parseDuration } from './duration.ts';
export { checkGlob, compileGlob, GLOB_LIMITS, type Glob, globCost } from './glob.ts';
export {
  applySalesOutcome,
  nextStage,
  SALES_OUTCOMES,
  SALES_TRANSITIONS,
  type SalesOutcome,
  type SalesOutcomeResult,
  type ScoringSignals,
  STAGES,
  type Stage,
  type StageCause,
  type StageTransition,
} from './lifecycle.ts';
export { LIMIT_WINDOW_HORIZON_MS } from './limit-windows.ts';
export { MATCH_BUDGET, ruleMatchCost } from './match-cost.ts';
export { matchRule } from './match-rule.ts';
export {
  compareMql,
  evaluateMql,
  type MqlComparison,
  type MqlDecision,
  type MqlInput,
  type MqlReason,
} from './mql.ts';
export {
  type MqlSettings,
  type ParseRulesResult,
  parseScoringRules,
  type RulesIssue,
  type ScoringRule,
  type ScoringRules,
} from './parse-rules.ts';
export { type RuleBreakdown, readScore, type ScoreReading } from './read-score.ts';
export type { RuleState, ScoreEffect } from './rule-state.ts';
export {
  globSchema,
  type ScoringRulesInput,
  type ScoringRulesSource,
  scoringRulesSchema,
} from './rules-schema.ts';
export { type ScorableEvent, toScorableEvent } from './scorable-event.ts';
export { scoreEvents, scoreEventsAt } from './score-events.ts';
