import { describe, expect, it } from 'vitest';
import { createGroupCommitter, QueueFullError } from './group-commit.ts';

describe('group commit', () => {
  it('writes requests that arrive together in one group, answering each with its own result', async () => {
    const groups: number[][] = [];
    const committer = createGroupCommitter<number, number>({
      write: async (items) => {
        groups.push(items);
        return items.map((n) => n * 10);
      },
    });
    const answers = await Promise.all([1, 2, 3].map((n) => committer.submit(n)));
    expect(answers).toEqual([10, 20, 30]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('answers nobody before the group is written', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const committer = createGroupCommitter<number, number>({
      write: async (items) => {
        await gate;
        return items;
      },
    });
    let answered = false;
    const answer = committer.submit(1).then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    release();
    await answer;
    expect(answered).toBe(true);
  });

  it('refuses at once when the queue is full instead of growing', async () => {
    const committer = createGroupCommitter<number, number>({
      write: () => new Promise(() => {}),
      maxQueue: 2,
    });
    void committer.submit(1);
    expect(committer.isFull()).toBe(false);
    void committer.submit(2);
    expect(committer.isFull()).toBe(true);
    await expect(committer.submit(3)).rejects.toBeInstanceOf(QueueFullError);
  });

  it('retries a retryable failure and then writes the group one by one', async () => {
    const writes: number[][] = [];
    const committer = createGroupCommitter<number, number>({
      write: async (items) => {
        writes.push(items);
        if (items.length > 1) throw new Error('deadlock');
        return items;
      },
      isRetryable: () => true,
    });
    const answers = await Promise.all([1, 2].map((n) => committer.submit(n)));
    expect(answers).toEqual([1, 2]);
    expect(writes.filter((w) => w.length === 2)).toHaveLength(4);
    expect(writes.filter((w) => w.length === 1)).toEqual([[1], [2]]);
  });

  it('writes the others when one request of a group cannot be stored', async () => {
    const committer = createGroupCommitter<number, number>({
      write: async (items) => {
        if (items.includes(2)) throw new Error('value out of range');
        return items;
      },
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => committer.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('rejects every request of a group together when the failure is shared', async () => {
    let writes = 0;
    const committer = createGroupCommitter<number, number>({
      write: async () => {
        writes++;
        throw new Error('database is down');
      },
      isSharedFailure: () => true,
    });
    const results = await Promise.allSettled([committer.submit(1), committer.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(writes).toBe(1);
    await committer.drain();
    expect(committer.size()).toBe(0);
  });

  it('starts a second writer only when a backlog waits, and lets small arrivals share the next group', async () => {
    const groups: number[][] = [];
    const gates: (() => void)[] = [];
    const committer = createGroupCommitter<number, number>({
      write: async (items) => {
        groups.push(items);
        await new Promise<void>((resolve) => gates.push(resolve));
        return items;
      },
      concurrency: 2,
      extraWriterBacklog: 3,
      maxWaitMs: 60_000,
    });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const answers = [committer.submit(1)];
    await tick();
    expect(groups).toEqual([[1]]);
    // Two arrive while the first group is in flight: fewer than the backlog, so they wait for it.
    answers.push(committer.submit(2), committer.submit(3));
    await tick();
    expect(groups).toEqual([[1]]);
    // A third makes a backlog of three: a second writer takes them beside the first.
    answers.push(committer.submit(4));
    await tick();
    expect(groups).toEqual([[1], [2, 3, 4]]);
    // One more arrives; when the first writer finishes, the second is still in flight and one
    // request is no backlog, so the first writer stops and the request waits for the second.
    answers.push(committer.submit(5));
    gates.shift()?.();
    await tick();
    expect(groups).toEqual([[1], [2, 3, 4]]);
    gates.shift()?.();
    await tick();
    expect(groups).toEqual([[1], [2, 3, 4], [5]]);
    gates.shift()?.();
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5]);
    await committer.drain();
    expect(committer.size()).toBe(0);
  });

  it('never leaves a request without a writer, one at a time or in a burst', async () => {
    const committer = createGroupCommitter<number, number>({
      write: async (items) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        return items;
      },
      concurrency: 3,
      extraWriterBacklog: 4,
      maxGroup: 5,
    });
    const answers: Promise<number>[] = [];
    for (let i = 0; i < 200; i++) {
      answers.push(committer.submit(i));
      if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await committer.drain();
    expect(committer.size()).toBe(0);
  });

  it('starts another writer for a request that waited too long behind a stuck one', async () => {
    const groups: number[][] = [];
    const committer = createGroupCommitter<number, number>({
      write: async (items) => {
        groups.push(items);
        // The first group never finishes: a transaction stuck on a lock or a dead connection.
        if (items.includes(1)) return new Promise<number[]>(() => {});
        return items;
      },
      concurrency: 2,
      extraWriterBacklog: 8,
      maxWaitMs: 20,
    });
    void committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const answers = await Promise.all([committer.submit(2), committer.submit(3)]);
    expect(answers).toEqual([2, 3]);
    expect(groups).toEqual([[1], [2, 3]]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });
});
