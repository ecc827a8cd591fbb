import { LIMITS } from '@leadbeam/protocol';
import { globCost } from './glob.ts';
import type { RuleMatchSource } from './rules-schema.ts';

/**
 * The most characters the rules of one event type may look at to score one event. Every event
 * is scored on the request path, so a rule set's worst case is one site's cost to every other
 * site on the collector; this bound keeps it to about a millisecond per event (see BENCHMARKS.md,
 * "Rule matching").
 */
export const MATCH_BUDGET = 150_000;

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Worst-case characters one rule's match looks at on an event at the wire protocol's limits. */
export function ruleMatchCost(match: RuleMatchSource | undefined): number {
  if (!match) return 0;
  let cost = 0;
  const name = (pattern: string | undefined) =>
    pattern === undefined ? 0 : globCost(pattern, LIMITS.maxNameLength);
  const context = (pattern: string | undefined) =>
    pattern === undefined ? 0 : globCost(pattern, LIMITS.maxContextStringLength);
  if (match.path !== undefined) cost += globCost(match.path, LIMITS.maxUrlLength);
  // A url criterion is tried on the page and, for downloads, on the file.
  if (match.url !== undefined) cost += 2 * globCost(match.url, LIMITS.maxUrlLength);
  if (match.tag !== undefined) {
    for (const tag of asList(match.tag)) cost += LIMITS.maxTagsPerEvent * globCost(tag, LIMITS.maxTagLength);
  }
  cost += name(match.form) + name(match.conversion) + name(match.name);
  if (typeof match.step === 'string') cost += name(match.step);
  cost += context(match.utm?.source) + context(match.utm?.medium) + context(match.utm?.campaign);
  return cost;
}
