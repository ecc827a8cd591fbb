/**
 * Lifecycle stages of a lead. Scoring moves a lead through the marketing stages (visitor, lead,
 * mql, recycled); sales owns sal, sql and disqualified, which scoring never changes.
 */
export const STAGES = ['visitor', 'lead', 'mql', 'sal', 'sql', 'recycled', 'disqualified'] as const;
export type Stage = (typeof STAGES)[number];

export const SALES_OUTCOMES = ['sal', 'sql', 'recycled', 'disqualified'] as const;
export type SalesOutcome = (typeof SALES_OUTCOMES)[number];

export type ScoringSignals = {
  /** The lead has an email. */
  identified: boolean;
  /** MQL flag before and after the latest evaluation (see `evaluateMql`). */
  wasMql: boolean;
  mql: boolean;
};

export type StageCause = 'identified' | 'mql_entered' | 'mql_left';

export type StageTransition = { from: Stage; to: Stage; cause: StageCause };

/**
 * The stage scoring moves a lead to, or null when it stays put.
 * - visitor → lead when identified; visitor or lead → mql while the MQL flag is set;
 * - recycled → mql only when the flag is newly set (false → true): a lead that sales recycled
 *   while still above the exit threshold must decay out and qualify again;
 * - mql → recycled when the flag is cleared (decayed below the exit threshold, or a gate failed);
 * - sal, sql and disqualified never change by scoring.
 */
export function nextStage(stage: Stage, signals: ScoringSignals): StageTransition | null {
  switch (stage) {
    case 'visitor':
    case 'lead':
      if (signals.mql) return { from: stage, to: 'mql', cause: 'mql_entered' };
      if (stage === 'visitor' && signals.identified) return { from: stage, to: 'lead', cause: 'identified' };
      return null;
    case 'recycled':
      return signals.mql && !signals.wasMql ? { from: stage, to: 'mql', cause: 'mql_entered' } : null;
    case 'mql':
      return signals.mql ? null : { from: stage, to: 'recycled', cause: 'mql_left' };
    case 'sal':
    case 'sql':
    case 'disqualified':
      return null;
  }
}

/**
 * Which stages each sales outcome may be reported from. Anonymous visitors cannot be handed to
 * sales; sql may skip sal (many teams qualify in the first call); recycled returns a worked lead
 * to marketing (or reopens a disqualified one); a stage never goes back from sql to sal.
 */
export const SALES_TRANSITIONS: Readonly<Record<SalesOutcome, readonly Stage[]>> = {
  sal: ['lead', 'mql', 'recycled'],
  sql: ['lead', 'mql', 'sal', 'recycled'],
  recycled: ['mql', 'sal', 'sql', 'disqualified'],
  disqualified: ['lead', 'mql', 'sal', 'sql', 'recycled'],
};

export type SalesOutcomeResult =
  | { ok: true; from: Stage; stage: Stage; changed: boolean }
  | { ok: false; code: 'invalid_transition'; message: string };

/**
 * Applies an outcome reported by sales. Reporting the stage a lead is already in is accepted and
 * changes nothing (a retried request); moves outside `SALES_TRANSITIONS` are refused.
 */
export function applySalesOutcome(current: Stage, outcome: SalesOutcome): SalesOutcomeResult {
  if (current === outcome) return { ok: true, from: current, stage: current, changed: false };
  const allowed = SALES_TRANSITIONS[outcome];
  if (allowed.includes(current)) return { ok: true, from: current, stage: outcome, changed: true };
  return {
    ok: false,
    code: 'invalid_transition',
    message: `a lead in stage "${current}" cannot become "${outcome}" (allowed from: ${allowed.join(', ')})`,
  };
}
