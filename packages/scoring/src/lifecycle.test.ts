import { describe, expect, it } from 'vitest';
import { applySalesOutcome, nextStage, SALES_OUTCOMES, STAGES, type Stage } from './lifecycle.ts';

const signals = (identified: boolean, wasMql: boolean, mql: boolean) => ({ identified, wasMql, mql });

describe('nextStage (scoring-driven)', () => {
  it('turns a visitor into a lead when it gives an email', () => {
    expect(nextStage('visitor', signals(true, false, false))).toEqual({
      from: 'visitor',
      to: 'lead',
      cause: 'identified',
    });
    expect(nextStage('visitor', signals(false, false, false))).toBeNull();
  });

  it('moves visitors and leads to mql while the MQL flag is set', () => {
    expect(nextStage('lead', signals(true, false, true))).toEqual({
      from: 'lead',
      to: 'mql',
      cause: 'mql_entered',
    });
    expect(nextStage('visitor', signals(true, false, true))).toEqual({
      from: 'visitor',
      to: 'mql',
      cause: 'mql_entered',
    });
    expect(nextStage('lead', signals(true, false, false))).toBeNull();
  });

  it('recycles an MQL that decays out, and requalifies a recycled lead only on a new MQL entry', () => {
    expect(nextStage('mql', signals(true, true, false))).toEqual({
      from: 'mql',
      to: 'recycled',
      cause: 'mql_left',
    });
    expect(nextStage('mql', signals(true, true, true))).toBeNull();
    expect(nextStage('recycled', signals(true, false, true))).toEqual({
      from: 'recycled',
      to: 'mql',
      cause: 'mql_entered',
    });
    expect(nextStage('recycled', signals(true, true, true))).toBeNull();
  });

  it('never changes the stages sales owns', () => {
    for (const stage of ['sal', 'sql', 'disqualified'] as const) {
      for (const mql of [true, false]) {
        for (const wasMql of [true, false]) expect(nextStage(stage, signals(true, wasMql, mql))).toBeNull();
      }
    }
  });
});

describe('applySalesOutcome', () => {
  it('accepts, qualifies, recycles and disqualifies along the funnel', () => {
    expect(applySalesOutcome('mql', 'sal')).toEqual({ ok: true, from: 'mql', stage: 'sal', changed: true });
    expect(applySalesOutcome('sal', 'sql')).toEqual({ ok: true, from: 'sal', stage: 'sql', changed: true });
    expect(applySalesOutcome('mql', 'sql')).toMatchObject({ ok: true, stage: 'sql' });
    expect(applySalesOutcome('sal', 'recycled')).toMatchObject({ ok: true, stage: 'recycled' });
    expect(applySalesOutcome('sql', 'disqualified')).toMatchObject({ ok: true, stage: 'disqualified' });
    expect(applySalesOutcome('disqualified', 'recycled')).toMatchObject({ ok: true, stage: 'recycled' });
  });

  it('accepts a repeated outcome without a change, so retries are safe', () => {
    expect(applySalesOutcome('sql', 'sql')).toEqual({ ok: true, from: 'sql', stage: 'sql', changed: false });
  });

  it('refuses outcomes for anonymous visitors and moves back down the funnel', () => {
    expect(applySalesOutcome('visitor', 'sql')).toEqual({
      ok: false,
      code: 'invalid_transition',
      message: 'a lead in stage "visitor" cannot become "sql" (allowed from: lead, mql, sal, recycled)',
    });
    expect(applySalesOutcome('sql', 'sal').ok).toBe(false);
    expect(applySalesOutcome('lead', 'recycled').ok).toBe(false);
    expect(applySalesOutcome('disqualified', 'sql').ok).toBe(false);
  });

  it('refuses every outcome from visitor and answers every pair without throwing', () => {
    for (const outcome of SALES_OUTCOMES) expect(applySalesOutcome('visitor', outcome).ok).toBe(false);
    for (const stage of STAGES as readonly Stage[]) {
      for (const outcome of SALES_OUTCOMES)
        expect(typeof applySalesOutcome(stage, outcome).ok).toBe('boolean');
    }
  });
});
