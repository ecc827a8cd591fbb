import { parseScoringRules, type ScoringRules } from './parse-rules.ts';
import type { ScoringRulesInput } from './rules-schema.ts';
import type { ScorableEvent } from './scorable-event.ts';

/** Test-only: parses rules that are known to be valid, failing loudly otherwise. */
export function rulesFrom(input: ScoringRulesInput): ScoringRules {
  const parsed = parseScoringRules(input);
  if (!parsed.ok) throw new Error(`invalid test rules: ${JSON.stringify(parsed.issues)}`);
  return parsed.rules;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A fixed, round instant (2026-01-01T00:00:00Z) so limit windows of days line up with dates. */
export const T0 = Date.UTC(2026, 0, 1);

export const pageView = (path: string, ts: number, extra: Partial<ScorableEvent> = {}): ScorableEvent => ({
  type: 'page_view',
  ts,
  url: `https://acme.test${path}`,
  path,
  ...extra,
});
