import { describe, expect, it } from 'vitest';
import { reportedSteps, runBench } from './run-bench.ts';

// Timing belongs to `pnpm bench`: this only proves the bench runs end to end on a tiny load and
// that its verification finds every acknowledged event stored exactly once. On a busy machine a
// short step may see few or no answers in time, so acknowledgements are counted over all steps.
describe('pnpm bench --quick on PGlite', () => {
  it('runs every measurement and loses or duplicates no acknowledged event', async () => {
    const result = await runBench({ kind: 'pglite', quick: true });
    const steps = reportedSteps(result);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.verification).toMatchObject({ lost: 0, duplicated: 0, storedOfRefused: 0, ok: true });
      // The generator reports what it took from the machine: some CPU, about a core at most (its GC
      // threads can add a little).
      expect(step.generatorCpuPercent).toBeGreaterThan(0);
      expect(step.generatorCpuPercent).toBeLessThan(150);
    }
    const acknowledged = steps.reduce((sum, step) => sum + (step.verification?.expected ?? 0), 0);
    expect(acknowledged).toBeGreaterThan(0);
    expect(result.verified).toBe(true);
    expect(result.ceilings.rawInsert.events).toBeGreaterThan(0);
    expect(result.ceilings.bareHttp.statuses['200']).toBeGreaterThan(0);
    expect(result.rescore.events).toBe(5_000);
    expect(result.rescore.firstScoring.eventsPerSecond).toBeGreaterThan(0);
  }, 300_000);
});
