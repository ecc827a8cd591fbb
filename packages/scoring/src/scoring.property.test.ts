import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, emptyScoreState } from './accumulator.ts';
import { decayFactor } from './decay.ts';
import { matchRule } from './match-rule.ts';
import { evaluateMql } from './mql.ts';
import type { ScoringRules } from './parse-rules.ts';
import { readScore } from './read-score.ts';
import type { ScoringRulesInput } from './rules-schema.ts';
import type { ScorableEvent } from './scorable-event.ts';
import { scoreEvents } from './score-events.ts';
import { DAY, HOUR, rulesFrom, T0 } from './test-helpers.ts';

type RuleInput = ScoringRulesInput['rules'][number];

const targetArb = fc.constantFrom<Pick<RuleInput, 'on' | 'match'>>(
  { on: 'page_view', match: { path: '/pricing*' } },
  { on: 'page_view', match: { path: '/careers*' } },
  { on: 'page_view' },
  { on: 'form_submit', match: { form: 'demo' } },
);

const ruleArb = fc
  .record({
    target: targetArb,
    points: fc.integer({ min: -50, max: 50 }).filter((points) => points !== 0),
    halfLife: fc.option(fc.constantFrom('1h', '12h', '7d', '30d'), { nil: undefined }),
    limit: fc.option(
      fc.record({ count: fc.integer({ min: 1, max: 4 }), per: fc.constantFrom('1h', '6h', '1d', '1w') }),
      { nil: undefined },
    ),
    max: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  })
  .map(({ target, points, halfLife, limit, max }) => {
    const rule: Omit<RuleInput, 'id'> = { ...target, points };
    if (halfLife) rule.halfLife = halfLife;
    if (limit) rule.limit = limit;
    if (max) rule.max = max;
    return rule;
  });

const rulesArb = fc
  .record({
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 5 }),
    maxScore: fc.option(fc.integer({ min: 100, max: 400 }), { nil: undefined }),
  })
  .map(({ rules, maxScore }) => {
    const input: ScoringRulesInput = {
      halfLife: '3d',
      mql: { threshold: 100 },
      rules: rules.map((rule, index) => ({ ...rule, id: `r${index}` })),
    };
    if (maxScore) input.maxScore = maxScore;
    return rulesFrom(input);
  });

// Events within 7 days, as the collector clamps them; a coarse grid makes ties and full windows common.
const tsArb = fc.oneof(
  fc.integer({ min: 0, max: 7 * DAY }),
  fc.integer({ min: 0, max: 40 }).map((i) => i * HOUR),
);
const eventArb: fc.Arbitrary<ScorableEvent> = fc.oneof(
  fc.record({
    type: fc.constant('page_view' as const),
    ts: tsArb.map((offset) => T0 + offset),
    path: fc.constantFrom('/pricing', '/pricing/enterprise', '/careers', '/blog'),
  }),
  fc.record({
    type: fc.constant('form_submit' as const),
    ts: tsArb.map((offset) => T0 + offset),
    form: fc.constant('demo'),
  }),
);

/** Events and the same events in another order. */
const shuffledEventsArb = fc
  .array(eventArb, { maxLength: 60 })
  .chain((events) =>
    fc.tuple(
      fc.constant(events),
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    ),
  );

/** The definition, computed the slow way: per rule, the earliest `count` events of each window, decayed. */
function scoreNaively(rules: ScoringRules, events: readonly ScorableEvent[], at: number) {
  let total = 0;
  const perRule = rules.rules.map((rule) => {
    const matched = events
      .filter((event) => event.ts <= at && matchRule(rule, event))
      .sort((a, b) => a.ts - b.ts);
    const perWindow = new Map<number, number>();
    const counted = matched.filter((event) => {
      if (!rule.limit) return true;
      const window = Math.floor(event.ts / rule.limit.perMs);
      const seen = perWindow.get(window) ?? 0;
      perWindow.set(window, seen + 1);
      return seen < rule.limit.count;
    });
    const decayOf = (event: ScorableEvent) => rule.points * decayFactor(at - event.ts, rule.halfLifeMs);
    const decayed = counted.reduce((sum, event) => sum + decayOf(event), 0);
    const contribution =
      rule.max !== null && Math.abs(decayed) > rule.max ? Math.sign(decayed) * rule.max : decayed;
    total += contribution;
    const magnitude = matched.reduce((sum, event) => sum + Math.abs(decayOf(event)), 0);
    return {
      ruleId: rule.id,
      events: counted.length,
      cappedEvents: matched.length - counted.length,
      contribution,
      magnitude,
    };
  });
  return { perRule, total };
}

function applyAll(rules: ScoringRules, events: readonly ScorableEvent[]) {
  const state = emptyScoreState();
  for (const event of events) applyEvent(rules, state, event);
  return state;
}

