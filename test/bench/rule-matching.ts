/**
 * What a site's rules can cost the collector per event, measured in process (matching is pure):
 * random schema-valid globs on random URLs (time per match), and the costliest rule sets the
 * schema allows on the costliest event (time per event, all rules).
 */
import { LIMITS } from '@leadbeam/protocol';
import {
  checkGlob,
  compileGlob,
  GLOB_LIMITS,
  matchRule,
  parseScoringRules,
  type ScorableEvent,
} from '@leadbeam/scoring';
import fc from 'fast-check';
import { COSTLY_SHAPES, type CostlyShape, costliestPageView, costliestRules } from './costliest-rules.ts';
import { percentile } from './stats.ts';

export type Spread = { p50: number; p99: number; max: number; samples: number };
export type RuleMatchingFigures = {
  /** Microseconds per match of one random glob on one random URL. */
  randomGlobUs: Spread;
  /** Milliseconds per event under the costliest rule set of each shape. */
  costliest: { shape: CostlyShape; rules: number; perEventMs: Spread }[];
};

const spread = (values: number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    samples: sorted.length,
  };
};

/** Globs of the characters URLs are made of, up to the schema's length and wildcards. */
const globArbitrary = fc
  .string({ unit: fc.constantFrom('a', 'b', '/', '.', '-', '*', '*', '*'), maxLength: GLOB_LIMITS.maxLength })
  .filter((glob) => glob.length > 0 && checkGlob(glob) === null);
const urlArbitrary = fc
  .string({ unit: fc.constantFrom('a', 'b', '/', '.', '-'), maxLength: LIMITS.maxUrlLength - 20 })
  .map((path) => `https://acme.test/${path}`);

export function measureRuleMatching(quick: boolean): RuleMatchingFigures {
  const pairs = fc.sample(fc.tuple(globArbitrary, urlArbitrary), { numRuns: quick ? 200 : 5_000, seed: 42 });
  const repeats = 20;
  const perMatch = pairs.map(([pattern, url]) => {
    const glob = compileGlob(pattern);
    const started = performance.now();
    for (let i = 0; i < repeats; i++) glob.test(url);
    return ((performance.now() - started) * 1000) / repeats;
  });

  const event = costliestPageView();
  const scorable: ScorableEvent = {
    type: 'page_view',
    ts: 0,
    url: event.url,
    path: new URL(event.url).pathname,
    tags: event.tags,
  };
  const costliest = (Object.keys(COSTLY_SHAPES) as CostlyShape[]).map((shape) => {
    const parsed = parseScoringRules(costliestRules(shape));
    if (!parsed.ok)
      throw new Error(`the costliest ${shape} rules do not parse: ${parsed.issues[0]?.message}`);
    const rules = parsed.rules.rulesByType.page_view;
    const perEvent: number[] = [];
    for (let i = 0; i < (quick ? 20 : 300); i++) {
      const started = performance.now();
      for (const rule of rules) matchRule(rule, scorable);
      perEvent.push(performance.now() - started);
    }
    return { shape, rules: rules.length, perEventMs: spread(perEvent) };
  });
  return { randomGlobUs: spread(perMatch), costliest };
}
