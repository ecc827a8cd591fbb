import { describe, expect, it } from 'vitest';
import { runConcurrently } from './run-concurrently.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runConcurrently', () => {
  it('works on every item once, never more than `concurrency` at a time, starting them in order', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const items = Array.from({ length: 20 }, (_, i) => i);
    await runConcurrently(items, 3, async (item) => {
      started.push(item);
      running++;
      most = Math.max(most, running);
      for (let i = 0; i < 1 + (item % 4); i++) await tick();
      running--;
    });
    expect(started).toEqual(items);
    expect(most).toBe(3);
  });

  it('runs one at a time with concurrency 1', async () => {
    const log: string[] = [];
    await runConcurrently([1, 2, 3], 1, async (item) => {
      log.push(`start ${item}`);
      await tick();
      log.push(`end ${item}`);
    });
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('starts nothing after a failure, waits for the running ones, then throws the failure', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const run = runConcurrently([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('page 2 failed');
      await tick();
      await tick();
      finished.push(item);
    });
    await expect(run).rejects.toThrow('page 2 failed');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([1]);
  });

  it('does nothing with no items', async () => {
    await runConcurrently([], 3, async () => {
      throw new Error('never called');
    });
  });
});
