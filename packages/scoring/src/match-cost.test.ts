import { describe, expect, it } from 'vitest';
import { globCost } from './glob.ts';
import { MATCH_BUDGET, ruleMatchCost } from './match-cost.ts';
import { parseScoringRules } from './parse-rules.ts';

const searching = `/${'*a'.repeat(14)}*c*`;
const mql = { threshold: 100 };

describe('globCost', () => {
  it('charges only the literal ends of an anchored glob', () => {
    expect(globCost('/pricing*', 2048)).toBe(8);
    expect(globCost('*.pdf', 2048)).toBe(4);
    expect(globCost('https://acme.test/*/thanks', 2048)).toBe(25);
  });

  it('charges the whole value for a glob that searches between wildcards', () => {
    expect(globCost('/blog/*/pricing*', 2048)).toBe(2048 + 16);
  });
});

describe('the match budget', () => {
  it('counts a url criterion twice (page and file) and a tag glob once per possible tag', () => {
    expect(ruleMatchCost({ url: '*x*' })).toBe(2 * (2048 + 3));
    expect(ruleMatchCost({ tag: ['*x*', 'pricing'] })).toBe(20 * (64 + 3) + 20 * 7);
  });

  it('accepts the demo-sized rule sets marketers write', () => {
    const rules = Array.from({ length: 200 }, (_, index) => ({
      id: `page-${index}`,
      on: 'page_view',
      match: { path: `/section-${index}/*`, tag: ['pricing', 'high-intent*'] },
      points: 5,
    }));
    expect(parseScoringRules({ mql, rules }).ok).toBe(true);
  });

  it('refuses rules of one event type that could scan too much of each event, naming the costliest', () => {
    const rules = Array.from({ length: 80 }, (_, index) => ({
      id: `search-${index}`,
      on: 'page_view',
      match: { path: searching },
      points: 1,
    }));
    const result = parseScoringRules({ mql, rules });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.path).toBe('rules');
    expect(result.issues[0]?.message).toMatch(
      /^the page_view rules may look at 166,400 characters of each event, more than 150,000: .* costliest: rules\.0 \(2,080\), rules\.1 \(2,080\), rules\.2 \(2,080\)$/,
    );
  });

  it('budgets each event type on its own', () => {
    const rules = ['page_view', 'download'].flatMap((on) =>
      Array.from({ length: 70 }, (_, index) => ({
        id: `${on}-${index}`,
        on,
        match: { path: searching },
        points: 1,
      })),
    );
    expect(70 * ruleMatchCost({ path: searching })).toBeLessThanOrEqual(MATCH_BUDGET);
    expect(parseScoringRules({ mql, rules }).ok).toBe(true);
  });
});
