/**
 * Runs `work` on every item, at most `concurrency` at a time, in order of start. On the first
 * failure no further item starts; the ones already running are waited for, then the failure is
 * thrown (what they committed stays committed, as when items run one after another).
 */
export async function runConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (failures.length === 0 && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failures.length > 0) throw failures[0];
}
