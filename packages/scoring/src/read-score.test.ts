import { describe, expect, it } from 'vitest';
import { applyEvent, emptyScoreState } from './accumulator.ts';
import { readScore } from './read-score.ts';
import type { ScoringRulesInput } from './rules-schema.ts';
import type { ScorableEvent } from './scorable-event.ts';
import { scoreEvents, scoreEventsAt } from './score-events.ts';
import { DAY, HOUR, pageView, rulesFrom, T0 } from './test-helpers.ts';

const base: ScoringRulesInput = {
  halfLife: '30d',
  mql: { threshold: 100 },
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
    { id: 'demo', on: 'form_submit', match: { form: 'demo*' }, points: 40, max: 50 },
  ],
};
const rules = rulesFrom(base);
const download = (ts: number): ScorableEvent => ({
  type: 'download',
  ts,
  href: 'https://acme.test/g.pdf',
  tags: ['whitepaper'],
});
const demo = (ts: number): ScorableEvent => ({ type: 'form_submit', ts, form: 'demo-request' });
const ruleOf = (reading: ReturnType<typeof readScore>, id: string) =>
  reading.breakdown.find((rule) => rule.ruleId === id);

describe('readScore', () => {
  it('is zero for a lead without events', () => {
    expect(readScore(rules, emptyScoreState(), T0)).toEqual({
      at: T0,
      score: 0,
      total: 0,
      maxScoreHit: false,
      breakdown: [],
    });
  });

  it('gives full points at the instant of the event and half after one half-life', () => {
    const state = scoreEvents(rules, [pageView('/pricing', T0)]);
    expect(readScore(rules, state, T0).score).toBe(15);
    expect(readScore(rules, state, T0 + 30 * DAY).score).toBeCloseTo(7.5, 12);
    expect(readScore(rules, state, T0 + 60 * DAY).score).toBeCloseTo(3.75, 12);
  });

  it('decays each rule with its own half-life', () => {
    const state = scoreEvents(rules, [pageView('/pricing', T0), download(T0)]);
    const reading = readScore(rules, state, T0 + 60 * DAY);
    expect(ruleOf(reading, 'pricing')?.decayedPoints).toBeCloseTo(3.75, 12);
    expect(ruleOf(reading, 'whitepaper')?.decayedPoints).toBeCloseTo(12.5, 12);
    expect(reading.score).toBeCloseTo(16.25, 12);
  });

  it('subtracts negative points and floors the score at zero, keeping the negative total', () => {
    const state = scoreEvents(rules, [pageView('/pricing', T0), pageView('/careers', T0 + HOUR)]);
    const reading = readScore(rules, state, T0 + HOUR);
    expect(reading.total).toBeCloseTo(15 * 2 ** (-1 / 720) - 30, 9);
    expect(reading.score).toBe(0);
    expect(ruleOf(reading, 'careers')).toMatchObject({ events: 1, rawPoints: -30, decayedPoints: -30 });
  });

  it('explains a limit: the first events of the window score, the rest are listed as capped', () => {
    const views = [0, 1, 2, 3, 4].map((i) => pageView('/pricing', T0 + i * HOUR));
    const state = scoreEvents(rules, views);
    const reading = readScore(rules, state, T0 + 4 * HOUR);
    expect(ruleOf(reading, 'pricing')).toMatchObject({
      events: 3,
      rawPoints: 45,
      cappedEvents: 2,
      capped: false,
    });
    const expected = [4, 3, 2].reduce((sum, hoursAgo) => sum + 15 * 2 ** (-hoursAgo / (30 * 24)), 0);
    expect(reading.score).toBeCloseTo(expected, 9);
  });

  it('opens a new limit window each UTC day', () => {
    const views = [0, 1, 2, 3].flatMap((day) =>
      [0, 1, 2, 3].map((h) => pageView('/pricing', T0 + day * DAY + h * HOUR)),
    );
    const state = scoreEvents(rules, views);
    expect(ruleOf(readScore(rules, state, T0 + 4 * DAY), 'pricing')).toMatchObject({
      events: 12,
      cappedEvents: 4,
    });
  });

  it("caps a rule's decayed contribution at its max and says so", () => {
    const state = scoreEvents(rules, [demo(T0), demo(T0 + HOUR)]);
    const now = readScore(rules, state, T0 + HOUR);
    expect(ruleOf(now, 'demo')).toMatchObject({ events: 2, rawPoints: 80, decayedPoints: 50, capped: true });
    const later = readScore(rules, state, T0 + 30 * DAY);
    expect(ruleOf(later, 'demo')?.capped).toBe(false);
    expect(ruleOf(later, 'demo')?.decayedPoints).toBeCloseTo(20 + 20 * 2 ** (1 / 720), 9);
  });

  it('caps negative rules by the size of what they take away', () => {
    const capped = rulesFrom({
      ...base,
      rules: [{ id: 'careers', on: 'page_view', match: { path: '/careers*' }, points: -30, max: 45 }],
    });
    const state = scoreEvents(capped, [pageView('/careers', T0), pageView('/careers', T0)]);
    expect(readScore(capped, state, T0).breakdown[0]).toMatchObject({ decayedPoints: -45, capped: true });
  });

  it('caps the total at maxScore', () => {
    const capped = rulesFrom({ ...base, maxScore: 100 });
    const state = scoreEvents(capped, [demo(T0), download(T0), download(T0), download(T0), download(T0)]);
    const reading = readScore(capped, state, T0);
    expect(reading).toMatchObject({ score: 100, total: 140, maxScoreHit: true });
  });

  it('refuses to read before the last event, which only a recomputation can leave out', () => {
    const state = scoreEvents(rules, [pageView('/pricing', T0 + DAY)]);
    expect(() => readScore(rules, state, T0)).toThrow(/use scoreEventsAt/);
  });

  it('ignores state of rules that are no longer in the rule set', () => {
    const state = scoreEvents(rules, [download(T0)]);
    const without = rulesFrom({ ...base, rules: base.rules.filter((rule) => rule.id !== 'whitepaper') });
    expect(readScore(without, state, T0)).toMatchObject({ score: 0, breakdown: [] });
  });
});

describe('scoreEventsAt', () => {
  const events = [pageView('/pricing', T0), download(T0 + 10 * DAY), demo(T0 + 20 * DAY)];

  it('leaves out events after the instant asked for', () => {
    const reading = scoreEventsAt(rules, events, T0 + 15 * DAY);
    expect(reading.breakdown.map((rule) => rule.ruleId)).toEqual(['pricing', 'whitepaper']);
    expect(reading.score).toBeCloseTo(15 * 2 ** -0.5 + 25 * 2 ** (-5 / 60), 9);
  });

  it('agrees with the incremental state at and after the last event', () => {
    const recent = [pageView('/pricing', T0), download(T0 + 3 * DAY), demo(T0 + 6 * DAY)];
    const state = emptyScoreState();
    for (const event of [...recent].reverse()) applyEvent(rules, state, event);
    for (const at of [T0 + 6 * DAY, T0 + 100 * DAY]) {
      expect(scoreEventsAt(rules, recent, at).score).toBeCloseTo(readScore(rules, state, at).score, 9);
    }
  });

  it('counts an event at exactly the instant asked for', () => {
    expect(scoreEventsAt(rules, events, T0).score).toBe(15);
    expect(scoreEventsAt(rules, events, T0 - 1).score).toBe(0);
  });
});
