import { describe, expect, it } from 'vitest';
import { applyEvent, cloneScoreState, emptyScoreState } from './accumulator.ts';
import { LIMIT_WINDOW_HORIZON_MS } from './limit-windows.ts';
import { readScore } from './read-score.ts';
import { DAY, HOUR, pageView, rulesFrom, T0 } from './test-helpers.ts';

const rules = rulesFrom({
  mql: { threshold: 100 },
  rules: [
    {
      id: 'pricing',
      on: 'page_view',
      match: { path: '/pricing*' },
      points: 15,
      limit: { count: 2, per: '1d' },
    },
    { id: 'any-page', on: 'page_view', points: 1 },
    { id: 'demo', on: 'form_submit', points: 40 },
  ],
});

describe('applyEvent', () => {
  it('updates the state it is given and lists what each matching rule did', () => {
    const state = emptyScoreState();
    const result = applyEvent(rules, state, pageView('/pricing', T0));
    expect(result.state).toBe(state);
    expect(result.effects).toEqual([
      { ruleId: 'pricing', outcome: 'scored' },
      { ruleId: 'any-page', outcome: 'scored' },
    ]);
    expect(state.lastEventAt).toBe(T0);
    expect(state.rules.pricing).toMatchObject({
      value: 15,
      anchor: T0,
      events: 1,
      rawPoints: 15,
      cappedEvents: 0,
    });
  });

  it('records the time of events that match no rule, and reports no effects', () => {
    const state = emptyScoreState();
    const { effects } = applyEvent(rules, state, { type: 'track', ts: T0 + DAY, name: 'x' });
    expect(effects).toEqual([]);
    expect(state).toEqual({ version: 1, lastEventAt: T0 + DAY, rules: {} });
  });

  it('reports events over the limit as limited', () => {
    const state = emptyScoreState();
    applyEvent(rules, state, pageView('/pricing', T0));
    applyEvent(rules, state, pageView('/pricing', T0 + HOUR));
    const { effects } = applyEvent(rules, state, pageView('/pricing', T0 + 2 * HOUR));
    expect(effects[0]).toEqual({ ruleId: 'pricing', outcome: 'limited' });
    expect(state.rules.pricing).toMatchObject({ events: 2, rawPoints: 30, cappedEvents: 1 });
  });

  it('lets an earlier event that arrives late take the place of the latest one in a full window', () => {
    const state = emptyScoreState();
    applyEvent(rules, state, pageView('/pricing', T0 + 2 * HOUR));
    applyEvent(rules, state, pageView('/pricing', T0 + 3 * HOUR));
    const { effects } = applyEvent(rules, state, pageView('/pricing', T0 + HOUR));
    expect(effects[0]).toEqual({ ruleId: 'pricing', outcome: 'scored', displacedTs: T0 + 3 * HOUR });
    expect(state.rules.pricing).toMatchObject({
      events: 2,
      cappedEvents: 1,
      windows: { [T0 / DAY]: [T0 + HOUR, T0 + 2 * HOUR] },
    });
    const expected = 15 * 2 ** (-2 / 720) + 15 * 2 ** (-1 / 720);
    expect(readScore(rules, state, T0 + 3 * HOUR).breakdown[0]?.decayedPoints).toBeCloseTo(expected, 12);
  });

  it('counts an event in a window older than the horizon as late, never as scored', () => {
    const state = emptyScoreState();
    applyEvent(rules, state, pageView('/blog', T0 + 10 * DAY));
    const { effects } = applyEvent(rules, state, pageView('/pricing', T0));
    expect(effects[0]).toEqual({ ruleId: 'pricing', outcome: 'late' });
    expect(state.rules.pricing).toMatchObject({ value: 0, events: 0, cappedEvents: 1 });
  });

  it('keeps limit windows bounded however many events a lead has', () => {
    const state = emptyScoreState();
    for (let i = 0; i < 10_000; i += 1) applyEvent(rules, state, pageView('/pricing', T0 + i * 10 * 60_000));
    const windows = Object.values(state.rules.pricing?.windows ?? {});
    expect(windows.length).toBeLessThanOrEqual(LIMIT_WINDOW_HORIZON_MS / DAY + 2);
    expect(windows.every((times) => times.length <= 2)).toBe(true);
    expect(state.rules.pricing).toMatchObject({ events: 2 * 70, cappedEvents: 10_000 - 140 });
  });

  it('works on a state that went through JSON, as stored in the database', () => {
    const events = [
      pageView('/pricing', T0),
      pageView('/pricing', T0 + 2 * HOUR),
      pageView('/pricing', T0 + 3 * HOUR),
    ];
    const direct = emptyScoreState();
    for (const event of events) applyEvent(rules, direct, event);
    let stored = JSON.stringify(emptyScoreState());
    for (const event of events) stored = JSON.stringify(applyEvent(rules, JSON.parse(stored), event).state);
    applyEvent(rules, direct, pageView('/pricing', T0 + HOUR));
    const revived = applyEvent(rules, JSON.parse(stored), pageView('/pricing', T0 + HOUR)).state;
    expect(revived).toEqual(direct);
  });

  it('leaves a clone untouched', () => {
    const state = emptyScoreState();
    applyEvent(rules, state, pageView('/pricing', T0));
    const before = cloneScoreState(state);
    applyEvent(rules, state, pageView('/pricing', T0 + HOUR));
    expect(before.rules.pricing?.events).toBe(1);
    expect(state.rules.pricing?.events).toBe(2);
  });

  it('keeps rules named like Object.prototype members apart from them', () => {
    const tricky = rulesFrom({
      mql: { threshold: 10 },
      rules: [{ id: 'constructor', on: 'page_view', points: 5 }],
    });
    const state = emptyScoreState();
    expect(readScore(tricky, state, T0).score).toBe(0);
    applyEvent(tricky, state, pageView('/', T0));
    expect(readScore(tricky, state, T0).score).toBe(5);
  });

  it('refuses an event time that is not a finite number', () => {
    expect(() => applyEvent(rules, emptyScoreState(), pageView('/pricing', Number.NaN))).toThrow(RangeError);
  });
});
