/**
 * The worst rules the schema allows: every glob searches the whole value (a literal between
 * wildcards that is found last or never), filling the match budget of `page_view`. And the event
 * that makes them work hardest: every field at the wire protocol's limits, matching every prefix.
 */
import { LIMITS } from '@leadbeam/protocol';
import { MATCH_BUDGET, ruleMatchCost } from '@leadbeam/scoring';

const SEARCHING = `${'*a'.repeat(14)}*c*`;

export const COSTLY_SHAPES = {
  /** Tag globs: each is tried on each of an event's 20 tags. */
  tags: { path: '/*', tag: Array.from({ length: 7 }, () => SEARCHING) },
  /** Path globs over a 2,000-character path. */
  path: { path: `/${SEARCHING}` },
  /** URL globs, tried on the page and the file. */
  url: { path: '/*', url: SEARCHING },
} as const;

export type CostlyShape = keyof typeof COSTLY_SHAPES;

/** As many rules of one shape as the budget allows. */
export function costliestRules(shape: CostlyShape) {
  const match = COSTLY_SHAPES[shape];
  const count = Math.min(200, Math.floor(MATCH_BUDGET / ruleMatchCost(match)));
  return {
    mql: { threshold: 100 },
    rules: Array.from({ length: count }, (_, index) => ({
      id: `costly-${index}`,
      on: 'page_view',
      match,
      points: 1,
    })),
  };
}

/** A page view at the protocol's limits on which every costly glob scans to the end. */
export function costliestPageView(): { type: 'page_view'; url: string; tags: string[] } {
  const origin = 'https://acme.test/';
  return {
    type: 'page_view',
    url: `${origin}${'a'.repeat(LIMITS.maxUrlLength - origin.length)}`,
    tags: Array.from(
      { length: LIMITS.maxTagsPerEvent },
      (_, index) => `${'a'.repeat(LIMITS.maxTagLength - 2)}${String(index).padStart(2, '0')}`,
    ),
  };
}
