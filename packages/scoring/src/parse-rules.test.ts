import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_SCORING_RULES } from './default-rules.ts';
import { parseScoringRules } from './parse-rules.ts';
import { scoringRulesSchema } from './rules-schema.ts';

const valid = {
  halfLife: '30d',
  mql: { threshold: 100, exitThreshold: 70, excludeEmailDomains: ['gmail.com'] },
  rules: [
    {
      id: 'pricing',
      on: 'page_view',
      match: { path: '/pricing*' },
      points: 15,
      limit: { count: 3, per: '1d' },
    },
    { id: 'whitepaper', on: 'download', match: { tag: 'whitepaper' }, points: 25, halfLife: '60d' },
    { id: 'careers', on: 'page_view', match: { path: '/careers*' }, points: -30 },
  ],
};

function issuesOf(input: unknown) {
  const result = parseScoringRules(input);
  if (result.ok) throw new Error('expected the rules to be refused');
  return result.issues;
}

describe('parseScoringRules', () => {
  it('compiles durations to ms and fills in defaults', () => {
    const result = parseScoringRules(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [pricing, whitepaper] = result.rules.rules;
    expect(result.rules.halfLifeMs).toBe(30 * 86_400_000);
    expect(pricing?.halfLifeMs).toBe(30 * 86_400_000);
    expect(pricing?.limit).toEqual({ count: 3, perMs: 86_400_000 });
    expect(whitepaper?.halfLifeMs).toBe(60 * 86_400_000);
    expect(result.rules.mql).toEqual({
      threshold: 100,
      exitThreshold: 70,
      requireEmail: true,
      excludeEmailDomains: ['gmail.com'],
    });
    expect(result.rules.maxScore).toBeNull();
  });

  it('defaults the exit threshold to the threshold and the half-life to 30 days', () => {
    const result = parseScoringRules({ mql: { threshold: 50 }, rules: [] });
    expect(result.ok && result.rules.mql.exitThreshold).toBe(50);
    expect(result.ok && result.rules.halfLifeMs).toBe(30 * 86_400_000);
  });

  it('groups rules by event type in rule order', () => {
    const result = parseScoringRules(valid);
    if (!result.ok) throw new Error('valid rules refused');
    expect(result.rules.rulesByType.page_view.map((rule) => rule.id)).toEqual(['pricing', 'careers']);
    expect(result.rules.rulesByType.identify).toEqual([]);
  });

  it('keeps the validated JSON as `source`, for storing and showing', () => {
    const result = parseScoringRules(valid);
    if (!result.ok) throw new Error('valid rules refused');
    expect(JSON.parse(JSON.stringify(result.rules.source))).toEqual({
      ...valid,
      mql: { ...valid.mql, requireEmail: true },
    });
  });

  it('names the path of a bad duration', () => {
    const input = structuredClone(valid);
    (input.rules[1] as { halfLife: string }).halfLife = '60 days';
    expect(issuesOf(input)).toEqual([
      { path: 'rules.1.halfLife', message: expect.stringMatching(/must be a duration like "30d"/) },
    ]);
  });

  it('refuses half-lives and limit windows out of bounds', () => {
    const input = structuredClone(valid);
    input.halfLife = '5s';
    (input.rules[0] as { limit: { per: string } }).limit.per = '1y';
    expect(issuesOf(input)).toEqual([
      { path: 'halfLife', message: 'must be at least 1m, got "5s"' },
      { path: 'rules.0.limit.per', message: expect.stringMatching(/must be a duration/) },
    ]);
  });

  it('refuses duplicate rule ids, pointing at the second', () => {
    const input = structuredClone(valid);
    (input.rules[2] as { id: string }).id = 'pricing';
    expect(issuesOf(input)).toEqual([
      { path: 'rules.2.id', message: 'duplicate rule id "pricing" (already used by rules.0)' },
    ]);
  });

  it('refuses zero, infinite and huge points', () => {
    for (const points of [0, Number.POSITIVE_INFINITY, 1e9, Number.NaN]) {
      const input = structuredClone(valid);
      (input.rules[0] as { points: number }).points = points;
      expect(issuesOf(input).map((issue) => issue.path)).toEqual(['rules.0.points']);
    }
  });

  it('refuses an exit threshold above the threshold', () => {
    expect(issuesOf({ ...valid, mql: { threshold: 50, exitThreshold: 80 } })).toEqual([
      { path: 'mql.exitThreshold', message: 'must not exceed threshold (50), got 80' },
    ]);
  });

  it('refuses a maxScore below the threshold, since nobody could qualify', () => {
    expect(issuesOf({ ...valid, maxScore: 60 }).map((issue) => issue.path)).toEqual(['maxScore']);
  });

  it('refuses unknown keys, catching typos', () => {
    const issues = issuesOf({ ...valid, mql: { treshold: 100 } });
    expect(issues.map((issue) => issue.path)).toEqual(['mql.threshold', 'mql']);
    expect(issues[1]?.message).toMatch(/treshold/);
  });

  it('refuses criteria that can never match the event type', () => {
    const input = { ...valid, rules: [{ id: 'x', on: 'page_view', match: { form: 'demo' }, points: 1 }] };
    expect(issuesOf(input)).toEqual([
      {
        path: 'rules.0.match.form',
        message: '"form" never matches page_view events (it applies to form_step, form_submit)',
      },
    ]);
  });

  it('refuses unknown event types, non-slug ids and bad domains', () => {
    const input = {
      mql: { threshold: 10, excludeEmailDomains: ['@gmail'] },
      rules: [{ id: 'Pricing Page', on: 'click', points: 1 }],
    };
    expect(issuesOf(input).map((issue) => issue.path)).toEqual([
      'mql.excludeEmailDomains.0',
      'rules.0.id',
      'rules.0.on',
    ]);
  });

  it('answers non-objects with an issue instead of throwing', () => {
    expect(issuesOf(null)).toEqual([{ path: '', message: expect.any(String) }]);
    expect(issuesOf('rules')).toHaveLength(1);
  });

  it('accepts the default rule set', () => {
    const result = parseScoringRules(DEFAULT_SCORING_RULES);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});

describe('scoringRulesSchema', () => {
  it('converts to JSON Schema for the OpenAPI document', () => {
    const schema = z.toJSONSchema(scoringRulesSchema, { io: 'input' }) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(['halfLife', 'maxScore', 'mql', 'rules']);
    expect(schema.required).toEqual(['mql', 'rules']);
  });
});
