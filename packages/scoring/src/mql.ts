import { emailDomain, normalizeEmail } from '@leadbeam/protocol';
import type { ScoringRules } from './parse-rules.ts';

export type MqlInput = {
  score: number;
  /** The lead's email, or null while it is anonymous. */
  email: string | null;
  /** The lead's MQL flag before this evaluation. */
  wasMql: boolean;
};

export type MqlReason =
  /** Not MQL before; the score reached `threshold` and the gates pass. */
  | 'reached_threshold'
  /** Not MQL before; the score is below `threshold`. */
  | 'below_threshold'
  /** MQL before; the score is still at or above `exitThreshold`. */
  | 'above_exit_threshold'
  /** MQL before; the score fell below `exitThreshold`. */
  | 'below_exit_threshold'
  /** `requireEmail` and the lead has no (valid) email. */
  | 'email_required'
  /** The email's domain, or a parent of it, is in `excludeEmailDomains`. */
  | 'email_domain_excluded';

export type MqlDecision = { mql: boolean; reason: MqlReason };

/**
 * Decides whether a lead is an MQL. Entering takes score ≥ threshold; leaving takes score below
 * exitThreshold, so a score hovering between the two never flips the flag. The fit gates (email
 * required, excluded domains) hold at all times: failing one leaves MQL whatever the score.
 */
export function evaluateMql(rules: ScoringRules, input: MqlInput): MqlDecision {
  const { threshold, exitThreshold, requireEmail } = rules.mql;
  const email = input.email === null ? null : normalizeEmail(input.email);
  if (email === null) {
    if (requireEmail) return { mql: false, reason: 'email_required' };
  } else if (isExcludedDomain(emailDomain(email), rules.mql.excludeEmailDomains)) {
    return { mql: false, reason: 'email_domain_excluded' };
  }
  if (input.wasMql) {
    return input.score >= exitThreshold
      ? { mql: true, reason: 'above_exit_threshold' }
      : { mql: false, reason: 'below_exit_threshold' };
  }
  return input.score >= threshold
    ? { mql: true, reason: 'reached_threshold' }
    : { mql: false, reason: 'below_threshold' };
}

/** True when `domain` is one of `excluded` or a subdomain of one (`mail.corp.com` under `corp.com`). */
export function isExcludedDomain(domain: string, excluded: readonly string[]): boolean {
  for (const entry of excluded) {
    if (domain === entry || (domain.length > entry.length && domain.endsWith(`.${entry}`))) return true;
  }
  return false;
}

export type MqlComparison = {
  mqlBefore: number;
  mqlAfter: number;
  /** Leads that would become MQLs, in the order of `after`. */
  entered: string[];
  /** Leads that would stop being MQLs, in the order of `before`. */
  left: string[];
};

/**
 * Summarises how MQL flags change between two runs (e.g. current rules vs proposed ones in a
 * preview). Both map lead id → MQL flag; a lead missing on one side counts as not MQL there.
 */
export function compareMql(
  before: ReadonlyMap<string, boolean> | Readonly<Record<string, boolean>>,
  after: ReadonlyMap<string, boolean> | Readonly<Record<string, boolean>>,
): MqlComparison {
  const beforeMap = before instanceof Map ? before : new Map(Object.entries(before));
  const afterMap = after instanceof Map ? after : new Map(Object.entries(after));
  const comparison: MqlComparison = { mqlBefore: 0, mqlAfter: 0, entered: [], left: [] };
  for (const [id, mql] of beforeMap) {
    if (!mql) continue;
    comparison.mqlBefore += 1;
    if (afterMap.get(id) !== true) comparison.left.push(id);
  }
  for (const [id, mql] of afterMap) {
    if (!mql) continue;
    comparison.mqlAfter += 1;
    if (beforeMap.get(id) !== true) comparison.entered.push(id);
  }
  return comparison;
}
