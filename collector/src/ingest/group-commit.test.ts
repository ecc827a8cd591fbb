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
});
