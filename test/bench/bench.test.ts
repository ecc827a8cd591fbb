import { describe, expect, it } from 'vitest';
import { runBench } from './run-bench.ts';

// Timing belongs to `pnpm bench`: this only proves the bench runs end to end on a tiny load and
// that its verification finds every acknowledged event stored exactly once.
describe('pnpm bench --quick on PGlite', () => {
  it('runs every measurement and loses or duplicates no acknowledged event', async () => {
    const result = await runBench({ kind: 'pglite', quick: true });
    const loads = [...result.ingest, result.atEightyPercent].filter((s) => s !== null);
    expect(loads.length).toBeGreaterThan(0);
    for (const step of loads) {
      expect(step.verification?.expected).toBeGreaterThan(0);
      expect(step.verification).toMatchObject({ lost: 0, duplicated: 0, storedOfRefused: 0, ok: true });
    }
    // Overload may refuse every batch on a busy machine: what counts is that it answered and
    // that nothing it refused was stored.
    const overload = result.overload;
    expect(Object.values(overload?.statuses ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(overload?.verification).toMatchObject({ lost: 0, duplicated: 0, storedOfRefused: 0, ok: true });
    expect(result.verified).toBe(true);
    expect(result.ceilings.rawInsert.events).toBeGreaterThan(0);
    expect(result.ceilings.bareHttp.statuses['200']).toBeGreaterThan(0);
    expect(result.rescore.events).toBe(5_000);
  }, 300_000);
});