describe('incremental scoring', () => {
  it('equals full recomputation from the definition, for any arrival order', () => {
    fc.assert(
      fc.property(
        rulesArb,
        shuffledEventsArb,
        fc.integer({ min: 0, max: 60 * DAY }),
        (rules, [events, shuffled], later) => {
          const state = applyAll(rules, shuffled);
          const at = (state.lastEventAt ?? T0) + later;
          const reading = readScore(rules, state, at);
          const expected = scoreNaively(rules, events, at);
          let tolerance = 1e-300;
          for (const rule of expected.perRule) {
            const actual = reading.breakdown.find((entry) => entry.ruleId === rule.ruleId);
            const ruleTolerance = 1e-9 * rule.magnitude + 1e-300;
            tolerance += ruleTolerance;
            expect(actual?.events ?? 0).toBe(rule.events);
            expect(actual?.cappedEvents ?? 0).toBe(rule.cappedEvents);
            expect(Math.abs((actual?.decayedPoints ?? 0) - rule.contribution)).toBeLessThanOrEqual(
              ruleTolerance,
            );
          }
          expect(Math.abs(reading.total - expected.total)).toBeLessThanOrEqual(tolerance);
          expect(reading.score).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same reading as sorted recomputation with scoreEvents', () => {
    fc.assert(
      fc.property(rulesArb, shuffledEventsArb, (rules, [events, shuffled]) => {
        const incremental = readScore(rules, applyAll(rules, shuffled), T0 + 8 * DAY);
        const full = readScore(rules, scoreEvents(rules, events), T0 + 8 * DAY);
        expect(
          incremental.breakdown.map((rule) => [rule.ruleId, rule.events, rule.rawPoints, rule.cappedEvents]),
        ).toEqual(
          full.breakdown.map((rule) => [rule.ruleId, rule.events, rule.rawPoints, rule.cappedEvents]),
        );
        expect(incremental.score).toBeCloseTo(full.score, 6);
      }),
    );
  });

  it('never counts more than `count` events of a limited rule in one window', () => {
    fc.assert(
      fc.property(rulesArb, shuffledEventsArb, (rules, [, shuffled]) => {
        const state = applyAll(rules, shuffled);
        for (const rule of rules.rules) {
          const windows = state.rules[rule.id]?.windows;
          if (!rule.limit || !windows) continue;
          for (const [window, times] of Object.entries(windows)) {
            expect(times.length).toBeLessThanOrEqual(rule.limit.count);
            for (const ts of times) expect(Math.floor(ts / rule.limit.perMs)).toBe(Number(window));
          }
        }
      }),
    );
  });

  it('never lets a rule exceed its max, nor the score exceed maxScore or fall below zero', () => {
    fc.assert(
      fc.property(
        rulesArb,
        shuffledEventsArb,
        fc.integer({ min: 0, max: 30 * DAY }),
        (rules, [, shuffled], later) => {
          const state = applyAll(rules, shuffled);
          const reading = readScore(rules, state, (state.lastEventAt ?? T0) + later);
          for (const entry of reading.breakdown) {
            const max = rules.rules.find((rule) => rule.id === entry.ruleId)?.max;
            if (max != null) expect(Math.abs(entry.decayedPoints)).toBeLessThanOrEqual(max);
          }
          expect(reading.score).toBeGreaterThanOrEqual(0);
          if (rules.maxScore !== null) expect(reading.score).toBeLessThanOrEqual(rules.maxScore);
        },
      ),
    );
  });
});

describe('decay', () => {
  it('halves the total with every half-life', () => {
    const halfLifeArb = fc.constantFrom('1h', '12h', '3d', '30d', '90d');
    fc.assert(
      fc.property(
        halfLifeArb,
        fc.array(eventArb, { maxLength: 30 }),
        fc.integer({ min: 0, max: 30 * DAY }),
        (halfLife, events, later) => {
          const rules = rulesFrom({
            halfLife,
            mql: { threshold: 100 },
            rules: [
              { id: 'pricing', on: 'page_view', match: { path: '/pricing*' }, points: 15 },
              { id: 'careers', on: 'page_view', match: { path: '/careers*' }, points: -30 },
              { id: 'demo', on: 'form_submit', points: 40 },
            ],
          });
          const state = scoreEvents(rules, events);
          const at = (state.lastEventAt ?? T0) + later;
          const now = readScore(rules, state, at).total;
          const oneHalfLifeLater = readScore(rules, state, at + rules.halfLifeMs).total;
          expect(oneHalfLifeLater).toBeCloseTo(now / 2, 9);
        },
      ),
    );
  });
});

describe('MQL hysteresis', () => {
  it('never flips the flag while the score stays between the exit threshold and the threshold', () => {
    const settingsArb = fc
      .tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }))
      .map(([a, b]) => ({ threshold: Math.max(a, b), exitThreshold: Math.min(a, b) }));
    fc.assert(
      fc.property(
        settingsArb,
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true })),
        (mql, start, shares) => {
          const rules = rulesFrom({ mql: { ...mql, requireEmail: false }, rules: [] });
          let wasMql = start;
          for (const share of shares) {
            const score = Math.min(
              mql.exitThreshold + share * (mql.threshold - mql.exitThreshold),
              mql.threshold - 1e-9,
            );
            if (score < mql.exitThreshold) continue;
            wasMql = evaluateMql(rules, { score, email: null, wasMql }).mql;
            expect(wasMql).toBe(start);
          }
        },
      ),
    );
  });
});
